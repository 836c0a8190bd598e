"""Ledger entries (台账): one per consultation activity, generated or entered by hand.

The policy (三(六)) asks every village and community to hold at least four consultation
activities a year and to keep a ledger of them. A consultation held on the portal makes
a *generated* entry, kept current from its records (`operations.sync_entry`); activities
held offline are *manual* entries. A generated entry can be corrected: the computed
figure stays stored and shown next to the corrected one.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable
from wagtail.search import index


@register_setting(icon="list-ul")
class LedgerSettings(BaseSiteSetting):
    """How many consultation activities a community must hold a year (三(六))."""

    activities_per_year = models.PositiveSmallIntegerField(
        _("consultation activities required per year"),
        default=4,
        help_text=_("Communities with fewer activities in a year are flagged in the report."),
    )

    class Meta:
        verbose_name = _("ledger settings")


class Source(models.TextChoices):
    GENERATED = "generated", _("From the portal's records")
    MANUAL = "manual", _("Entered by hand (offline activity)")


class LedgerEntry(index.Indexed, ClusterableModel):
    """One consultation activity in the ledger of the communities it covers."""

    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL, editable=False
    )
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_entries",
        help_text=_("The consultation this activity belongs to, if it has a page."),
    )
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for a township-level activity covering several communities."),
    )
    area = models.ForeignKey(
        "consultations.CommunityIndexPage",
        verbose_name=_("township or street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    communities = ParentalManyToManyField(
        "consultations.CommunityPage",
        verbose_name=_("communities counted"),
        blank=True,
        related_name="ledger_entries",
        help_text=_("The activity counts once for each of these communities."),
    )
    held_on = models.DateField(_("held on"), db_index=True)
    held_until = models.DateField(_("held until"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=255)
    category = models.ForeignKey(
        "consultations.Category",
        verbose_name=_("topic category"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    format = models.ForeignKey(
        "consultations.Format",
        verbose_name=_("consultation format"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    participant_groups = ParentalManyToManyField(
        "consultations.ParticipantGroup",
        verbose_name=_("participant groups"),
        blank=True,
        related_name="ledger_entries",
    )

    # Figures computed from the portal's records (figures.py); never typed in.
    hearing_attended = models.PositiveIntegerField(
        _("attended the hearing"), default=0, editable=False
    )
    ballots_online = models.PositiveIntegerField(
        _("ballots cast online"), default=0, editable=False
    )
    ballots_assisted = models.PositiveIntegerField(_("assisted ballots"), default=0, editable=False)
    ballots_paper = models.PositiveIntegerField(_("paper ballots"), default=0, editable=False)
    suggestions = models.PositiveIntegerField(_("suggestions received"), default=0, editable=False)
    suggestions_answered = models.PositiveIntegerField(
        _("suggestions answered"), default=0, editable=False
    )
    participants_computed = models.PositiveIntegerField(
        _("participants (computed)"), default=0, editable=False
    )
    # Typed in: the figure of a manual entry, or the correction of a generated one.
    participants_recorded = models.PositiveIntegerField(
        _("number of participants (recorded)"),
        null=True,
        blank=True,
        help_text=_(
            "For an offline activity, how many took part. For a generated entry, a "
            "correction; the computed figure stays visible next to it."
        ),
    )
    correction_note = models.TextField(
        _("note on the figures"), blank=True, help_text=_("Why the figure was corrected.")
    )

    outcome = models.ForeignKey(
        "consultations.OutcomePage",
        verbose_name=_("outcome announcement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_summary = models.TextField(_("outcome"), blank=True)
    minutes = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The procedure checklist as of the last sync (checklist.py); outcome dates kept so
    # that the disclosure step is judged on the day it is read.
    steps = models.JSONField(_("procedure checklist"), default=dict, blank=True, editable=False)
    outcome_due = models.DateField(_("outcome due"), null=True, blank=True, editable=False)
    outcome_published_on = models.DateField(
        _("outcome published on"), null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("topic"),
        index.SearchField("organiser"),
        index.SearchField("outcome_summary"),
        index.FilterField("held_on"),
        index.FilterField("source"),
    ]

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(source="generated"),
                name="ledger_one_generated_entry_per_consultation",
            )
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def is_generated(self):
        return self.source == Source.GENERATED

    @property
    def participants(self):
        """The figure the ledger counts: the recorded one where there is one."""
        if self.participants_recorded is not None:
            return self.participants_recorded
        return self.participants_computed

    @property
    def is_corrected(self):
        return self.is_generated and self.participants_recorded is not None

    @property
    def ballots(self):
        return self.ballots_online + self.ballots_assisted + self.ballots_paper

    @property
    def place(self):
        return self.community or self.area


class LedgerPhoto(Orderable):
    """A photo of the activity (meeting, notice board), for the ledger's record."""

    entry = ParentalKey(LedgerEntry, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
