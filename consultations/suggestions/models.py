"""Residents' suggestions (意见建议): an opinion form attached to a consultation.

The policy asks that everyone can state an opinion, that organisers explain themselves to
those who disagree and that residents hear back (三(四), 三(五)). A SuggestionFormPage is a
Wagtail form-builder page whose submissions are `Suggestion` rows: moderated, answered one
by one, and shown back on the consultation page with their answers.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from consultations.consultation_pages.models import ConsultationChildPage
from consultations.lazy import FormClassPath

# --- private storage for attachments ------------------------------------------------------


class PrivateStorage(FileSystemStorage):
    """Files that no web server serves: only a permission-checked view reads them.

    They live in PORTAL_PRIVATE_MEDIA_ROOT (see settings; outside MEDIA_ROOT) under random
    names, and the storage has no URL, so a template cannot leak a link by mistake.
    """

    @cached_property
    def base_location(self):
        configured = getattr(settings, "PORTAL_PRIVATE_MEDIA_ROOT", None)
        return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "private"

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage():
    return PrivateStorage()


def attachment_path(instance, filename):
    # The resident's file name is kept apart (attachment_name); the stored name is random.
    suffix = Path(filename).suffix.lower()[:8]
    return f"suggestions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


# --- the form page ----------------------------------------------------------------------

# The fields every new suggestion form starts with: (clean name, label, type, required,
# help text). Editors may rename, reorder or add fields; the clean names stay, so lists and
# exports find the title and the opinion text on every page.
DEFAULT_FIELDS = [
    ("title", _("Title"), "singleline", True, _("A few words that sum up your suggestion.")),
    ("opinion", _("Your opinion or suggestion"), "multiline", True, ""),
    (
        "topic_part",
        _("Which part of the topic does it concern?"),
        "singleline",
        False,
        _("For example: the route, the cost, the timetable."),
    ),
]


def default_text(clean_name, stored, position):
    """`stored` as a lazy translation if it is the unchanged default of a default field.

    Default labels are stored in the site language when the page is made; while an
    editor has not changed them, English readers see them in English.
    """
    for default in DEFAULT_FIELDS:
        if default[0] == clean_name and default[position]:
            text = default[position]
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    if stored == str(text):
                        return text
    return stored


class SuggestionFormField(AbstractFormField):
    page = ParentalKey(
        "consultations.SuggestionFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )

    @property
    def display_label(self):
        """The label in the reader's language while it is still the default one."""
        return default_text(self.clean_name, self.label, 1)

    @property
    def display_help_text(self):
        return default_text(self.clean_name, self.help_text, 4)

    class Meta(AbstractFormField.Meta):
        verbose_name = _("suggestion form field")
        verbose_name_plural = _("suggestion form fields")


