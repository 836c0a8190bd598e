"""Atomic poll operations: who may vote, casting a ballot, codes, paper tallies, publishing.

Views, admin views, the demo loader and tests all call these functions; none of them
writes poll records another way.
"""

import logging
import secrets
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from consultations.codes import new_code, normalise_code
from consultations.errors import ConsultationError
from consultations.notifications import operations as notifications
from consultations.notifications.models import Event
from consultations.permissions import is_resident_of, is_verified_resident
from consultations.polls.models import (
    Ballot,
    CodeBatch,
    Eligibility,
    NamedVote,
    OptionTally,
    PaperTally,
    PollPage,
    PollTurnout,
    SealedBallot,
    VoterRegister,
    VotingCode,
)
from consultations.polls.sealing import UnsealError, seal, unseal
from consultations.roster import eligibility as roster_eligibility
from consultations.roster.models import RosterLink
from home.page_cache import invalidate, remembered

# Codes are read off paper by older residents: unambiguous characters (consultations.codes).
CODE_LENGTH = 8
MAX_BATCH_SIZE = 2000
# The sealed ballot pool of a secret poll (docs/secrecy.md, "Database readers"): an open
# poll's pool is flushed once it holds twice this many, and keeps this many back, chosen at
# random, so every flush covers at least this many voters and ballots mix across flushes.
POOL_KEEP = 10

logger = logging.getLogger(__name__)


class PollError(ConsultationError):
    """A vote (or a staff step) that cannot be done; `message` is safe to show to the voter."""

    code = "poll_refused"


class AlreadyVoted(PollError):
    pass


class NotEligible(PollError):
    pass


class InvalidChoices(PollError):
    pass


@dataclass
class Decision:
    """Whether someone may vote now, and if not, why (shown before the form)."""

    allowed: bool
    reason: str = ""
    needs_code: bool = False
    already_voted: bool = False


# --- who may vote ------------------------------------------------------------------------


def scope_community_ids(poll):
    """The communities whose residents the poll's consultation concerns (ids).

    Asked on every poll page and ballot cast; they change only when a page is published
    or moved, so they are remembered under the page-cache version (home/page_cache.py).
    """

    def compute():
        consultation = poll.consultation
        if consultation is None:
            return set()
        return set(consultation.scope_communities().values_list("pk", flat=True))

    return remembered(f"poll-scope:{poll.pk}", compute)


def has_voted(poll, user):
    if not (user and user.is_authenticated):
        return False
    return VoterRegister.objects.filter(poll=poll, user=user).exists()


def _has_voted(poll, user):
    """In the register by account, or, for a roster poll, by the person's roster entry."""
    return has_voted(poll, user) or (
        poll.uses_roster and roster_has_voted(poll, roster_person_of(user))
    )


def voting_decision(poll, user, now=None):
    """Whether `user` (possibly anonymous) may vote in `poll` now, with the reason if not."""
    now = now or timezone.now()
    if now < poll.opens_at:
        return Decision(
            False,
            _("Voting opens on %(date)s")
            % {"date": date_format(timezone.localtime(poll.opens_at), "DATETIME_FORMAT")},
        )
    if poll.has_closed(now):
        closed = date_format(timezone.localtime(poll.closes_at), "DATETIME_FORMAT")
        if user and user.is_authenticated and _has_voted(poll, user):
            # A voter coming back after the close is told that their ballot counted.
            return Decision(
                False,
                _("Voting closed on %(date)s. You voted in this poll.") % {"date": closed},
                already_voted=True,
            )
        return Decision(False, _("Voting closed on %(date)s") % {"date": closed})
    if _has_voted(poll, user):
        return Decision(False, _("You have already voted in this poll."), already_voted=True)
    if poll.eligibility == Eligibility.CODES:
        return Decision(True, needs_code=True)
    if poll.uses_roster and not (user and user.is_authenticated):
        # Without an account, the per-person code handed out from the roster.
        return Decision(True, needs_code=True)
    if not (user and user.is_authenticated):
        return Decision(False, _("Log in to vote. Only verified residents may vote."))
    if not is_verified_resident(user):
        return Decision(False, _("Confirm your email address to vote: we sent you a link."))
    if poll.uses_roster:
        reason = roster_refusal(poll, roster_person_of(user), now)
        return Decision(False, reason) if reason else Decision(True)
    if poll.eligibility == Eligibility.COMMUNITY:
        if user.community_id is None:
            return Decision(
                False,
                _(
                    "This poll is for residents of the communities the consultation covers. "
                    "Add your community to your profile to vote."
                ),
            )
        scope = scope_community_ids(poll)
        resident = is_resident_of(user, scope)
        if user.community_id in scope and not resident:
            return Decision(
                False,
                _(
                    "This poll is for residents on the roster of their community. Confirm "
                    "your entry on the roster (from your account page) to vote."
                ),
            )
        if not resident:
            return Decision(
                False,
                _(
                    "This poll is for residents of the communities the consultation covers; "
                    "your profile says you live elsewhere."
                ),
            )
    return Decision(True)


