from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged

I18N = Path(__file__).parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestChinese(TransactionCase):
    """The department works in Simplified Chinese (B7)."""

    def test_every_string_is_translated(self):
        template = polib.pofile(str(I18N / "jingpin_accessories.pot"))
        chinese = polib.pofile(str(I18N / "zh_CN.po"))
        translated = {entry.msgid for entry in chinese.translated_entries()}
        missing = [entry.msgid for entry in template if entry.msgid not in translated]
        self.assertFalse(missing, f"untranslated in zh_CN.po: {missing[:10]}")
        self.assertFalse(chinese.fuzzy_entries())

    def test_interface_speaks_the_glossary(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jingpin_accessories"], ["zh_CN"], overwrite=True)
        env = self.env(context={"lang": "zh_CN"})
        self.assertEqual(env.ref("jingpin_accessories.task_type_inspection").name, "终检")
        self.assertEqual(env.ref("jingpin_accessories.task_type_handed_over").name, "已交车")
        self.assertEqual(env.ref("jingpin_accessories.project_task_action_work_order").name, "派工单")
        self.assertEqual(env._("Protective set (三件套) fitted and confirmed."), "三件套已铺设并确认。")
        self.assertEqual(env.ref("jingpin_accessories.jingpin_followup_action").name, "回访")
        self.assertEqual(env.ref("jingpin_accessories.jingpin_complaint_action").name, "投诉")


class TestTestsAreRunByOdoo(TransactionCase):
    """Odoo's own runner (``odoo-bin --test-enable``, as OCA CI and runbot use it) runs only the test
    modules that ``tests/__init__.py`` imports; pytest-odoo collects every file. Both must run all."""

    def test_every_test_module_is_imported(self):
        from .. import tests

        on_disk = {path.stem for path in Path(__file__).parent.glob("test_*.py")}
        imported = {name for name in vars(tests) if name.startswith("test_")}
        self.assertEqual(on_disk - imported, set(), "test modules that odoo-bin --test-enable would not run")
