import json

from odoo import models
from odoo.tools.translate import code_translations

MODULE = "jingpin_accessories"


class SpreadsheetDashboard(models.Model):
    _inherit = "spreadsheet.dashboard"

    def _get_serialized_readonly_dashboard(self):
        """The addon's dashboards with their filters' labels in the reader's language.

        Odoo translates a global filter's label in the filter panel but shows the label of an active
        filter's search facet as written in the file (in English): the labels are translated here,
        from the addon's translations of the dashboard files.
        """
        serialized = super()._get_serialized_readonly_dashboard()
        if self._get_dashboard_translation_namespace() != MODULE:
            return serialized
        translations = code_translations.get_web_translations(MODULE, self.env.lang or "en_US")
        terms = {message["id"]: message["string"] for message in translations["messages"]}
        dashboard = json.loads(serialized)
        for global_filter in dashboard["snapshot"].get("globalFilters", []):
            global_filter["label"] = terms.get(global_filter["label"], global_filter["label"])
        return json.dumps(dashboard)
