"""Wagtail admin user forms with the portal's own fields (display name, community, status)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

PORTAL_FIELDS = ["display_name", "community", "residence_status", "preferred_language"]


class PortalUserFieldsMixin(forms.Form):
    # Residents have a display name rather than a first and last name.
    first_name = forms.CharField(required=False, label=_("First name"))
    last_name = forms.CharField(required=False, label=_("Last name"))


class PortalUserCreationForm(PortalUserFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PORTAL_FIELDS)


class PortalUserEditForm(PortalUserFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PORTAL_FIELDS)
