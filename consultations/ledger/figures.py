"""The one source of the portal's figures: participants, activities, answered suggestions.

Every screen that shows how many took part in a consultation, how many activities a
community held or how many suggestions were answered reads it from here: the outcome
page's "how the consultation was held", the consultation page's block, the ledger (whose
entries store these figures, kept current by `operations.sync_entry`), the compliance
report, its exports, the dashboard panel and the public record.

Participants of a consultation = attended the hearing + ballots cast (online, assisted at
the office, on paper once a second staff member confirmed the tally) + suggestions received
(rejected ones are not counted). Only *that* someone took part is read, never what they
said or chose (the secret ballot stays secret).
"""

from dataclasses import asdict, dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from consultations.hearings import operations as hearings


@dataclass(frozen=True)
class ConsultationFigures:
    sessions: int = 0
    confirmed: int = 0
    attended: int = 0
    speakers: int = 0
    ballots_online: int = 0
    ballots_assisted: int = 0
    ballots_paper: int = 0
    suggestions: int = 0
    suggestions_published: int = 0
    suggestions_answered: int = 0

    @property
    def ballots(self):
        return self.ballots_online + self.ballots_assisted + self.ballots_paper

    @property
    def participants(self):
        return self.attended + self.ballots + self.suggestions

    @property
    def suggestions_unanswered(self):
        return self.suggestions_published - self.suggestions_answered

    def as_dict(self):
        data = asdict(self)
        data.update(
            ballots=self.ballots,
            participants=self.participants,
            suggestions_unanswered=self.suggestions_unanswered,
        )
        return data


def consultation_figures(consultation):
    """The figures of one consultation, from its hearings, polls and suggestion forms."""
    from consultations.polls.models import PaperTally, VoterRegister
    from consultations.suggestions.models import Suggestion

    if consultation is None or not consultation.pk:
        return ConsultationFigures()
    totals = hearings.attendance_totals(consultation)
    polls_below = {
        "poll__path__startswith": consultation.path,
        "poll__depth": consultation.depth + 1,
    }
    register = VoterRegister.objects.filter(**polls_below).aggregate(
        online=Count("pk", filter=Q(assisted=False)), assisted=Count("pk", filter=Q(assisted=True))
    )
    paper = (
        PaperTally.objects.filter(**polls_below, confirmed_at__isnull=False).aggregate(
            n=Sum("voters")
        )["n"]
        or 0
    )
    suggestions = Suggestion.objects.filter(page__path__startswith=consultation.path).aggregate(
        received=Count("pk", filter=~Q(status=Suggestion.Status.REJECTED)),
        published=Count("pk", filter=Q(status=Suggestion.Status.PUBLISHED)),
        answered=Count("pk", filter=Q(status=Suggestion.Status.PUBLISHED) & ~Q(answer_status="")),
    )
    return ConsultationFigures(
        sessions=totals["sessions"],
        confirmed=totals["confirmed"],
        attended=totals["attended"],
        speakers=totals["speakers"],
        ballots_online=register["online"],
        ballots_assisted=register["assisted"],
        ballots_paper=paper,
        suggestions=suggestions["received"],
        suggestions_published=suggestions["published"],
        suggestions_answered=suggestions["answered"],
    )


# The labelled figures for "how the consultation was held", in the order shown; a figure
# of zero is left out (a consultation without a hearing shows no hearing line).
FIGURE_LABELS = (
    ("sessions", _("Hearing sessions")),
    ("confirmed", _("Confirmed seats at the hearing")),
    ("attended", _("Attended the hearing")),
    ("speakers", _("Speakers at the hearing")),
    ("suggestions", _("Suggestions received")),
    ("suggestions_answered", _("Suggestions answered")),
    ("ballots_online", _("Ballots cast online")),
    ("ballots_assisted", _("Ballots cast with help at the community office")),
    ("ballots_paper", _("Paper ballots")),
    ("ballots", _("Residents who voted in the poll")),
    ("participants", _("Participations in all (each way of taking part counted)")),
)


def figure_rows(figures, participants=None):
    """[{"key", "label", "value"}] of the non-zero figures, for templates.

    `participants` replaces the total where a ledger entry's figure was corrected.
    """
    values = figures.as_dict()
    if participants is not None:
        values["participants"] = participants
    return [
        {"key": key, "label": label, "value": values[key]}
        for key, label in FIGURE_LABELS
        if values.get(key)
    ]


def consultation_figure_rows(consultation):
    """The labelled figures of a consultation, live, with the total its ledger entry
    counts (a staff correction, where there is one): what the outcome page shows."""
    from consultations.ledger.models import LedgerEntry, Source

    if consultation is None or not consultation.pk:
        return []
    corrected = (
        LedgerEntry.objects.filter(consultation_id=consultation.pk, source=Source.GENERATED)
        .values_list("participants_recorded", flat=True)
        .first()
    )
    return figure_rows(consultation_figures(consultation), participants=corrected)


def entry_figures(entry):
    """The figures a ledger entry stored at its last sync, as ConsultationFigures."""
    return ConsultationFigures(
        attended=entry.hearing_attended,
        ballots_online=entry.ballots_online,
        ballots_assisted=entry.ballots_assisted,
        ballots_paper=entry.ballots_paper,
        suggestions=entry.suggestions,
        suggestions_answered=entry.suggestions_answered,
    )


