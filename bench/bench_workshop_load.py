"""Time the workshop load report on N planned work orders.

    PYTHONPATH=path/to/odoo python bench/bench_workshop_load.py -c odoo.conf -d DB [--count 5000]

Runs against a database where jingpin_accessories is installed; everything it creates is
rolled back at the end.
"""

import random
import time
from datetime import datetime, timedelta

from benchlib import argument_parser, bench_env

from odoo.fields import Command


def main():
    parser = argument_parser(__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--technicians", type=int, default=10)
    args = parser.parse_args()
    with bench_env(args, {"tracking_disable": True, "mail_notrack": True}) as env:
        cr = env.cr
        company = env.company
        group = env.ref("jingpin_accessories.group_jingpin_technician")
        technicians = env["res.users"].create(
            [
                {
                    "name": f"Bench Technician {i}",
                    "login": f"bench_tech_{i}",
                    "group_ids": [Command.set(group.ids)],
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "tz": "UTC",
                }
                for i in range(args.technicians)
            ]
        )
        project = env["project.project"]._get_install_project(company)
        stage = env["project.task.type"].search([("work_state", "=", "dispatched")], limit=1)
        start = datetime.now().replace(hour=8, minute=30, second=0, microsecond=0)
        rng = random.Random(19)
        tic = time.perf_counter()
        # Plan them in SQL: random loads would trip the overbooking check of the ORM.
        tasks = (
            env["project.task"]
            ._jingpin_server()
            .create(
                [
                    {"name": f"Bench {i}", "project_id": project.id, "stage_id": stage.id, "work_state": "dispatched"}
                    for i in range(args.count)
                ]
            )
        )
        cr.execute(
            "UPDATE project_task "
            "SET technician_id = data.tech, planned_start = data.start, planned_minutes = data.minutes "
            "FROM unnest(%s::int[], %s::int[], %s::timestamp[], %s::int[]) AS data(id, tech, start, minutes) "
            "WHERE project_task.id = data.id",
            [
                tasks.ids,
                [rng.choice(technicians).id for _ in tasks],
                [start + timedelta(days=rng.randrange(60)) for _ in tasks],
                [rng.choice((15, 60, 120, 240)) for _ in tasks],
            ],
        )
        env.invalidate_all()
        print(f"created {args.count} work orders in {time.perf_counter() - tic:.2f}s")
        Load = env["jingpin.workshop.load"]
        for label, groupby in (
            ("by day and technician", ["day:day", "technician_id"]),
            ("by technician", ["technician_id"]),
        ):
            tic = time.perf_counter()
            rows = Load._read_group([], groupby, ["planned_minutes:sum", "load_percent:avg"])
            print(f"load report {label}: {len(rows)} rows in {(time.perf_counter() - tic) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
