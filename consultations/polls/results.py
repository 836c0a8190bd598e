"""Poll results: who may see them, and the figures, read from counters — never from ballots.

`results_visible_to` is the one rule every surface asks (page, consultation card, CSV and
JSON downloads, staff exports); `poll_results` reads a fixed number of small tables, so
its cost does not grow with the number of ballots.
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

from .operations import eligible_count_for_display

# A per-community breakdown is shown only for groups this large, so that a small group's
# figures cannot reveal how its few members voted.
BREAKDOWN_MIN_VOTERS = 10

SESSION_KEY = "polls_voted"


def voted_in_session(request, poll):
    return request is not None and poll.pk in request.session.get(SESSION_KEY, [])


def remember_vote(request, poll):
    """Let a code holder (no account) see 'after voting' results in this browser."""
    voted = request.session.get(SESSION_KEY, [])
    if poll.pk not in voted:
        request.session[SESSION_KEY] = [*voted, poll.pk]


def results_visible_to(poll, user, request=None, now=None):
    """Whether `user` may see the counts of `poll` now. The single rule for every surface."""
    if can_manage_poll(user, poll):
        return True
    now = now or timezone.now()
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


def _question_rows(poll, online, paper, voters_online, voters_paper):
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
                    "online": on,
                    "online_percent": _percent(on, voters_online),
                    "paper": pa,
                    "paper_percent": _percent(pa, voters_paper),
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

    Five queries at most, whatever the number of ballots: counters, turnout, paper tallies,
    the eligible count and, when shown, the names of the communities in the breakdown.
    """
    tallies = list(
        OptionTally.objects.filter(poll=poll).values_list("option_id", "community_id", "votes")
    )
    turnout = dict(PollTurnout.objects.filter(poll=poll).values_list("community_id", "voters"))
    paper_tallies = list(PaperTally.objects.filter(poll=poll).values_list("voters", "counts"))

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

    breakdown = []
    groups = {
        community: voters
        for community, voters in turnout.items()
        if community is not None and voters >= BREAKDOWN_MIN_VOTERS
    }
    if len([c for c in turnout if c is not None]) > 1 and groups:
        titles = dict(CommunityPage.objects.filter(pk__in=groups).values_list("pk", "title"))
        for community, voters in sorted(groups.items(), key=lambda item: titles.get(item[0], "")):
            counts = {oid: votes for oid, c, votes in tallies if c == community}
            breakdown.append(
                {
                    "community": titles.get(community, ""),
                    "voters": voters,
                    "questions": _question_rows(poll, counts, {}, voters, 0),
                }
            )

    return {
        "voters_online": voters_online,
        "voters_paper": voters_paper,
        "voters_total": voters_total,
        "has_paper": bool(paper_tallies),
        "eligible": eligible,
        "turnout_percent": _percent(voters_online, eligible) if eligible else None,
        "questions": _question_rows(poll, online, paper, voters_online, voters_paper),
        "breakdown": breakdown,
    }


def results_rows(poll, results):
    """Flat rows for CSV/XLSX exports: aggregated figures only, never ballots."""
    rows = []
    for question in results["questions"]:
        for option in question["options"]:
            rows.append(
                [
                    question["text"],
                    option["label"],
                    option["online"],
                    option["online_percent"],
                    option["paper"],
                    option["combined"],
                    option["combined_percent"],
                ]
            )
    return rows


RESULT_HEADERS = [
    _("Question"),
    _("Option"),
    _("Online votes"),
    _("Online %"),
    _("Paper votes"),
    _("Combined votes"),
    _("Combined %"),
]
