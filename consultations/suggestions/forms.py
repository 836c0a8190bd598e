"""Forms: the resident's suggestion form (built from the page's fields) and staff forms."""

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from consultations.roster.models import RosterPerson
from consultations.suggestions.models import Suggestion

# Length limits keep one suggestion readable and stop walls of pasted text.
SINGLE_LINE_MAX = 200
MULTI_LINE_MAX = 5000
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
HONEYPOT_FIELD = "website"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")


def sniff_attachment(upload):
    """The MIME type of an upload judged by its content, or None if it is not allowed.

    The name and the browser's content type are not trusted: a PDF must start with
    %PDF- and an image must be a JPEG, PNG, GIF or WebP that Pillow can verify.
    """
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS.get(image_format)


class SuggestionBaseForm(BaseForm):
    """Fields every suggestion form has besides the editor's: name choice, attachment,
    the idempotency token and a honeypot that people never see."""

    show_name = forms.BooleanField(
        label=_("Show my name publicly with this suggestion"),
        required=False,
        help_text=_("If you leave this unticked, it is shown as from “a resident”."),
    )
    attachment = forms.FileField(
        label=_("Photo or PDF (optional)"),
        required=False,
        help_text=_("A JPEG, PNG, GIF, WebP image or a PDF, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}
        ),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # Names of the fields the page builds in; the rest are the editor's fields.
    fixed_fields = ("show_name", "attachment", "token", HONEYPOT_FIELD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
        if self.page is not None and not self.page.allow_attachments:
            del self.fields["attachment"]
        # The fixed fields go last, after the editor's questions.
        for name in self.fixed_fields:
            if name in self.fields:
                self.fields[name] = self.fields.pop(name)

    @property
    def honeypot_filled(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip()) if self.is_bound else False

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not TOKEN_PATTERN.fullmatch(token):
            raise forms.ValidationError(_("The form expired. Please reload the page and retry."))
        return token

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        content_type = sniff_attachment(upload)
        if content_type is None:
            raise forms.ValidationError(
                _("Only a photo (JPEG, PNG, GIF, WebP) or a PDF can be attached.")
            )
        upload.sniffed_type = content_type
        return upload

    def suggestion_data(self):
        """The editor's fields only: what is stored as form_data."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.fixed_fields
        }

    def display_items(self):
        """(label, value) pairs of the editor's fields, for mails."""
        items = []
        for name, value in self.suggestion_data().items():
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            items.append((self.fields[name].label, value))
        return items


class SuggestionFormBuilder(FormBuilder):
    """Wagtail's form builder with length limits and translated default labels."""

    def __init__(self, fields, page=None):
        super().__init__(fields)
        self.page = page

    def create_singleline_field(self, field, options):
        options["max_length"] = SINGLE_LINE_MAX
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTI_LINE_MAX
        options.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        return forms.CharField(**options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        # A default field whose label nobody changed shows in the reader's language.
        options["label"] = field.display_label
        if field.help_text:
            options["help_text"] = field.display_help_text
        return options

    def get_form_class(self):
        return type("SuggestionForm", (SuggestionBaseForm,), self.formfields)


# --- staff forms ------------------------------------------------------------------------------


class BulkModerationForm(forms.Form):
    ACTIONS = [
        ("publish", _("Publish")),
        ("reject", _("Reject with a reason")),
        ("merge", _("Merge into another suggestion")),
    ]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason for rejection (the author sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    merge_into = forms.IntegerField(
        label=_("Number of the suggestion to merge into"), required=False, min_value=1
    )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell the author why the suggestion is rejected."))
        if action == "merge" and not cleaned.get("merge_into"):
            self.add_error("merge_into", _("Choose the suggestion to merge into."))
        return cleaned


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["answer_status", "answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_status"].required = True
        self.fields["answer"].max_length = MULTI_LINE_MAX

    def clean(self):
        cleaned = super().clean()
        # The policy asks organisers to explain themselves to those who disagree (三(五)).
        if (
            cleaned.get("answer_status") == Suggestion.Answer.NOT_ADOPTED
            and not (cleaned.get("answer") or "").strip()
        ):
            self.add_error("answer", _("Explain why the suggestion is not adopted."))
        return cleaned


class AssistedPersonForm(forms.Form):
    """At the office: the roster person a worker submits a suggestion for."""

    full_name = forms.CharField(label=_("Full name on the roster"), max_length=60)
    local_id = forms.CharField(label=_("Local identifier on the roster"), max_length=20)
    confirm = forms.BooleanField(
        label=_(
            "I checked the resident's identity; this is their suggestion and they asked me "
            "to submit it."
        ),
    )

    def __init__(self, *args, community_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.community_ids = set(community_ids)
        self.person = None

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
