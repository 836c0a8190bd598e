"""allauth's signup and sign-in-by-code forms as the portal uses them (ACCOUNT_FORMS).

Kept apart from accounts/forms.py, which allauth imports while building this very class
(ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import RequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalRequestLoginCodeForm(RequestLoginCodeForm):
    """allauth's "send me a sign-in code" form, asking for an address or a number.

    With both email and phone as login methods, each field is optional and allauth's form
    accepts neither, then fails looking for the account (a 500); here that is a message.
    """

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _("Enter your email address or your mobile number."), code="required"
            )
        return cleaned


class PortalSignupForm(AllauthSignupForm):
    """allauth's signup form, keeping enumeration prevention for taken email addresses.

    Email is optional (phone sign-up), so email verification cannot be "mandatory", and
    allauth would then say "already registered" for a taken address. Here a taken address
    takes allauth's own enumeration-prevention path instead: no second account, the owner
    gets allauth's "account already exists" mail, and the screen is the usual one.
    """

    def validate_unique_email(self, value):
        from allauth.account.internal.userkit import filter_users_by_email

        if filter_users_by_email(value):
            self.account_already_exists = True
            self.email_taken = True
            return value
        return super().validate_unique_email(value)

    def try_save(self, request):
        if getattr(self, "email_taken", False):
            # What allauth does with mandatory verification: tell the owner by mail.
            get_adapter(request).send_account_already_exists_mail(self.cleaned_data["email"])
            if not self.cleaned_data.get("phone"):
                return None, HttpResponseRedirect(reverse("account_email_verification_sent"))
        # A taken phone number: allauth's phone verification stage sends the owner a text
        # and shows the same code page as for a new number.
        return super().try_save(request)