def eligible_count(poll):
    """The denominator of turnout: who could vote in this poll."""
    if poll.uses_roster:
        return roster_eligible_count(poll)
    if poll.eligibility == Eligibility.CODES:
        # Issued codes that can vote or did: withdrawn slips no longer count.
        return VotingCode.objects.filter(poll=poll).exclude(voided=True, used=False).count()
    users = get_user_model().objects.filter(
        is_active=True, emailaddress__verified=True, is_staff=False
    )
    if poll.eligibility == Eligibility.COMMUNITY:
        users = users.filter(community__in=list(scope_community_ids(poll)))
    return users.distinct().count()


ELIGIBLE_COUNT_SECONDS = 30


def eligible_count_for_display(poll):
    """`eligible_count`, kept for 30 seconds: it counts residents (a scan of the accounts
    at province scale), and pages show it beside turnout, which may be as old."""
    from django.core.cache import cache

    key = f"polls:eligible:{poll.pk}:{poll.eligibility}"
    count = cache.get(key)
    if count is None:
        count = eligible_count(poll)
        cache.set(key, count, ELIGIBLE_COUNT_SECONDS)
    return count


def find_code(poll, code):
    """The unused VotingCode of `poll` matching `code`, or a PollError saying what is wrong."""
    code = normalise_code(code)
    if not code:
        raise NotEligible(_("Enter the voting code printed on your slip."))
    found = VotingCode.objects.filter(code=code).first()
    if found is None or found.poll_id != poll.pk:
        raise NotEligible(_("This code is not valid for this poll."))
    if found.voided and not found.used:
        raise NotEligible(_("This code has been withdrawn."))
    if found.used:
        raise AlreadyVoted(_("This code has already been used."))
    return found


# --- casting -----------------------------------------------------------------------------


def validate_choices(poll, choices):
    """Check a flat list of option ids against the questions; return it de-duplicated."""
    chosen = list(dict.fromkeys(str(c) for c in choices))
    known = poll.option_ids()
    if any(c not in known for c in chosen):
        raise InvalidChoices(_("One of the chosen options is not part of this poll."))
    for question in poll.question_list:
        ids = {o["id"] for o in question["options"]}
        count = sum(1 for c in chosen if c in ids)
        if count < question["min_choices"] or count > question["max_choices"]:
            if question["multiple"]:
                raise InvalidChoices(
                    _("“%(question)s”: choose between %(min)s and %(max)s options.")
                    % {
                        "question": question["text"],
                        "min": question["min_choices"],
                        "max": question["max_choices"],
                    }
                )
            raise InvalidChoices(
                _("“%(question)s”: choose one option.") % {"question": question["text"]}
            )
    return sorted(chosen)


