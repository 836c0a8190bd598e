"""Poll results: who may see them, and the figures, read from counters — never from ballots.

`results_visible_to` is the one rule every surface asks (page, consultation card, CSV and
JSON downloads, staff exports); `poll_results` reads a fixed number of small tables, so
its cost does not grow with the number of ballots. A secret poll's sealed pool (at most a
few dozen entries between flushes) is counted in, so no accepted ballot is missing.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from consultations.models import CommunityPage
from consultations.permissions import can_manage_poll
from consultations.polls.models import (
    OptionTally,
    PaperTally,
    PollTurnout,
    ResultsVisibility,
    VoterRegister,
)

from .operations import eligible_count_for_display, pooled_counts

# No published figure, nor any difference of published figures, shows the choices of a
# group smaller than this (a community, the paper ballots, the online ballots).
BREAKDOWN_MIN_VOTERS = 10

# While a secret poll's counts are not due, staff see turnout rounded down to this step,
# so that a reload before and after one person votes tells nothing apart.
TURNOUT_STEP = 10

SESSION_KEY = "polls_voted"


def voted_in_session(request, poll):
    return request is not None and poll.pk in request.session.get(SESSION_KEY, [])


def remember_vote(request, poll):
    """Let a code holder (no account) see 'after voting' results in this browser."""
    voted = request.session.get(SESSION_KEY, [])
    if poll.pk not in voted:
        request.session[SESSION_KEY] = [*voted, poll.pk]


def results_due(poll, now=None):
    """Whether counts per option of `poll` may exist outside the ballot box now, for anyone.

    An open (named) vote: always. A secret ballot: once voting has closed, or while it is
    open if its rule shows live results to everyone anyway. Before that nobody — editors,
    officials, superusers — sees counts per option: a reload before and after a known
    person votes would show their choice.
    """
    now = now or timezone.now()
    if not poll.secret or poll.has_closed(now):
        return True
    return poll.results_visibility == ResultsVisibility.LIVE and now >= poll.opens_at


def rounded_turnout(voters):
    """Turnout as staff see it while a secret poll's counts are not due."""
    return voters - voters % TURNOUT_STEP


def results_visible_to(poll, user, request=None, now=None):
    """Whether `user` may see the counts of `poll` now. The single rule for every surface."""
    now = now or timezone.now()
    if can_manage_poll(user, poll) and results_due(poll, now):
        return True
    mode = poll.results_visibility
    if mode == ResultsVisibility.LIVE:
        return now >= poll.opens_at
    if mode == ResultsVisibility.AFTER_PUBLISH:
        return poll.results_published
    if poll.has_closed(now):
        return True
    if mode == ResultsVisibility.AFTER_VOTING:
        if voted_in_session(request, poll):
            return True
        return bool(
            user
            and user.is_authenticated
            and VoterRegister.objects.filter(poll=poll, user=user).exists()
        )
    return False


def when_results_shown(poll):
    """A sentence telling residents when the results will appear."""
    mode = poll.results_visibility
    if mode == ResultsVisibility.AFTER_PUBLISH:
        return _("The results will be shown once staff publish them.")
    closes = date_format(timezone.localtime(poll.closes_at), "DATETIME_FORMAT")
    if mode == ResultsVisibility.AFTER_VOTING:
        return _(
            "The results are shown to you once you have voted, and to everyone after voting closes (%(date)s)."
        ) % {"date": closes}
    if mode == ResultsVisibility.LIVE:
        return _("The results will be shown when voting opens.")
    return _("The results will be shown when voting closes (%(date)s).") % {"date": closes}


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def _question_rows(poll, online, paper, voters_online, voters_paper, split=True):
    """Rows per question and option; without `split`, only the combined figures."""
    questions = []
    for question in poll.question_list:
        options = []
        for option in question["options"]:
            oid = option["id"]
            on, pa = online.get(oid, 0), paper.get(oid, 0)
            options.append(
                {
                    "id": oid,
                    "label": option["label"],
                    "online": on if split else None,
                    "online_percent": _percent(on, voters_online) if split else None,
                    "paper": pa if split else None,
                    "paper_percent": _percent(pa, voters_paper) if split else None,
                    "combined": on + pa,
                    "combined_percent": _percent(on + pa, voters_online + voters_paper),
                }
            )
        questions.append(
            {
                "id": question["id"],
                "text": question["text"],
                "multiple": question["multiple"],
                "options": options,
            }
        )
    return questions


