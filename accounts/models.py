"""People: residents who sign up on the site, and staff who work in the admin.

Email is the login. Residents also say which community they live in and whether they
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
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
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
    email = models.EmailField(_("email address"), unique=True)
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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return self.display_name or super().get_full_name().strip()

    def get_short_name(self):
        return self.display_name or self.first_name or self.email.split("@")[0]

    @property
    def public_name(self):
        """A name safe to show publicly: never the email address."""
        return self.display_name or self.first_name or _("Resident")