def _ensure_rows(poll, option_ids, community_ids):
    """Create the counter rows a cast will increment (idempotent, safe under concurrency)."""
    OptionTally.objects.bulk_create(
        [
            OptionTally(poll=poll, option_id=option_id, community_id=community_id)
            for community_id in community_ids
            for option_id in option_ids
        ],
        ignore_conflicts=True,
    )
    PollTurnout.objects.bulk_create(
        [PollTurnout(poll=poll, community_id=community_id) for community_id in community_ids],
        ignore_conflicts=True,
    )


def cast_ballot(
    poll,
    voter,
    choices,
    *,
    code=None,
    assisted_by=None,
    roster_person=None,
    now=None,
    decision=None,
):
    """Record one ballot: the register entry, the ballot and the counters, all or nothing.

    In a secret poll "the ballot" is a sealed pool entry: a later flush writes it as a
    ballot and counts (`flush_ballot_pool`), in a transaction that covers many voters.

    `voter` is the resident (a User) or None for a code holder. The register's unique
    constraints make a second cast fail in the database, so 20 simultaneous posts by one
    resident give one ballot; the code is marked used by a conditional UPDATE in the same
    transaction. In a secret poll, nothing of the ballot identifies the voter.
    In a roster-based poll the entry also names the roster person (`roster_voter`), so one
    person cannot vote twice by different channels; `roster_person` is for an assisted vote
    of someone on the roster who has no account.

    `decision` is the `voting_decision` the caller has just made for `voter` (the poll page
    asks it before it reads the ballot): the checks are then not run a second time. It
    changes nothing of the guarantees: the register's constraints still refuse a second
    ballot, whatever was decided before.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not poll.is_open(now):
        raise NotEligible(voting_decision(poll, voter, now).reason)
    chosen = validate_choices(poll, choices)
    code_obj = None
    # A roster-based poll also takes the codes issued per person, whoever brings them.
    if poll.eligibility == Eligibility.CODES or (poll.uses_roster and code and voter is None):
        code_obj = find_code(poll, code)
        community_id = code_obj.batch.community_id
    elif voter is None and not (poll.uses_roster and assisted_by and roster_person):
        raise NotEligible(_("Log in to vote. Only verified residents may vote."))
    elif voter is not None:
        # Assisted or not, the same checks as online (an inactive or unverified account
        # cannot vote through a worker either).
        if not voter.is_active:
            raise NotEligible(_("This account is not active."))
        if decision is None or assisted_by is not None:
            decision = voting_decision(poll, voter, now)
        if not decision.allowed:
            raise (AlreadyVoted if decision.already_voted else NotEligible)(decision.reason)
        community_id = voter.community_id
    person = roster_voter(poll, voter, code_obj, roster_person, now)
    if person is not None:
        community_id = person.community_id

    community_rows = sorted({None, community_id}, key=lambda c: (c is not None, c or 0))
    # Counter rows are created first, committed on their own (zero counts are harmless),
    # so that concurrent casts never wait on each other's uncommitted inserts. A secret
    # poll's option counters are only made by a flush: made here, they would show which
    # options the first voter of a community chose.
    _ensure_rows(poll, [] if poll.secret else chosen, community_rows)
    with transaction.atomic():
        if code_obj is not None:
            claimed = VotingCode.objects.filter(pk=code_obj.pk, used=False, voided=False).update(
                used=True
            )
            if not claimed:
                raise AlreadyVoted(_("This code has already been used."))
        try:
            with transaction.atomic():
                entry = VoterRegister.objects.create(
                    poll=poll,
                    user=voter,
                    voting_code=code_obj,
                    community_id=community_id,
                    assisted=assisted_by is not None,
                    assisted_by=assisted_by,
                    voted_on=today,
                    roster_person=person,
                    household_key=household_key_for(poll, person),
                )
        except IntegrityError:
            raise AlreadyVoted(already_voted_message(poll, person))
        # Always the same order, so concurrent casts lock counter rows without deadlocks.
        for community in community_rows:
            PollTurnout.objects.filter(poll=poll, community_id=community).update(
                voters=F("voters") + 1
            )
        if poll.secret:
            # What was chosen goes into the sealed pool; a later flush counts it.
            SealedBallot.objects.create(
                poll=poll,
                sealed=seal(
                    poll.pk,
                    # No day: a ballot is dated by the flush that writes it, so the only
                    # voter of a day cannot be found by the date.
                    {"choices": chosen, "community": community_id},
                ),
            )
        else:
            Ballot.objects.create(poll=poll, choices=chosen, cast_on=today)
            NamedVote.objects.create(poll=poll, register_entry=entry, choices=chosen)
            _count(poll, Counter((c, o) for c in community_rows for o in chosen))
        if assisted_by is not None:
            # That staff helped someone vote (and, on a roster poll, whom), never what.
            data = {"register_entry": entry.pk}
            if person is not None:
                data["roster_person"] = person.pk
            log(
                instance=poll,
                action="consultations.polls.assisted_vote",
                user=assisted_by,
                data=data,
            )
        if poll.secret:
            # After the cast has committed, in a transaction of its own.
            transaction.on_commit(lambda: _flush_quietly(poll))
    return entry


def _count(poll, counts):
    """Add `counts` {(community id, option id): n} to the option counters, in key order."""
    for (community, option_id), n in sorted(
        counts.items(), key=lambda item: (item[0][0] is not None, item[0][0] or 0, item[0][1])
    ):
        OptionTally.objects.filter(poll=poll, option_id=option_id, community_id=community).update(
            votes=F("votes") + n
        )


def _flush_quietly(poll):
    try:
        flush_ballot_pool(poll)
    except Exception:
        # The vote is recorded and sealed; the timed flush will try again.
        logger.exception("Flushing the ballot pool of poll %s failed", poll.pk)


def flush_ballot_pool(poll, *, now=None, everything=None):
    """Open waiting sealed ballots of `poll`, write them as ballots and counts; return how many.

    While the poll is open, nothing happens until the pool holds `2 * POOL_KEEP` entries;
    then all but `POOL_KEEP` of them, chosen at random, are flushed. Once the poll has
    closed (or with `everything=True`) the whole pool is. The ballots are written and the
    counters updated in shuffled order in one transaction, and the entries deleted in it:
    a crash before the commit leaves the pool as it was, so no ballot is lost or counted
    twice. Concurrent flushes skip each other's locked entries.
    """
    now = now or timezone.now()
    if everything is None:
        everything = not poll.is_open(now)
    if not everything and SealedBallot.objects.filter(poll=poll).count() < 2 * POOL_KEEP:
        # Not due (nine casts in ten): no transaction, no row locks. A racing cast may
        # make it due a moment later; the next cast's flush takes it then.
        return 0
    with transaction.atomic():
        waiting = list(
            SealedBallot.objects.select_for_update(skip_locked=True)
            .filter(poll=poll)
            .values_list("pk", "sealed")
        )
        if not everything:
            if len(waiting) < 2 * POOL_KEEP:
                return 0
            waiting = secrets.SystemRandom().sample(waiting, len(waiting) - POOL_KEEP)
        if not waiting:
            return 0
        secrets.SystemRandom().shuffle(waiting)
        opened = [unseal(poll.pk, sealed) for _pk, sealed in waiting]
        flushed_on = timezone.localdate(now)
        counts = Counter()
        for ballot in opened:
            for community in {None, ballot["community"]}:
                for option_id in ballot["choices"]:
                    counts[(community, option_id)] += 1
        option_ids = sorted({option_id for _c, option_id in counts})
        community_ids = {community for community, _o in counts}
        _ensure_rows(poll, option_ids, sorted(community_ids, key=lambda c: (c is not None, c or 0)))
        Ballot.objects.bulk_create(
            [Ballot(poll=poll, choices=ballot["choices"], cast_on=flushed_on) for ballot in opened]
        )
        _count(poll, counts)
        SealedBallot.objects.filter(pk__in=[pk for pk, _sealed in waiting]).delete()
    return len(opened)


def pooled_counts(poll):
    """What the sealed pool of `poll` adds to its counters: {(community id, option id): n}.

    Read-only, so the published figures count every accepted ballot before it is flushed.
    """
    counts = Counter()
    for sealed in SealedBallot.objects.filter(poll=poll).values_list("sealed", flat=True):
        try:
            ballot = unseal(poll.pk, sealed)
        except UnsealError:
            # SECRET_KEY changed without a fallback: the entry stays, the page still shows.
            logger.error("A sealed ballot of poll %s opens with no configured key", poll.pk)
            continue
        for community in {None, ballot["community"]}:
            for option_id in ballot["choices"]:
                counts[(community, option_id)] += 1
    return counts


def flush_all_ballot_pools(now=None):
    """Flush every poll's pool that is due (the timed command); return {poll: ballots}."""
    flushed = {}
    poll_ids = SealedBallot.objects.values_list("poll_id", flat=True).distinct()
    for poll in PollPage.objects.filter(pk__in=poll_ids):
        n = flush_ballot_pool(poll, now=now)
        if n:
            flushed[poll] = n
    return flushed


