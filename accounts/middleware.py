"""Two-factor authentication for staff (allauth's MFA: TOTP and recovery codes).

With PORTAL_STAFF_MFA_REQUIRED on, staff who `must_use_two_factor`
(consultations/permissions.py) are sent from the Wagtail admin to set up an authenticator
app before they use it; once set up, allauth asks for the code at every sign-in.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from consultations.permissions import must_use_two_factor


def _is_admin_path(request):
    from django.urls import reverse

    return request.path.startswith(reverse("wagtailadmin_home"))


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(settings, "PORTAL_STAFF_MFA_REQUIRED", False)
            and request.user.is_authenticated
            and request.user.is_staff
            and _is_admin_path(request)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            and must_use_two_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your account can publish or see residents' personal data: set up "
                    "two-factor authentication with an authenticator app to use the admin."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
