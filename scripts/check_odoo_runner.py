"""Proves that Odoo's own test runner runs every test that pytest-odoo runs.

``odoo-bin --test-enable`` (as OCA CI and runbot run it) loads an addon's tests through
``odoo.tests.loader``: only the ``test_*`` modules that the addon's ``tests/__init__.py`` imports,
only the classes defined in those modules, only the methods a class defines itself (unless it sets
``allow_inherited_tests_method``), and only tests tagged ``standard`` and ``at_install`` or
``post_install``. pytest collects by file and by inheritance. This script loads, without running,
the tests both ways for each addon named and fails when the two sets of tests differ.

Usage: python scripts/check_odoo_runner.py ODOO_CONFIG ADDON [ADDON ...]
"""

import subprocess
import sys
from pathlib import Path

import odoo.modules.module
from odoo.tests.loader import make_suite
from odoo.tools import config as odoo_config

REPO = Path(__file__).resolve().parent.parent


def odoo_tests(config, addons):
    """The ids of the tests ``odoo-bin -c config --test-enable`` loads for ``addons``."""
    odoo_config.parse_config(["-c", config, "--test-enable"])
    odoo.modules.module.initialize_sys_path()
    return [test.id() for position in ("at_install", "post_install") for test in make_suite(addons, position)]


def pytest_tests(config, addons):
    """The ids, written as Odoo writes them, of the tests ``pytest`` collects in each addon's tests/."""
    # pytest-odoo wants a database name but connects to none while it only collects.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "--rootdir",
            str(REPO),
            "--odoo-config",
            config,
            "--odoo-database",
            "collect_only",
            *(f"{addon}/tests" for addon in addons),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    nodes = [line for line in done.stdout.splitlines() if "::" in line]
    if done.returncode or not nodes:
        sys.exit(f"pytest could not collect the tests:\n{done.stdout}\n{done.stderr}")
    return [
        "odoo.addons." + path.removesuffix(".py").replace("/", ".") + "." + ".".join(names)
        for path, *names in (node.split("::") for node in nodes)
    ]


def main():
    config, *addons = sys.argv[1:]
    if not addons:
        sys.exit(__doc__)
    by_odoo = odoo_tests(config, addons)
    by_pytest = pytest_tests(config, addons)
    print(f"Odoo's runner loads {len(by_odoo)} tests, pytest collects {len(by_pytest)} ({', '.join(addons)})")
    odoo_only = sorted(set(by_odoo) - set(by_pytest))
    pytest_only = sorted(set(by_pytest) - set(by_odoo))
    twice = sorted({test for test in by_odoo if by_odoo.count(test) > 1})
    for title, tests in (
        (
            "run by pytest only (import the module in tests/__init__.py, tag it standard, "
            "at_install or post_install, or set allow_inherited_tests_method)",
            pytest_only,
        ),
        ("run by Odoo's runner only", odoo_only),
        ("loaded twice by Odoo's runner", twice),
    ):
        if tests:
            print(f"{len(tests)} {title}:")
            print("\n".join(f"  {test}" for test in tests))
    sys.exit(1 if odoo_only or pytest_only or twice or len(by_odoo) != len(by_pytest) else 0)


if __name__ == "__main__":
    main()