# --- staff operations --------------------------------------------------------------------


def generate_code_batch(poll, size, *, label="", community=None, user=None, distributed_to=""):
    """A batch of `size` fresh one-time codes for `poll` (a poll that accepts codes)."""
    if not poll.accepts_codes():
        raise PollError(
            _("This poll does not accept voting codes: set who may vote to code holders first.")
        )
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise PollError(_("A batch holds between 1 and %(max)s codes.") % {"max": MAX_BATCH_SIZE})
    with transaction.atomic():
        # Numbered per poll; the poll row lock keeps two batches from one number.
        type(poll).objects.select_for_update().filter(pk=poll.pk).first()
        number = (
            CodeBatch.objects.filter(poll=poll).aggregate(n=models.Max("number"))["n"] or 0
        ) + 1
        batch = CodeBatch.objects.create(
            poll=poll,
            number=number,
            label=label,
            community=community,
            created_by=user,
            distributed_to=distributed_to,
        )
        codes = set()
        while len(codes) < size:
            codes.add(new_code(CODE_LENGTH))
        taken = set(VotingCode.objects.filter(code__in=codes).values_list("code", flat=True))
        codes -= taken
        VotingCode.objects.bulk_create(
            [VotingCode(poll=poll, batch=batch, code=code) for code in sorted(codes)]
        )
        log(
            instance=poll,
            action="consultations.polls.generate_codes",
            user=user,
            data={
                "batch": batch.pk,
                "number": number,
                "size": len(codes),
                "distributed_to": distributed_to,
            },
        )
    return batch


