"""The hearing page's edit form: notice period and session rules, checked in the admin.

Kept apart from `forms.py` because the page model imports it while models load.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

QUOTA_FIELD_NAMES = (
    "quota_affected",
    "quota_non_registered",
    "quota_expert",
    "quota_organisation",
    "quota_observer",
)


class HearingPageAdminForm(WagtailAdminFormPageForm):
    """Adds the hearing rules to Wagtail's form-page checks (unique extra field names)."""

    def clean(self):
        cleaned_data = super().clean()
        sessions = self.formsets.get("sessions")
        if sessions is None:
            return cleaned_data
        starts = []
        for form in sessions.forms:
            if not form.is_valid() or not form.cleaned_data:
                continue
            data = form.cleaned_data
            if data.get("DELETE"):
                instance = form.instance
                if instance.pk and instance.registrations.exists():
                    # On the page form: a formset ignores errors of forms marked deleted.
                    self.add_error(
                        None,
                        _(
                            "This session already has registrations and cannot be deleted. "
                            "Change its date or place instead, and tell the registrants."
                        ),
                    )
                continue
            self._clean_session(form, data)
            if data.get("starts_at"):
                starts.append(data["starts_at"])
        if starts:
            self._check_notice_period(min(starts))
        return cleaned_data

    def _clean_session(self, form, data):
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        deadline, seats = data.get("registration_deadline"), data.get("seats")
        if starts_at and ends_at and ends_at <= starts_at:
            form.add_error("ends_at", _("A session must end after it starts."))
        if starts_at and deadline and deadline > starts_at:
            form.add_error(
                "registration_deadline",
                _("Registration must close before the session starts."),
            )
        if seats:
            for name in QUOTA_FIELD_NAMES:
                quota = data.get(name)
                if quota is not None and quota > seats:
                    form.add_error(name, _("A quota cannot be larger than the number of seats."))

    def _check_notice_period(self, first_start):
        """The policy requires advance notice before the hearing (三(四))."""
        from consultations.models import ConsultationPage, ConsultationRules

        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if parent is None:
            return
        consultation = parent.specific
        if not isinstance(consultation, ConsultationPage) or not consultation.notice_date:
            return
        site = parent.get_site()
        days = ConsultationRules.for_site(site).min_notice_days if site else 3
        earliest = consultation.notice_date + timedelta(days=days)
        if timezone.localdate(first_start) < earliest:
            raise ValidationError(
                _(
                    "The first session must be at least %(days)s days after the consultation's "
                    "notice was published (%(notice)s), so on or after %(earliest)s."
                )
                % {
                    "days": days,
                    "notice": consultation.notice_date.isoformat(),
                    "earliest": earliest.isoformat(),
                }
            )
