"""People: residents who sign up on the site, and staff who work in the admin.

Residents sign in with an email address or a mobile number (django-allauth's phone support,
codes by SMS); either may be missing, not both. Residents also say which community they live in and whether they
are registered household members (户籍居民) or non-registered residents; the policy
(三(二)) lets both take part, and some polls or forms are limited to one community.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email and not extra_fields.get("phone"):
            raise ValueError("An email address or a mobile number is required.")
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered household member (户籍居民)")
    NON_REGISTERED = "non_registered", _("Non-registered resident (非户籍居民)")


class User(AbstractUser):
    username = None
    # Optional: older residents often have a phone and no email (then `phone` is set).
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("mobile number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("For signing in with a code by text message (E.164, e.g. +8613812345678)."),
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("The name shown next to your contributions when you choose to show it."),
    )
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    residence_status = models.CharField(
        _("residence status"),
        max_length=20,
        choices=ResidenceStatus.choices,
        blank=True,
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the mail the portal sends; set when signing up."),
    )

    # When the resident last opened "My participation": newer answers and outcomes are marked.
    participation_seen_at = models.DateTimeField(
        _("participation page last seen"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # No address is stored as NULL, so that many phone-only accounts share "none".
        if not self.email:
            self.email = None
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.email or self.masked_phone

    @property
    def masked_phone(self):
        return f"{self.phone[:-8]}****{self.phone[-4:]}" if self.phone else ""

    def get_full_name(self):
        return self.display_name or super().get_full_name().strip()

    def get_short_name(self):
        if self.display_name or self.first_name:
            return self.display_name or self.first_name
        return self.email.split("@")[0] if self.email else self.masked_phone

    @property
    def public_name(self):
        """A name safe to show publicly: never the email address."""
        return self.display_name or self.first_name or _("Resident")
