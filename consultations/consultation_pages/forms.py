"""Admin form for consultation pages: the advance-notice rules apply when publishing.

Imported by the model module (as `base_form_class`), so it must not import models at
module level.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

# The edit-view buttons that make (or ask to make) the page public. A draft save may
# break the rules; publishing, or submitting for approval, may not.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class ConsultationPageForm(WagtailAdminPageForm):
    def is_publishing(self):
        if any(self.data.get(action) for action in PUBLISHING_ACTIONS):
            return True
        # Approving in the edit view may be the workflow's last step, which publishes.
        return bool(
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.is_publishing():
            self.check_notice_rules(cleaned_data)
        return cleaned_data

    def check_notice_rules(self, cleaned_data):
        from consultations.models import ConsultationPage

        rules = rules_for_page(self.parent_page)
        candidate = ConsultationPage(
            notice_date=cleaned_data.get("notice_date"),
            input_opens=cleaned_data.get("input_opens"),
            input_closes=cleaned_data.get("input_closes"),
            meeting_at=cleaned_data.get("meeting_at"),
        )
        errors = candidate.notice_rule_errors(rules)
        for field, message in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if errors:
            self.add_error(
                None,
                _(
                    "This consultation cannot be published yet: it breaks the advance-notice "
                    "rules. Change the dates, or save it as a draft."
                ),
            )


def rules_for_page(page):
    """The ConsultationRules of the site `page` belongs to (or of the default site)."""
    from wagtail.models import Site

    from consultations.models import ConsultationRules

    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return ConsultationRules.for_site(site) if site else ConsultationRules()
