"""Forms of the roster: the staff entry form, the import steps, linking an account."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.communities.models import CommunityPage
from consultations.roster.models import RosterPerson, normalise_phone
from consultations.roster.operations import COLUMNS
from home.input_guard import BoundedModelChoiceField

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class RosterPersonForm(forms.ModelForm):
    class Meta:
        model = RosterPerson
        fields = [
            "full_name",
            "local_id",
            "phone",
            "residence_status",
            "group",
            "household",
            "is_household_representative",
            "date_of_birth",
            "status",
            "status_since",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "status_since": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_local_id(self):
        return self.cleaned_data["local_id"].strip().upper()


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8 or GBK, as saved by Excel or WPS) or XLSX, with a header row."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: which roster field it holds, if any."""

    def __init__(self, headers, initial_mapping, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("(ignore this column)"))] + [
            (name, label) for name, label, _aliases in COLUMNS
        ]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=initial_mapping.get(index, ""),
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [value for key, value in cleaned.items() if key.startswith("col_") and value]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("Each roster field can come from one column only."))
        return cleaned

    def mapping(self):
        return {
            int(key[4:]): value
            for key, value in self.cleaned_data.items()
            if key.startswith("col_") and value
        }


class VerifyForm(forms.Form):
    community = BoundedModelChoiceField(
        label=_("Your village or community"), queryset=CommunityPage.objects.none()
    )
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    local_id = forms.CharField(
        label=_("Last 6 digits of your ID card (or your household number)"),
        max_length=20,
        help_text=_("As the community office has it on the roster."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = CommunityPage.objects.live().order_by("title")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class OfficeLinkForm(forms.Form):
    account = forms.CharField(
        label=_("The resident's account (email address)"),
        max_length=254,
        help_text=_("Check the resident's identity document before you link the account."),
    )

    def clean_account(self):
        value = self.cleaned_data["account"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=value, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account has this email address."))
        self.user = user
        return value
