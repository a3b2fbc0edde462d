"""The group robot's settings through every door (README "WeCom / DingTalk group robots"): a dealership's
webhook and DingTalk signing secret are credentials. Each role of the demo dealer group tries, through
the JSON-2 API, to set them (on the dealership, through the settings) or to read the secret (read,
search on it, the settings); the server refuses it with an Odoo error and the administrator reads the
robot's settings back unchanged. The administrator sets them, and reads back what he set. The
accessories manager reads them (he sees the queue and retries), and sets nothing.
"""

import pytest
from conftest import assert_refused, refused_and_unchanged

ROBOT_FIELDS = ["jingpin_robot_kind", "jingpin_robot_webhook", "jingpin_robot_secret"]
NOT_ADMINS = ("jp_manager", "jp_specialist", "jp_technician", "jp_group")
CANNOT_READ = ("jp_specialist", "jp_technician", "jp_group")
FORGED = {
    "jingpin_robot_kind": "dingtalk",
    "jingpin_robot_webhook": "https://evil.example.com/robot/send?access_token=STOLEN",
    "jingpin_robot_secret": "SECforged",
}


@pytest.fixture(scope="module")
def dealership(admin):
    """The demo's main dealership (朝阳店), with a DingTalk robot set by the administrator for these
    tests and its settings as they were put back afterwards."""
    company = admin.ref("base.main_company")
    before = admin.read_one("res.company", company, ROBOT_FIELDS)
    robot = {
        "jingpin_robot_kind": "dingtalk",
        "jingpin_robot_webhook": "https://oapi.dingtalk.com/robot/send?access_token=E2E-TOKEN",
        "jingpin_robot_secret": "SECe2e-secret-0123456789",
    }
    admin.write("res.company", [company], robot)
    yield company, robot
    admin.write("res.company", [company], {name: before[name] or False for name in ROBOT_FIELDS})


def test_the_administrator_sets_and_reads_the_robot(admin, dealership):
    company, robot = dealership
    assert admin.read_one("res.company", company, ROBOT_FIELDS) == {"id": company, **robot}


@pytest.mark.parametrize("login", NOT_ADMINS)
def test_nobody_else_sets_the_robot(as_role, admin, dealership, login):
    company, robot = dealership
    user = as_role(login)
    for name, value in FORGED.items():
        refused_and_unchanged(
            admin,
            lambda name=name, value=value: user.write("res.company", [company], {name: value}),
            "res.company",
            [company],
            ROBOT_FIELDS,
        )
    # nor through the settings, which write the dealership's fields
    refused_and_unchanged(
        admin,
        lambda: user.call(
            "res.config.settings",
            "execute",
            [user.create("res.config.settings", {"company_id": company, **FORGED})],
        ),
        "res.company",
        [company],
        ROBOT_FIELDS,
    )
    assert admin.read_one("res.company", company, ROBOT_FIELDS) == {"id": company, **robot}


@pytest.mark.parametrize("login", CANNOT_READ)
def test_the_secret_is_not_read(as_role, dealership, login):
    company, _robot = dealership
    user = as_role(login)
    for name in ("jingpin_robot_secret", "jingpin_robot_webhook"):
        assert_refused(lambda name=name: user.read("res.company", [company], [name]), "AccessError")
        # nor guessed by searching on it
        assert_refused(
            lambda name=name: user.search("res.company", [(name, "=like", "SEC%")]), "AccessError", "ValueError"
        )
        assert name not in user.call("res.company", "fields_get", attributes=["string"])
    # which robot the dealership uses is no secret
    assert user.read_one("res.company", company, ["jingpin_robot_kind"])["jingpin_robot_kind"] == "dingtalk"


def test_the_manager_reads_the_robot_he_cannot_set(as_role, dealership):
    company, robot = dealership
    manager = as_role("jp_manager")
    assert manager.read_one("res.company", company, ROBOT_FIELDS) == {"id": company, **robot}
