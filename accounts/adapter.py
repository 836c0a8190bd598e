"""The allauth adapter: phone numbers on the user model, codes sent by the portal's SMS.

allauth's phone support asks the project where a phone number lives and how a text is sent
(`set_phone`, `get_phone`, `set_phone_verified`, `get_user_by_phone`,
`send_verification_code_sms`); everything else — signup, login by code, verification,
rate limits, enumeration prevention — is allauth's own.

Links in allauth's mails (confirmation, password reset, "you already have an account") are
rebuilt on PORTAL_BASE_URL, not on the request's Host header; the mails themselves go
through the portal's queue (`EMAIL_BACKEND` is `home.mail.QueuedEmailBackend`).
"""

import phonenumbers
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from home.links import rebase as on_base_url
from home.sms import send_sms


class PortalAccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_base_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return on_base_url(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix, email, context):
        # The flows that put a link straight into the context (signup_url,
        # password_reset_url) build it from the request, too.
        context = {
            key: on_base_url(value)
            if key.endswith("_url") and isinstance(value, str) and "://" in value
            else value
            for key, value in context.items()
        }
        return super().send_mail(template_prefix, email, context)

    def phone_form_field(self, **kwargs):
        # Chinese numbers are typed without +86: phonenumbers reads them in the default
        # region, so allauth's own E.164-only validator is replaced by `clean_phone`.
        kwargs.setdefault("validators", [])
        field = PhoneField(**kwargs)
        field.widget.attrs["placeholder"] = _("e.g. 13812345678")
        return field

    def clean_phone(self, phone):
        try:
            number = phonenumbers.parse(phone, settings.PHONENUMBER_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise forms.ValidationError(_("Enter a mobile number, e.g. 13812345678."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        if user.pk is not None:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone):
        type(user).objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        user.phone_verified = True

    def get_user_by_phone(self, phone):
        # The login form hands over the number as typed ("13812345678").
        try:
            phone = self.clean_phone(phone)
        except forms.ValidationError:
            return None
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        send_sms(
            phone, render_to_string("account/sms/verification_code.txt", {"code": code}).strip()
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        # Enumeration prevention: the screen is the same; the owner of the number learns
        # that no account uses it.
        send_sms(phone, render_to_string("account/sms/unknown_account.txt", {}).strip())

    def send_account_already_exists_sms(self, phone):
        send_sms(phone, render_to_string("account/sms/account_already_exists.txt", {}).strip())