# --- activities per community ---------------------------------------------------------


def months_left(year, today):
    """Months left in `year` to hold activities, counting the current one (December
    still has one); 0 for a past year, 12 for a future one."""
    if year < today.year:
        return 0
    if year > today.year:
        return 12
    return 13 - today.month


def held_entries(year, today, communities=None):
    """The ledger entries of `year` held by `today` (planned ones are not yet activities)."""
    from consultations.ledger.models import LedgerEntry

    entries = LedgerEntry.objects.filter(held_on__year=year, held_on__lte=today)
    if communities is not None:
        entries = entries.filter(communities__in=communities).distinct()
    return entries


def community_activity_counts(year, today, communities):
    """{community id: number of activities held in `year`}: one query for any number.

    A township-level activity counts once for each community it covers (三(二)).
    """
    from consultations.ledger.models import LedgerEntry

    through = LedgerEntry.communities.through
    rows = (
        through.objects.filter(
            communitypage__in=communities,
            ledgerentry__held_on__year=year,
            ledgerentry__held_on__lte=today,
        )
        .values("communitypage_id")
        .annotate(n=Count("ledgerentry_id", distinct=True))
    )
    return {row["communitypage_id"]: row["n"] for row in rows}


def participants_total(entries):
    """The participants of a list of entries, counting each entry's recorded figure."""
    return sum(entry.participants for entry in entries)


# --- the yearly compliance figures (三(六)) ---------------------------------------------


@dataclass
class CommunityRow:
    community: object
    township: object
    activities: int = 0
    required: int = 4
    months_left: int = 0
    participants: int = 0
    consultations: int = 0
    overdue_disclosures: int = 0
    categories: list = None
    steps_met: dict = None
    entries: list = None

    @property
    def below_requirement(self):
        return self.activities < self.required

    @property
    def shortfall(self):
        return max(self.required - self.activities, 0)


@dataclass
class Compliance:
    year: int
    required: int
    today: object
    rows: list
    townships: list
    total: dict
    by_month: list
    by_category: list
    entries: list


def _totals(rows):
    return {
        "communities": len(rows),
        "below": sum(1 for r in rows if r.below_requirement),
        "activities": sum(r.activities for r in rows),
        "participants": sum(r.participants for r in rows),
        "consultations": sum(r.consultations for r in rows),
        "overdue_disclosures": sum(r.overdue_disclosures for r in rows),
    }


def compliance(year, communities, today, required):
    """The year's figures for `communities`, in a fixed number of queries however many.

    Each community's activities are the ledger entries held in `year` by `today` that
    count for it; a township activity counts for every community it covers.
    """
    from consultations.communities.models import CommunityIndexPage
    from consultations.ledger.checklist import (
        CHECKLIST_STEPS,
        entry_checklist,
        is_overdue_disclosure,
    )
    from consultations.ledger.models import LedgerEntry

    communities = list(communities.order_by("path"))
    areas = {area.path: area for area in CommunityIndexPage.objects.order_by("path")}
    entries = list(
        LedgerEntry.objects.filter(
            held_on__year=year, held_on__lte=today, communities__in=[c.pk for c in communities]
        )
        .distinct()
        .select_related("category", "format", "community", "area", "outcome")
        .prefetch_related("communities", "participant_groups")
        .order_by("held_on", "pk")
    )
    per_community = {c.pk: [] for c in communities}
    for entry in entries:
        entry.checklist_items = entry_checklist(entry, today)
        entry.overdue_disclosure = is_overdue_disclosure(entry, today)
        for community in entry.communities.all():
            if community.pk in per_community:
                per_community[community.pk].append(entry)

    rows = []
    left = months_left(year, today)
    for community in communities:
        mine = per_community[community.pk]
        steps_met = dict.fromkeys(CHECKLIST_STEPS, 0)
        for entry in mine:
            for item in entry.checklist_items:
                if item["state"] is True:
                    steps_met[item["key"]] += 1
        categories = sorted({e.category.label for e in mine})
        rows.append(
            CommunityRow(
                community=community,
                township=areas.get(community.path[: -community.steplen]),
                activities=len(mine),
                required=required,
                months_left=left,
                participants=participants_total(mine),
                consultations=sum(1 for e in mine if e.is_generated),
                overdue_disclosures=sum(1 for e in mine if e.overdue_disclosure),
                categories=categories,
                steps_met=steps_met,
                entries=mine,
            )
        )

    townships = []
    for township in sorted(
        {r.township.pk: r.township for r in rows if r.township}.values(), key=lambda a: a.path
    ):
        mine = [r for r in rows if r.township and r.township.pk == township.pk]
        townships.append({"township": township, **_totals(mine)})

    by_month = [0] * 12
    category_counts = {}
    for entry in entries:
        by_month[entry.held_on.month - 1] += 1
        category_counts[entry.category.label] = category_counts.get(entry.category.label, 0) + 1
    return Compliance(
        year=year,
        required=required,
        today=today,
        rows=rows,
        townships=townships,
        total=_totals(rows),
        by_month=by_month,
        by_category=sorted(category_counts.items(), key=lambda kv: (-kv[1], kv[0])),
        entries=entries,
    )
