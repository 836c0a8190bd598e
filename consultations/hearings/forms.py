"""Forms of the hearing capability: resident registration, check-in, staff filters, and
the hearing page's edit form (notice period and session rules, checked in the admin)."""

import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.contrib.forms.forms import FormBuilder

from consultations.hearings.models import Registration, RegistrationCategory
from consultations.hearings.operations import page_form_fields
from consultations.roster.models import RosterPerson
from home.forms import PortalFormPageForm

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,24}$")
EXTRA_PREFIX = "extra_"


def session_label(session):
    start = timezone.localtime(session.starts_at)
    confirmed = getattr(session, "confirmed_count", None)
    if confirmed is None:
        confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    left = max(session.seats - confirmed, 0)
    if left:
        availability = ngettext("%(n)s seat left", "%(n)s seats left", left) % {"n": left}
    else:
        availability = _("Full — join the waitlist")
    # The site's one date format (portal/formats/), as in the session card above the form.
    return f"{date_format(start, 'DATETIME_FORMAT')} · {session.place} · {availability}"


class ShownSessionsIterator(forms.models.ModelChoiceIterator):
    """The choices of a session field from the sessions the page has already loaded (with
    their counts), when the form was given them; the field's queryset otherwise. A posted
    choice is always checked against the queryset."""

    def __iter__(self):
        shown = getattr(self.field, "shown_sessions", None)
        if shown is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for session in shown:
            yield self.choice(session)

    def __len__(self):
        shown = getattr(self.field, "shown_sessions", None)
        if shown is None:
            return super().__len__()
        return len(shown) + (self.field.empty_label is not None)


class RegistrationForm(forms.Form):
    """One step: session, category, phone, speaking wish, and the editor's extra fields."""

    session = forms.ModelChoiceField(
        label=_("Session"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    category = forms.ChoiceField(
        label=_("I take part as"), choices=RegistrationCategory.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("Only the organisers see it, to reach you about the hearing."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    wishes_to_speak = forms.BooleanField(label=_("I wish to speak at the hearing"), required=False)
    speech_summary = forms.CharField(
        label=_("What I will say (short summary)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, page, sessions, user=None, shown_sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        # The iterator first: setting the queryset hands the widget its choices.
        self.fields["session"].iterator = ShownSessionsIterator
        self.fields["session"].shown_sessions = shown_sessions
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = session_label
        if user is not None and getattr(user, "residence_status", "") == "non_registered":
            self.fields["category"].initial = RegistrationCategory.NON_REGISTERED
        else:
            self.fields["category"].initial = RegistrationCategory.AFFECTED
        self.extra_names = []
        extra_fields = page_form_fields(page)
        for name, field in FormBuilder(extra_fields).formfields.items():
            self.fields[EXTRA_PREFIX + name] = field
            self.extra_names.append(name)
        self.extra_labels = {
            (f.clean_name or f.get_field_clean_name()): f.label for f in extra_fields
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _("Please enter a phone number of digits, e.g. 13800138000.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wishes_to_speak") and not (cleaned.get("speech_summary") or "").strip():
            self.add_error(
                "speech_summary",
                _("Please say in a few words what you wish to say, so the organisers can plan."),
            )
        return cleaned

    def extra_answers(self):
        """{clean name: {"label", "value"}} of the editor's extra questions, for JSON."""
        answers = {}
        for name in self.extra_names:
            value = self.cleaned_data.get(EXTRA_PREFIX + name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, str | bool | int | float | list):
                value = str(value)
            answers[name] = {"label": self.extra_labels.get(name, name), "value": value}
        return answers


class AssistedRegistrationForm(RegistrationForm):
    """At the office: a worker registers a person on the roster, found by name and
    identifier, for one session. The phone is the one on the roster unless given."""

    full_name = forms.CharField(label=_("Full name on the roster"), max_length=60)
    local_id = forms.CharField(label=_("Local identifier on the roster"), max_length=20)
    confirm = forms.BooleanField(
        label=_("I checked the resident's identity; they asked me to register them."),
    )

    def __init__(self, *args, session, community_ids=(), **kwargs):
        sessions = session.__class__.objects.filter(pk=session.pk)
        super().__init__(*args, page=session.page, sessions=sessions, **kwargs)
        self.fields["session"].initial = session.pk
        self.fields["session"].widget = forms.HiddenInput()
        self.fields["category"].label = _("Takes part as")
        self.fields["phone"].required = False
        self.fields["phone"].help_text = _("Leave empty to use the phone number on the roster.")
        self.fields["wishes_to_speak"].label = _("Wishes to speak at the hearing")
        self.fields["speech_summary"].label = _("What they will say (short summary)")
        self.order_fields(["full_name", "local_id"])
        self.community_ids = set(community_ids)
        self.person = None

    def clean_phone(self):
        if not self.cleaned_data["phone"].strip():
            return ""
        return super().clean_phone()

    def clean(self):
        cleaned = super().clean()
        name, local_id = cleaned.get("full_name"), cleaned.get("local_id")
        if name and local_id:
            self.person = RosterPerson.on_roster(name, local_id, self.community_ids)
            if self.person is None:
                raise forms.ValidationError(
                    _("No one with this name and identifier is on a community roster.")
                )
        return cleaned


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "checkin-code",
            }
        ),
    )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or registration code"),
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class RegistrantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(Registration.Status.choices),
    )
    category = forms.ChoiceField(
        label=_("Taking part as"),
        required=False,
        choices=[("", _("All"))] + list(RegistrationCategory.choices),
    )
    speaker = forms.ChoiceField(
        label=_("Speakers"),
        required=False,
        choices=[("", _("All")), ("yes", _("Wishes to speak")), ("no", _("Does not speak"))],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("speaker") == "yes":
            queryset = queryset.filter(wishes_to_speak=True)
        elif data.get("speaker") == "no":
            queryset = queryset.filter(wishes_to_speak=False)
        return queryset


class SpeakerForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
    speaker_order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999, required=False)
    speaking_at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    speaking_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=1, max_value=240, required=False
    )


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=0)


QUOTA_FIELD_NAMES = (
    "quota_affected",
    "quota_non_registered",
    "quota_expert",
    "quota_organisation",
    "quota_observer",
)


class HearingPageAdminForm(PortalFormPageForm):
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
