"""The resident's profile form and the account-deletion confirmation."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from consultations.communities.models import CommunityPage
from home.input_guard import BoundedModelChoiceField


class ProfileForm(forms.ModelForm):
    """Display name, community, residence status and language of one's own account.

    The email address and the mobile number are changed through allauth's own flows,
    which confirm the new one first.
    """

    class Meta:
        model = get_user_model()
        fields = ["display_name", "community", "residence_status", "preferred_language"]
        widgets = {"residence_status": forms.RadioSelect}
        field_classes = {"community": BoundedModelChoiceField}
        help_texts = {
            "community": _(
                "Where your community keeps a resident roster, changing it asks you to "
                "confirm your residence there again."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = CommunityPage.objects.live().order_by("path")
        self.fields["community"].empty_label = _("Choose your village or community")
        self.fields["display_name"].required = True
        residence = self.fields["residence_status"]
        residence.required = True
        residence.choices = [choice for choice in residence.choices if choice[0]]
        language = self.fields["preferred_language"]
        language.choices = [("", _("Same as the site"))] + [
            choice for choice in language.choices if choice[0]
        ]


class DeleteAccountForm(forms.Form):
    """The last step: allauth has just asked for the password or a code (reauthentication)."""

    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted and cannot be restored."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
