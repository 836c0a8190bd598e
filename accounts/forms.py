from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from home.input_guard import BoundedModelChoiceField

from .models import ResidenceStatus


class ResidentSignupForm(forms.Form):
    """The extra questions allauth's signup form asks a new resident."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown next to your suggestions only when you choose to show it."),
    )
    community = BoundedModelChoiceField(
        label=_("Your community"),
        queryset=None,
        empty_label=_("Choose your village or community"),
        help_text=_("Some consultations are open only to residents of their community."),
    )
    residence_status = forms.ChoiceField(
        label=_("Residence status"),
        choices=ResidenceStatus.choices,
        widget=forms.RadioSelect,
        help_text=_("Registered and non-registered residents may both take part."),
    )

    field_order = ["phone", "email", "display_name", "community", "residence_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.models import CommunityPage

        self.fields["community"].queryset = CommunityPage.objects.live().order_by("path")

    def clean(self):
        cleaned = super().clean()
        # allauth asks for both as optional; an account needs at least one way to sign in.
        if "phone" in self.fields and not (cleaned.get("email") or cleaned.get("phone")):
            if not self.has_error("email") and not self.has_error("phone"):
                raise forms.ValidationError(
                    _("Enter a mobile number or an email address (or both).")
                )
        return cleaned

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.community = self.cleaned_data["community"]
        user.residence_status = self.cleaned_data["residence_status"]
        # Later mail (confirmations, answers, digests) goes out in the language of signup.
        user.preferred_language = get_language() or ""
        user.save(
            update_fields=["display_name", "community", "residence_status", "preferred_language"]
        )
