"""What residents follow, how they want to hear about it, and what they were told."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    NOTICE = "notice", _("A new consultation notice in what I follow")
    INPUT = "input", _("Input opening and closing soon")
    HEARING = "hearing", _("Hearing reminders")
    POLL = "poll", _("A poll opened")
    RESULTS = "results", _("Poll results published")
    OUTCOME = "outcome", _("An outcome published or changed")
    ANSWER = "answer", _("An answer to my suggestion or to one I supported")


class Delivery(models.TextChoices):
    OFF = "off", _("Off")
    AT_ONCE = "now", _("At once")
    DIGEST = "digest", _("In one daily digest")


class Follow(models.Model):
    """A person following a community, a township/street or a single consultation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("user"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("followed page"),
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="unique_follow")]

    def __str__(self):
        return f"{self.user} → {self.page}"


def default_events():
    return dict.fromkeys(Event.values, Delivery.DIGEST.value)


class NotificationPreference(models.Model):
    """Per person: which events, at once or in the daily digest, and by which channels.

    A person without a row has the defaults: every event in the daily digest, by mail if
    they have an address, by SMS if they have a verified number; the inbox always.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    events = models.JSONField(_("events"), default=default_events)
    by_mail = models.BooleanField(_("by mail"), default=True)
    by_sms = models.BooleanField(_("by text message"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def delivery(self, event):
        return self.events.get(event, Delivery.DIGEST.value)


class Digest(models.Model):
    """The one digest mail of a person and day (unique: running the command twice is safe)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_digests",
        verbose_name=_("user"),
    )
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="unique_notification_digest")
        ]

    def __str__(self):
        return f"{self.user} {self.date}"


class Notification(models.Model):
    """One event told to one person: unique per person and event, whatever led to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    key = models.CharField(_("event key"), max_length=120)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    # Mail: sent at once (mailed_at) or in a digest; SMS: sent (texted_at) or waiting.
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest"),
    )
    wants_mail = models.BooleanField(_("by mail"), default=False)
    wants_sms = models.BooleanField(_("by text message"), default=False)
    texted_at = models.DateTimeField(_("texted"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["wants_mail", "delivery", "digest"], name="notification_digest"),
        ]

    def __str__(self):
        return f"{self.user}: {self.key}"