class SuggestionFormPage(AbstractEmailForm, ConsultationChildPage):
    """Online opinion collection (社情民意网络征集) for one consultation.

    Residents sign in and submit suggestions while input is open; editors of the community
    moderate them and answer each published one. The input window follows the
    consultation's dates unless this page sets its own.
    """

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What residents are asked, and what will happen to their suggestions."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after a resident submits a suggestion."),
    )
    opens = models.DateField(
        _("input opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to follow the consultation's dates."),
    )
    closes = models.DateField(
        _("input closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to follow the consultation's dates."),
    )
    restrict_to_community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("only residents of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to accept suggestions from every verified resident."),
    )
    max_per_resident = models.PositiveSmallIntegerField(
        _("suggestions per resident"),
        default=3,
        help_text=_("How many suggestions one resident may submit on this page."),
    )
    allow_attachments = models.BooleanField(
        _("allow a photo or PDF attachment"),
        default=True,
    )

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel(
            "form_fields",
            label=_("Form fields"),
            help_text=_(
                "Leave empty to start with the default fields: title, opinion and the part "
                "of the topic it concerns."
            ),
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
                FieldPanel("restrict_to_community"),
                FieldPanel("max_per_resident"),
                FieldPanel("allow_attachments"),
            ],
            heading=_("Who may submit, and when"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Notify staff by mail"),
        ),
    ]

    template = "consultations/suggestions/suggestion_form_page.html"
    landing_page_template = "consultations/suggestions/suggestion_form_page_landing.html"
    card_template = "consultations/suggestions/card.html"
    base_form_class = FormClassPath("home.forms.PortalFormPageForm")

    class Meta:
        verbose_name = _("suggestion form")
        verbose_name_plural = _("suggestion forms")

    # --- default fields --------------------------------------------------------------------

    def save(self, *args, **kwargs):
        # Pages made in the admin arrive with their fields in the inline panel; pages made in
        # code (demo, tests, scripts) get the default set here, so no form is ever empty.
        if not self.pk and not self.form_fields.exists() and not self.form_fields.all():
            self.add_default_fields()
        return super().save(*args, **kwargs)

    def add_default_fields(self):
        with translation.override(settings.LANGUAGE_CODE):
            self.form_fields = [
                SuggestionFormField(
                    sort_order=order,
                    clean_name=clean_name,
                    label=str(label),
                    field_type=field_type,
                    required=required,
                    help_text=str(help_text),
                )
                for order, (clean_name, label, field_type, required, help_text) in enumerate(
                    DEFAULT_FIELDS
                )
            ]

    # --- the form builder --------------------------------------------------------------------

    def get_form_class(self):
        from consultations.suggestions.forms import SuggestionFormBuilder

        return SuggestionFormBuilder(self.get_form_fields(), page=self).get_form_class()

    def get_submission_class(self):
        return Suggestion

    def get_submissions_list_view_class(self):
        from consultations.suggestions.admin import SafeSubmissionsListView

        return SafeSubmissionsListView

    def process_form_submission(self, form):
        """Store one suggestion per idempotency token (see operations.submit_suggestion)."""
        from consultations.suggestions.operations import submit_suggestion

        suggestion, _created = submit_suggestion(self, form.user, form)
        return suggestion

    def send_mail(self, form):
        # Staff notification (the form builder's "to address") goes through the task queue
        # like all portal mail, so a mail failure never loses the suggestion.
        from home.mail import send_templated_mail

        send_templated_mail(
            "consultations/suggestions/mail/staff_notice",
            {"page": self, "fields": form.display_items(), "subject": self.subject},
            [address.strip() for address in self.to_address.split(",")],
        )

    def serve(self, request, *args, **kwargs):
        from consultations.suggestions.views import serve_suggestion_form

        return serve_suggestion_form(self, request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["window"] = self.window()
        return context

    # --- the input window ----------------------------------------------------------------

    @property
    def window_opens(self):
        consultation = self.consultation
        return self.opens or getattr(consultation, "input_opens", None)

    @property
    def window_closes(self):
        consultation = self.consultation
        return self.closes or getattr(consultation, "input_closes", None)

    def window(self, today=None):
        """'upcoming', 'open' or 'closed' on `today`, with the dates that decide it."""
        today = today or timezone.localdate()
        opens, closes = self.window_opens, self.window_closes
        if opens and today < opens:
            state = "upcoming"
        elif closes and today > closes:
            state = "closed"
        else:
            state = "open"
        return {"state": state, "opens": opens, "closes": closes, "is_open": state == "open"}

    def is_open(self, today=None):
        return self.window(today)["is_open"]


# --- the submissions ------------------------------------------------------------------------


class Suggestion(AbstractFormSubmission):
    """One resident's suggestion: the form data, its moderation and its answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("suggestion status", "Published")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged into another suggestion")

    class Answer(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        REFERRED = "referred", _("Referred to the residents' assembly")
        OUT_OF_SCOPE = "out_of_scope", _("Outside the consultation's scope")

    page = models.ForeignKey(
        SuggestionFormPage,
        verbose_name=_("suggestion form"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    token = models.CharField(
        _("submission token"),
        max_length=64,
        help_text=_("One per rendered form: a repeated post of the same form is one suggestion."),
    )
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    attachment = models.FileField(
        _("attachment"), storage=private_storage, upload_to=attachment_path, blank=True
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=50, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_suggestions",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    # Residents who support (附议) it: kept equal to its Support rows by operations.py, in
    # the same transaction, so lists sort and show it without counting.
    support_count = models.PositiveIntegerField(_("supporters"), default=0, db_index=True)

    answer_status = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, blank=True, db_index=True
    )
    answer = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    # Submitted at the office by a community worker for a person on the roster.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roster_person = models.ForeignKey(
        "consultations.RosterPerson",
        verbose_name=_("roster person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submit_time", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "token"], name="suggestion_unique_token_per_page"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        data = self.form_data or {}
        return str(data.get("title") or next(iter(data.values()), "") or _("Suggestion"))[:120]

    @property
    def text(self):
        return str((self.form_data or {}).get("opinion", ""))

    def other_fields(self):
        """(label, value) of the fields other than title and opinion, in form order."""
        labels = getattr(self, "field_labels", None)
        if labels is None:
            labels = {f.clean_name: f.display_label for f in self.page.form_fields.all()}
        skip = {"title", "opinion"}
        return [
            (labels.get(name, name), value)
            for name, value in (self.form_data or {}).items()
            if name not in skip and value not in ("", None, [], False)
        ]

    @property
    def public_author(self):
        """The name shown publicly: the resident's public name if they chose so."""
        if self.show_name and self.user_id:
            return self.user.public_name
        if self.user_id is None and self.roster_person_id is None:
            # Submitted online by an account that has since been deleted.
            return _("A former resident")
        return _("A resident")


class Support(models.Model):
    """A resident's support (附议) of another resident's published suggestion.

    One per resident and suggestion (a database constraint); withdrawing deletes the row.
    `Suggestion.support_count` mirrors the rows (operations.support_suggestion).
    """

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.CASCADE,
        related_name="suggestion_supports",
    )
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="support_once_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.suggestion_id}"