def poll_results(poll, with_eligible=True):
    """The figures of `poll`: per question and option, online, paper and combined.

    Six queries at most, whatever the number of ballots: the sealed pool,
    counters, turnout, paper tallies, the eligible count and, when shown, the names of the
    communities in the breakdown.
    """
    counts = pooled_counts(poll)
    for option_id, community, votes in OptionTally.objects.filter(poll=poll).values_list(
        "option_id", "community_id", "votes"
    ):
        counts[(community, option_id)] += votes
    tallies = [(option_id, community, votes) for (community, option_id), votes in counts.items()]
    turnout = dict(PollTurnout.objects.filter(poll=poll).values_list("community_id", "voters"))
    # A paper tally counts once a second staff member has confirmed it.
    paper_tallies = list(
        PaperTally.objects.filter(poll=poll, confirmed_at__isnull=False).values_list(
            "voters", "counts"
        )
    )

    online = {oid: votes for oid, community, votes in tallies if community is None}
    voters_online = turnout.get(None, 0)
    paper = {}
    voters_paper = 0
    for voters, counts in paper_tallies:
        voters_paper += voters
        for oid, votes in (counts or {}).items():
            paper[oid] = paper.get(oid, 0) + int(votes)
    voters_total = voters_online + voters_paper
    eligible = eligible_count_for_display(poll) if with_eligible else None

    # Online and paper apart only if neither side is a small group: otherwise the
    # combined figure minus the other side would be that group's choices.
    split = not paper_tallies or all(
        n == 0 or n >= BREAKDOWN_MIN_VOTERS for n in (voters_online, voters_paper)
    )
    breakdown = []
    if split:
        shown, other = breakdown_groups(turnout, voters_online)
        titles = dict(CommunityPage.objects.filter(pk__in=shown).values_list("pk", "title"))
        for community, voters in sorted(shown.items(), key=lambda item: titles.get(item[0], "")):
            counts = {oid: votes for oid, c, votes in tallies if c == community}
            breakdown.append(
                {
                    "community": titles.get(community, ""),
                    "other": False,
                    "voters": voters,
                    "questions": _question_rows(poll, counts, {}, voters, 0),
                }
            )
        if breakdown and other:
            rest = {
                oid: votes - sum(v for o, c, v in tallies if o == oid and c in shown)
                for oid, votes in online.items()
            }
            breakdown.append(
                {
                    "community": str(_("Other communities and residents without one")),
                    "other": True,
                    "voters": other,
                    "questions": _question_rows(poll, rest, {}, other, 0),
                }
            )

    return {
        "voters_online": voters_online,
        "voters_paper": voters_paper,
        "voters_total": voters_total,
        "has_paper": bool(paper_tallies),
        "split": split,
        "eligible": eligible,
        "turnout_percent": _percent(voters_online, eligible) if eligible else None,
        "questions": _question_rows(poll, online, paper, voters_online, voters_paper, split),
        "breakdown": breakdown,
    }


def breakdown_groups(turnout, voters_online):
    """The communities shown apart, {community id: voters}, and the voters of the rest.

    A community is shown only with at least BREAKDOWN_MIN_VOTERS online voters, and so
    is the rest (smaller communities, residents without one): were it smaller, the online
    total minus the shown communities would be its ballots (the differencing attack). So
    while the rest is small, the smallest shown community joins it (complementary
    suppression); a single community left alone would equal the total minus the rest, so
    the breakdown needs two communities, or one and a rest that is large enough.
    """
    communities = {c: n for c, n in turnout.items() if c is not None}
    if len(communities) < 2:
        return {}, 0
    shown = {c: n for c, n in communities.items() if n >= BREAKDOWN_MIN_VOTERS}
    rest = voters_online - sum(shown.values())
    while shown and 0 < rest < BREAKDOWN_MIN_VOTERS:
        smallest = min(shown, key=lambda c: (shown[c], c))
        rest += shown.pop(smallest)
    if len(shown) == 1 and rest == 0:
        return {}, 0  # one community is the whole: nothing to break down
    return shown, rest