def print_code_sheet(batch, user):
    """Record a print of the batch's sheet: the first, or a reprint a second staff member
    approved (the approval is used up). Returns the batch; a PollError if not allowed."""
    with transaction.atomic():
        batch = CodeBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.may_print():
            raise PollError(
                _(
                    "This sheet has already been printed. A reprint needs the approval of a "
                    "second staff member."
                )
            )
        reprint = batch.printed_at is not None
        approver = batch.reprint_approved_by_id
        batch.printed_at = timezone.now()
        batch.printed_by = user
        batch.prints += 1
        batch.reprint_approved_by = None
        batch.save(update_fields=["printed_at", "printed_by", "prints", "reprint_approved_by"])
        log(
            instance=batch.poll,
            action="consultations.polls.print_codes",
            user=user,
            data={"batch": batch.pk, "reprint": reprint, "approved_by": approver},
        )
    return batch


def approve_reprint(batch, user):
    """A second staff member approves one reprint of a printed sheet (not its printer)."""
    with transaction.atomic():
        batch = CodeBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.printed_at is None:
            raise PollError(_("This sheet has not been printed yet."))
        if user is None or user.pk in (batch.printed_by_id, batch.created_by_id):
            raise PollError(
                _("A reprint is approved by a second staff member, not by who made or printed it.")
            )
        batch.reprint_approved_by = user
        batch.save(update_fields=["reprint_approved_by"])
        log(
            instance=batch.poll,
            action="consultations.polls.approve_reprint",
            user=user,
            data={"batch": batch.pk},
        )
    return batch


