from odoo import api, fields, models
from odoo.exceptions import AccessError

# What makes a project the dealership's installation project, and what its work orders' rules
# read from it: only the addon's own code (as superuser) sets them.
INSTALL_PROJECT_FIELDS = frozenset({"is_install_project", "company_id", "privacy_visibility", "active"})


class ProjectProject(models.Model):
    _inherit = "project.project"

    is_install_project = fields.Boolean(
        string="Accessory Installation Project",
        index=True,
        help="The project whose tasks are the accessory work orders (派工单) of its company.",
    )

    _install_project_company_uniq = models.UniqueIndex(
        "(company_id) WHERE is_install_project",
        "A dealership has one accessory installation project.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("is_install_project") for vals in vals_list):
            raise AccessError(
                self.env._(
                    "The accessory installation project is created by the Accessories app itself, one "
                    "per dealership: it cannot be created by hand.",
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            "is_install_project" in vals
            or (vals.keys() & INSTALL_PROJECT_FIELDS and self.filtered("is_install_project"))
        ):
            raise AccessError(
                self.env._(
                    "Every rule of the accessory work orders depends on the installation project: whether "
                    "a project is one, and its company, visibility and archiving, are set by the "
                    "Accessories app only.",
                )
            )
        return super().write(vals)

    @api.model
    def _get_install_project(self, company):
        """The accessory installation project of ``company``, created on first use."""
        project = self.sudo().search(
            [("is_install_project", "=", True), ("company_id", "=", company.id)],
            limit=1,
        )
        return project or self.sudo()._create_install_projects(company)

    @api.model
    def _create_install_projects(self, companies=None):
        if companies is None:
            companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        existing_projects = self.sudo().search([("is_install_project", "=", True)])
        existing = existing_projects.company_id
        stages = self.env["project.task.type"].search([("work_state", "!=", False)])
        existing_projects.write({"type_ids": [fields.Command.link(stage.id) for stage in stages]})
        projects = self.sudo().create(
            [
                {
                    "name": self.env._("Accessory Installation"),
                    "company_id": company.id,
                    "is_install_project": True,
                    "privacy_visibility": "followers",
                    "allow_timesheets": True,
                    "type_ids": [fields.Command.set(stages.ids)],
                }
                for company in companies - existing
            ]
        )
        # its name in every language of the database, whatever the language it is created in
        languages = [code for code, _name in self.env["res.lang"].get_installed()]
        names = {lang: self.with_context(lang=lang).env._("Accessory Installation") for lang in languages}
        for project in projects:
            project.update_field_translations("name", names)
        return projects
