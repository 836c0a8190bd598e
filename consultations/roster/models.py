"""The community roster (居民名册): who lives in each village or community.

The policy's second step is to fix who takes part (确定参与主体). Community offices already
keep a register of their residents, registered (户籍) and not (非户籍/实有人口); the portal
keeps the same register per community, and "verified resident" means an account linked to
a living entry of it. Three rules shape the models:

* A person is found by (community, full name, local identifier); the identifier is what
  the office already keys its files on (the last digits of the ID card, or the household
  number). The triple is unique, so a re-import updates rather than duplicates.
* An account links to at most one roster person and a person to at most one account:
  two one-to-one keys on `RosterLink`, enforced by the database also when two accounts
  race for one person.
* Roster data is personal: staff of the community (and the area above) keep it, every
  view, change and export is audit-logged, and residents only ever see their own entry.
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ResidenceStatus


def normalise_phone(value):
    """A mobile number in E.164 (+8613812345678), or ValidationError.

    Numbers without a country code are read in PHONENUMBER_DEFAULT_REGION (China).
    """
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Enter a mobile number, e.g. 13812345678."), code="phone")
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("Enter a mobile number, e.g. 13812345678."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PersonStatus(models.TextChoices):
    LIVING = "living", _("Living here")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class RosterPerson(models.Model):
    """One resident on a community's roster, as the community office keeps them."""

    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="roster",
    )
    full_name = models.CharField(_("full name"), max_length=60)
    local_id = models.CharField(
        _("local identifier"),
        max_length=20,
        help_text=_(
            "What the office keys its files on: the last 4 to 6 digits of the ID card, or "
            "the household number."
        ),
    )
    phone = models.CharField(
        _("mobile number"),
        max_length=20,
        blank=True,
        help_text=_("Verification codes are sent to this number only."),
    )
    residence_status = models.CharField(
        _("residence status"), max_length=20, choices=ResidenceStatus.choices
    )
    group = models.CharField(
        _("villager group or building"), max_length=60, blank=True, db_index=False
    )
    household = models.CharField(_("household"), max_length=40, blank=True)
    is_household_representative = models.BooleanField(_("household representative"), default=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.LIVING
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("roster person")
        verbose_name_plural = _("community roster")
        ordering = ["community", "group", "household", "full_name", "pk"]
        permissions = [
            ("assist_resident", _("Can act for a resident at the community office")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "full_name", "local_id"], name="roster_person_unique_key"
            ),
            # One household, one representative (户代表).
            models.UniqueConstraint(
                fields=["community", "household"],
                condition=Q(is_household_representative=True) & ~Q(household=""),
                name="roster_one_representative_per_household",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="roster_community_status_idx"),
            models.Index(fields=["community", "household"], name="roster_household_idx"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.community_id})"

    @classmethod
    def on_roster(cls, full_name, local_id, community_ids):
        """The person with this name and identifier, preferring `community_ids` (the ones an
        office form concerns); None when nobody on any roster matches."""
        matches = list(
            cls.objects.filter(
                full_name=(full_name or "").strip(), local_id=(local_id or "").strip().upper()
            ).select_related("community")
        )
        matches.sort(key=lambda person: (person.community_id not in community_ids, person.pk))
        return matches[0] if matches else None

    @property
    def is_living(self):
        return self.status == PersonStatus.LIVING

    def age_on(self, day):
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self):
        super().clean()
        self.phone = normalise_phone(self.phone)
        if self.is_household_representative and not self.household:
            raise ValidationError({"household": _("A household representative needs a household.")})


class LinkMethod(models.TextChoices):
    SMS = "sms", _("Code sent to the roster's mobile number")
    OFFICE = "office", _("In person at the community office")


class RosterLink(models.Model):
    """This account is this roster person: who verified it, how and when."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="roster_link",
    )
    person = models.OneToOneField(
        RosterPerson,
        verbose_name=_("roster person"),
        on_delete=models.CASCADE,
        related_name="link",
    )
    method = models.CharField(_("verified by"), max_length=10, choices=LinkMethod.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("roster link")
        verbose_name_plural = _("roster links")

    def __str__(self):
        return f"{self.user_id} → {self.person_id}"


class LinkChallenge(models.Model):
    """A pending self-service link: the code texted to the roster's number, hashed.

    A challenge is made for every well-formed request, matched or not (`person` is then
    empty), so the page that follows is the same whether or not someone is on the roster.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="roster_challenges",
    )
    person = models.ForeignKey(
        RosterPerson,
        verbose_name=_("roster person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("roster link challenge")
        verbose_name_plural = _("roster link challenges")
        indexes = [models.Index(fields=["user", "created_at"], name="roster_challenge_user_idx")]

    def __str__(self):
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M}"


class RosterImport(models.Model):
    """An uploaded roster file, kept between the mapping, preview and apply steps."""

    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return self.filename