def void_codes(poll, codes, user):
    """Withdraw codes (slips never issued, or handed back); returns how many.

    Each code must be of this poll; nothing is voided if one is not. A code that was
    already used is withdrawn too, silently: refusing it would tell staff which codes were
    used. A withdrawn code can no longer vote; a vote already cast with it stays.
    """
    wanted = {normalise_code(c) for c in codes if normalise_code(c)}
    if not wanted:
        raise PollError(_("Enter the codes to void, one a line."))
    with transaction.atomic():
        found = list(VotingCode.objects.select_for_update().filter(poll=poll, code__in=wanted))
        unknown = wanted - {c.code for c in found}
        if unknown:
            raise PollError(
                _("Not codes of this poll: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            )
        VotingCode.objects.filter(pk__in=[c.pk for c in found]).update(voided=True)
        log(
            instance=poll,
            action="consultations.polls.void_codes",
            user=user,
            data={"count": len(found), "batches": sorted({c.batch_id for c in found})},
        )
    return len(found)


def remaining_voters(poll):
    """How many more voters a paper tally may count: who could still vote in `poll`.

    The electorate (the eligible roster of a roster-based poll; else the poll's "residents
    entitled to vote", else everyone eligible online) less those already in the register
    and on paper tallies, confirmed or not.
    """
    from django.db.models import Sum

    if poll.uses_roster:
        electorate = roster_eligible_count(poll)
    elif poll.electorate is not None:
        electorate = poll.electorate
    else:
        electorate = eligible_count(poll)
    registered = VoterRegister.objects.filter(poll=poll).count()
    on_paper = PaperTally.objects.filter(poll=poll).aggregate(n=Sum("voters"))["n"] or 0
    return max(electorate - registered - on_paper, 0)


def record_paper_tally(poll, *, meeting_date, voters, counts, minutes=None, user=None):
    """Enter the counts of an in-person vote; `counts` maps option id → votes.

    The tally counts once a second staff member confirms it (`confirm_paper_tally`), and
    it cannot count more voters than could still vote (`remaining_voters`).
    """
    known = poll.option_ids()
    clean = {str(k): int(v) for k, v in counts.items() if str(k) in known and int(v) > 0}
    with transaction.atomic():
        # One tally at a time per poll, so two cannot both fit under the bound.
        type(poll).objects.select_for_update().filter(pk=poll.pk).first()
        left = remaining_voters(poll)
        if voters > left:
            raise PollError(
                _(
                    "Only %(left)s residents can still vote in this poll: a paper tally "
                    "cannot count %(voters)s."
                )
                % {"left": left, "voters": voters}
            )
        tally = PaperTally.objects.create(
            poll=poll,
            meeting_date=meeting_date,
            voters=voters,
            counts=clean,
            minutes=minutes,
            entered_by=user,
        )
        log(
            instance=poll,
            action="consultations.polls.paper_tally",
            user=user,
            data={"tally": tally.pk, "meeting_date": meeting_date.isoformat()},
        )
    return tally


def confirm_paper_tally(tally, user):
    """A second staff member confirms a paper tally against the minutes; then it counts."""
    with transaction.atomic():
        tally = PaperTally.objects.select_for_update().get(pk=tally.pk)
        if tally.confirmed_at is not None:
            raise PollError(_("This paper tally has already been confirmed."))
        if user is None or tally.entered_by_id == user.pk:
            raise PollError(
                _("A second staff member must confirm a paper tally, not the one who entered it.")
            )
        tally.confirmed_by = user
        tally.confirmed_at = timezone.now()
        tally.save(update_fields=["confirmed_by", "confirmed_at"])
        log(
            instance=tally.poll,
            action="consultations.polls.confirm_paper_tally",
            user=user,
            data={"tally": tally.pk, "voters": tally.voters},
        )
    return tally


def publish_results(poll, user):
    """Make the results public (for polls whose results wait for staff), audit-logged."""
    with transaction.atomic():
        PollPage.objects.filter(pk=poll.pk).update(
            results_published=True, results_published_at=timezone.now()
        )
        poll.results_published = True
        # Every page showing the poll (the poll, its consultation's card, remembered routes)
        # shows the results at once.
        invalidate()
        log(instance=poll, action="consultations.polls.publish_results", user=user)
        # Followers and voters hear of it (only *that* someone voted is used).
        voters = VoterRegister.objects.filter(poll=poll, user__isnull=False).values_list(
            "user_id", flat=True
        )
        notifications.notify(Event.RESULTS, poll, f"results:{poll.pk}", user_ids=list(voters))
    return poll


# --- roster-based polls: the community roster is the voter roll -------------------------


def roster_person_of(user):
    """The roster person `user` is linked to, or None."""
    if not (user and user.is_authenticated):
        return None
    link = RosterLink.objects.filter(user=user).select_related("person").first()
    return link.person if link else None


def roster_refusal(poll, person, now=None):
    """Why `person` may not vote in the roster-based `poll`, in plain words; None if they may."""
    return roster_eligibility.refusal(
        person,
        scope_community_ids(poll),
        poll.roster_rules(),
        timezone.localdate(now or timezone.now()),
    )


def roster_has_voted(poll, person):
    if person is None:
        return False
    return VoterRegister.objects.filter(poll=poll, roster_person=person).exists()


def roster_voter(poll, voter, code_obj, roster_person, now=None):
    """The roster person a cast in a roster-based poll is for, checked against its rules.

    A code issued to a person votes for that person; an assisted vote names the person or
    the account; an online vote is the voter's own linked entry. Not roster-based: None.
    """
    if not poll.uses_roster:
        return None
    if code_obj is not None:
        person = code_obj.roster_person
        if person is None:
            raise NotEligible(_("This poll takes the codes issued per resident on the roster."))
    elif roster_person is not None:
        person = roster_person
        linked = roster_person_of(voter) if voter is not None else None
        if voter is not None and linked != person:
            raise NotEligible(_("This account is not linked to that roster entry."))
    else:
        person = roster_person_of(voter)
    reason = roster_refusal(poll, person, now)
    if reason:
        raise NotEligible(reason)
    return person


def household_key_for(poll, person):
    """The household under the one-vote-per-household rule (unique per poll), or ""."""
    if poll.uses_roster and poll.one_vote_per_household and person and person.household:
        return f"{person.community_id}:{person.household}"
    return ""


def already_voted_message(poll, person):
    key = household_key_for(poll, person)
    if key and not VoterRegister.objects.filter(poll=poll, roster_person=person).exists():
        return _("Your household has already voted in this poll.")
    if person is not None:
        return _("This person has already voted in this poll, in person, online or with a code.")
    return _("You have already voted in this poll.")


def roster_roll(poll, now=None):
    """The people on the voter roll of a roster-based poll (a RosterPerson queryset)."""
    return roster_eligibility.eligible_people(
        scope_community_ids(poll),
        poll.roster_rules(),
        timezone.localdate(now or timezone.now()),
    )


def roster_eligible_count(poll, now=None):
    return roster_roll(poll, now).count()


def who_may_vote(poll):
    """Who may vote in `poll`, in plain sentences for the poll page (roster-based only)."""
    if not poll.uses_roster:
        return []
    consultation = poll.consultation
    titles = (
        list(consultation.scope_communities().values_list("title", flat=True))
        if consultation
        else []
    )
    sentences = roster_eligibility.describe(poll.roster_rules(), titles)
    if poll.eligibility == Eligibility.CODES:
        sentences.append(_("Vote with the voting code the community office gives you."))
    return sentences


def issue_roster_codes(poll, *, community=None, user=None):
    """One voting code per person on the roll who has none and has not voted yet.

    The batch is the printable distribution list (name, code, signature) of a roster-based
    poll; running it again issues codes only to people added since.
    """
    if not poll.uses_roster:
        raise PollError(_("Per-person codes are for roster-based polls."))
    roll = roster_roll(poll)
    if community is not None:
        roll = roll.filter(community=community)
    with transaction.atomic():
        have_code = VotingCode.objects.filter(poll=poll, roster_person__isnull=False).values(
            "roster_person_id"
        )
        voted = VoterRegister.objects.filter(poll=poll, roster_person__isnull=False).values(
            "roster_person_id"
        )
        people = list(
            roll.exclude(pk__in=have_code)
            .exclude(pk__in=voted)
            .order_by("group", "household", "full_name")
        )
        if not people:
            raise PollError(_("Everyone on the roll already has a code or has voted."))
        batch = CodeBatch.objects.create(
            poll=poll,
            label=_("Per-person codes"),
            community=community,
            created_by=user,
        )
        codes = set()
        taken = set()
        while len(codes) < len(people):
            codes |= {new_code(CODE_LENGTH) for _i in range(len(people) - len(codes))}
            taken = set(VotingCode.objects.filter(code__in=codes).values_list("code", flat=True))
            codes -= taken
        VotingCode.objects.bulk_create(
            [
                VotingCode(poll=poll, batch=batch, code=code, roster_person=person)
                for code, person in zip(sorted(codes), people, strict=True)
            ]
        )
        log(
            instance=poll,
            action="consultations.polls.generate_codes",
            user=user,
            data={"batch": batch.pk, "size": len(people), "per_person": True},
        )
    return batch


# --- contract for other capabilities -----------------------------------------------------


def participant_user_ids(consultation):
    """Ids of residents who voted in any poll of `consultation` — who took part, never what."""
    return set(
        VoterRegister.objects.filter(
            poll__path__startswith=consultation.path,
            poll__depth=consultation.depth + 1,
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )


# --- repairing poll definitions ------------------------------------------------------------


def poll_has_votes(poll):
    """Anything that refers to the poll's option ids: ballots, tallies, paper tallies, voters."""
    return (
        VoterRegister.objects.filter(poll=poll).exists()
        or Ballot.objects.filter(poll=poll).exists()
        or PaperTally.objects.filter(poll=poll).exists()
        or NamedVote.objects.filter(poll=poll).exists()
    )


def repair_option_ids(poll, *, user=None):
    """Give each question and option of `poll` its own id, in the page and every revision.

    Only before anything refers to the ids: a poll with votes is left alone (a PollError
    says so), since a vote for a shared id cannot be told apart afterwards. Returns how
    many ids changed.
    """
    if poll_has_votes(poll):
        raise PollError(
            _("Votes refer to this poll's options: its ids cannot be repaired automatically.")
        )
    changed = 0
    with transaction.atomic():
        page = type(poll).objects.select_for_update().get(pk=poll.pk)
        fixed = page.ensure_unique_ids()
        if fixed:
            type(poll).objects.filter(pk=page.pk).update(questions=page.questions)
            changed += fixed
        for revision in page.revisions.all():
            version = revision.as_object()
            fixed = version.ensure_unique_ids()
            if fixed:
                revision.content["questions"] = version.serializable_data()["questions"]
                revision.save(update_fields=["content"])
                changed += fixed
        if changed:
            log(
                instance=page,
                action="consultations.polls.repair_option_ids",
                user=user,
                data={"ids_changed": changed},
            )
    return changed
