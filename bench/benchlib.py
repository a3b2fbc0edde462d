"""Shared set-up of the benchmarks: command line, database, environment, rollback."""

import argparse
from contextlib import contextmanager

from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config


def argument_parser(doc):
    """A parser taking the Odoo config (-c) and the database (-d), described by the script's docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    return parser


@contextmanager
def bench_env(args, context=None):
    """A superuser environment on the benchmark database; everything done in it is rolled back."""
    config.parse_config(["-c", args.config])
    with Registry(args.database).cursor() as cr:
        try:
            yield Environment(cr, SUPERUSER_ID, context or {})
        finally:
            cr.rollback()
