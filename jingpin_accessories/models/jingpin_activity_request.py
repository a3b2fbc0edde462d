from odoo import models


class JingpinActivityRequest(models.AbstractModel):
    """Asks people for something (an approval, a plan) through mail activities written in each
    person's own language, whoever triggers the request. Mixed into models with activities."""

    _name = "jingpin.activity.request"
    _description = "Activity Requests in the Recipient's Language"

    def _jingpin_request_activity(self, act_type_xmlid, users, note, summary=None, date_deadline=None):
        """Schedule an activity of this type on the record for each user who does not have one yet.

        :param note: callable(env) returning the note, env being in the user's language
        :param summary: the same for the summary; by default the activity type's own summary
        """
        self.ensure_one()
        activity_type = self.env.ref(act_type_xmlid)
        asked = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        for user in users - asked:
            env = self.with_context(lang=user.lang).env
            self.activity_schedule(
                act_type_xmlid,
                date_deadline=date_deadline,
                user_id=user.id,
                note=note(env),
                summary=summary(env) if summary else activity_type.with_env(env).summary,
            )
