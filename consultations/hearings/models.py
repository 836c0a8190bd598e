"""Public hearings (民主听证会): sessions with seats, registration, waitlist and speakers.

The policy (三(四)) sends matters of wide impact to a public hearing where stakeholders,
experts and uninvolved residents take part. A HearingPage hangs below its consultation;
its sessions have a room with a fixed number of seats. Registrations never exceed the
seats (or a category's quota): the seat check and the insert happen in one transaction
under a lock on the session row (see `consultations.hearings.operations`).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from consultations.consultation_pages.models import ConsultationChildPage, ConsultationPage, Stage
from consultations.lazy import FormClassPath


class RegistrationCategory(models.TextChoices):
    """Who takes part in a hearing (三(二)): stakeholders, experts, uninvolved residents."""

    AFFECTED = "affected", _("Affected resident")
    NON_REGISTERED = "non_registered", _("Non-registered resident")
    EXPERT = "expert", _("Expert")
    ORGANISATION = "organisation", _("Organisation representative")
    OBSERVER = "observer", _("Observer")


# The session field that holds each category's optional quota.
QUOTA_FIELDS = {
    RegistrationCategory.AFFECTED: "quota_affected",
    RegistrationCategory.NON_REGISTERED: "quota_non_registered",
    RegistrationCategory.EXPERT: "quota_expert",
    RegistrationCategory.ORGANISATION: "quota_organisation",
    RegistrationCategory.OBSERVER: "quota_observer",
}


class HearingFormField(AbstractFormField):
    """An extra question the editor adds to the registration form (Wagtail form builder)."""

    page = ParentalKey(
        "consultations.HearingPage", on_delete=models.CASCADE, related_name="form_fields"
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = _("extra registration field")
        verbose_name_plural = _("extra registration fields")


class HearingPage(RoutablePageMixin, ConsultationChildPage):
    """A public hearing (民主听证会) on the consultation above it.

    Editors describe the hearing and its agenda, add one or more sessions with a room,
    seats and a registration deadline, and may add extra questions to the registration
    form. After the hearing they attach the minutes and publish the attendance figures.
    """

    description = RichTextField(
        _("description"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        help_text=_("What the hearing is about and who is invited."),
    )
    agenda = RichTextField(
        _("agenda"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    minutes = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The minutes of the hearing, published after it took place."),
    )
    attendance_published = models.BooleanField(
        _("publish attendance figures"),
        default=False,
        help_text=_("Show how many people registered and attended, once the hearing is over."),
    )

    content_panels = ConsultationChildPage.content_panels + [
        FieldPanel("description"),
        FieldPanel("agenda"),
        InlinePanel("sessions", heading=_("Sessions"), label=_("Session"), min_num=1),
        InlinePanel(
            "form_fields",
            heading=_("Extra registration fields"),
            label=_("Field"),
        ),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("attendance_published")],
            heading=_("After the hearing"),
        ),
    ]

    search_fields = ConsultationChildPage.search_fields + [
        index.SearchField("description"),
        index.SearchField("agenda"),
    ]

    # Open data: sessions with seats left (no registrant is ever shown).
    api_fields = [
        APIField("description"),
        APIField("sessions", serializer=serializers.JSONField(source="api_sessions")),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        """Sessions and their counts for the whole API listing in one query."""
        from consultations.hearings.operations import with_counts

        sessions = with_counts(HearingSession.objects.order_by("sort_order", "pk"))
        return queryset.prefetch_related(
            models.Prefetch("sessions", queryset=sessions, to_attr="api_session_list")
        )

    @property
    def api_sessions(self):
        from consultations.hearings.operations import seats_left, with_counts

        sessions = getattr(self, "api_session_list", None)
        if sessions is None:
            sessions = with_counts(self.sessions.order_by("sort_order", "pk"))
        return [
            {
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "place": session.place,
                "address": session.address,
                "seats": session.seats,
                "seats_left": seats_left(session),
                "registration_deadline": session.registration_deadline.isoformat(),
            }
            for session in sessions
        ]

    # Checks the notice period and protects sessions that already have registrations.
    base_form_class = FormClassPath("consultations.hearings.forms.HearingPageAdminForm")

    card_template = "consultations/hearings/hearing_card.html"
    template = "consultations/hearings/hearing_page.html"

    class Meta:
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")

    @cached_property
    def next_session(self):
        """The next session to come, with `seats_left` and `registration_open_now` (card)."""
        from consultations.hearings.operations import seats_left, with_counts

        now = timezone.now()
        session = (
            with_counts(self.sessions.filter(starts_at__gte=now))
            .order_by("starts_at", "pk")
            .first()
        )
        if session:
            session.seats_left = seats_left(session)
            session.registration_open_now = session.registration_open(now)
        return session

    def consultation_stage(self, today):
        """Once the first session has begun, the consultation is in deliberation.

        A matter referred to the residents' assembly stays "referred": the hearing does
        not pull it back.
        """
        consultation = self.consultation
        if consultation is not None and getattr(consultation, "referred_to_assembly", False):
            return None
        first = self.sessions.order_by("starts_at").first()
        if first and timezone.localdate(first.starts_at) <= today:
            return Stage.DELIBERATION
        return None

    def get_context(self, request, *args, **kwargs):
        from consultations.hearings.views import hearing_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hearing_page_context(self, request, kwargs.get("form")))
        return context

    # --- routes: the page serves its own form, so view restrictions hold for it too ---

    @path("register/", name="register")
    def register(self, request):
        from consultations.hearings.views import register

        return register(request, self)

    def serve(self, request, *args, **kwargs):
        # Never cache a page that shows the visitor's own registrations; an anonymous
        # visitor's copy shows none and may be shared (home/page_cache.py).
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-cache"
        return response


class HearingSession(Orderable):
    """One sitting of a hearing: when, where, how many seats, until when to register."""

    page = ParentalKey(HearingPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"), max_length=120, help_text=_("e.g. the village meeting hall.")
    )
    address = models.CharField(_("address"), max_length=200)
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        help_text=_("Registration and the waitlist close at this moment."),
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Step-free access, hearing loop, seats reserved for older residents…"),
    )
    quota_affected = models.PositiveIntegerField(
        _("quota: affected residents"), null=True, blank=True
    )
    quota_non_registered = models.PositiveIntegerField(
        _("quota: non-registered residents"), null=True, blank=True
    )
    quota_expert = models.PositiveIntegerField(_("quota: experts"), null=True, blank=True)
    quota_organisation = models.PositiveIntegerField(
        _("quota: organisation representatives"), null=True, blank=True
    )
    quota_observer = models.PositiveIntegerField(_("quota: observers"), null=True, blank=True)

    @property
    def location(self):
        """Place and address, the address left out where it only repeats the place (a
        consultation made from a template has one meeting place for both)."""
        if self.address.strip() in ("", self.place.strip()):
            return [self.place]
        return [self.place, self.address]

    panels = [
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("address")]),
        FieldRowPanel([FieldPanel("seats"), FieldPanel("registration_deadline")]),
        FieldPanel("accessibility_notes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quota_affected"), FieldPanel("quota_non_registered")]),
                FieldRowPanel([FieldPanel("quota_expert"), FieldPanel("quota_organisation")]),
                FieldPanel("quota_observer"),
            ],
            heading=_("Seats per category (optional; empty means no limit)"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("hearing session")
        verbose_name_plural = _("hearing sessions")

    def __str__(self):
        return f"{self.page.title} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def quota_for(self, category):
        field = QUOTA_FIELDS.get(category)
        return getattr(self, field) if field else None

    def registration_open(self, now=None):
        now = now or timezone.now()
        return now < self.registration_deadline and now < self.starts_at

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    def is_over(self, now=None):
        return (now or timezone.now()) >= self.ends_at

    @cached_property
    def consultation(self):
        return self.page.consultation

    @property
    def community_page(self):
        """The page whose permissions decide who may manage this session's registrants."""
        return self.page


class Registration(models.Model):
    """One person's place (or waiting place) at one hearing session.

    A person has at most one active registration per session, enforced by a partial
    unique constraint that ignores cancelled rows, so a resident who cancelled may
    register again. The waitlist is ordered by `created_at`.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        HearingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hearing_registrations",
    )
    category = models.CharField(_("category"), max_length=20, choices=RegistrationCategory.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wishes_to_speak = models.BooleanField(_("wishes to speak"), default=False)
    speech_summary = models.TextField(_("summary of the speech"), max_length=1000, blank=True)
    extra_answers = models.JSONField(
        _("answers to extra questions"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    code = models.CharField(_("registration code"), max_length=12, unique=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    speaker_order = models.PositiveSmallIntegerField(_("speaking order"), null=True, blank=True)
    speaking_at = models.TimeField(_("speaking time"), null=True, blank=True)
    speaking_minutes = models.PositiveSmallIntegerField(
        _("speaking minutes"), null=True, blank=True
    )
    personal_data_purged_at = models.DateTimeField(
        _("personal data purged at"), null=True, blank=True
    )
    # Registered at the office by a community worker for a person on the roster; online
    # registrations of a roster-linked account name the person too.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roster_person = models.ForeignKey(
        "consultations.RosterPerson",
        verbose_name=_("roster person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearing_registrations",
    )

    class Meta:
        verbose_name = _("hearing registration")
        verbose_name_plural = _("hearing registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="hearing_one_active_registration_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "roster_person"],
                condition=~Q(status="cancelled"),
                name="hearing_one_active_registration_per_roster_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["session", "status", "created_at"], name="hearing_reg_session_status_idx"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.session}"

    def hearing_page_id(self):
        """The id of the hearing page: from the session when it is loaded (the write paths
        load it, locked), with one query otherwise."""
        if Registration.session.is_cached(self):
            return self.session.page_id
        return (
            HearingSession.objects.filter(pk=self.session_id)
            .values_list("page_id", flat=True)
            .first()
        )

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    def can_be_cancelled(self, now=None):
        return self.is_active and not self.session.has_started(now)

    def waitlist_position(self):
        """1 for the first person waiting; None when not on the waitlist."""
        if self.status != self.Status.WAITLISTED:
            return None
        earlier = Registration.objects.filter(
            session_id=self.session_id, status=self.Status.WAITLISTED
        ).filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
        return earlier.count() + 1


__all__ = [
    "ConsultationPage",
    "HearingFormField",
    "HearingPage",
    "HearingSession",
    "Registration",
    "RegistrationCategory",
]
