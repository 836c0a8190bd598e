"""Atomic poll operations: who may vote, casting a ballot, codes, paper tallies, publishing.

Views, admin views, the demo loader and tests all call these functions; none of them
writes poll records another way.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from consultations.codes import new_code, normalise_code
from consultations.errors import ConsultationError
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
    VoterRegister,
    VotingCode,
)

# Codes are read off paper by older residents: unambiguous characters (consultations.codes).
CODE_LENGTH = 8
MAX_BATCH_SIZE = 2000


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
    consultation = poll.consultation
    if consultation is None:
        return set()
    return set(consultation.scope_communities().values_list("pk", flat=True))


def has_voted(poll, user):
    if not (user and user.is_authenticated):
        return False
    return VoterRegister.objects.filter(poll=poll, user=user).exists()


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
        return Decision(
            False,
            _("Voting closed on %(date)s")
            % {"date": date_format(timezone.localtime(poll.closes_at), "DATETIME_FORMAT")},
        )
    if has_voted(poll, user):
        return Decision(False, _("You have already voted in this poll."), already_voted=True)
    if poll.eligibility == Eligibility.CODES:
        return Decision(True, needs_code=True)
    if not (user and user.is_authenticated):
        return Decision(False, _("Log in to vote. Only verified residents may vote."))
    if not is_verified_resident(user):
        return Decision(False, _("Confirm your email address to vote: we sent you a link."))
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
        if user.community_id in scope and not is_resident_of(user, scope):
            return Decision(
                False,
                _(
                    "This poll is for residents on the roster of their community. Confirm "
                    "your entry on the roster (from your account page) to vote."
                ),
            )
        if not is_resident_of(user, scope):
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
    if poll.eligibility == Eligibility.CODES:
        return VotingCode.objects.filter(poll=poll).count()
    users = get_user_model().objects.filter(
        is_active=True, emailaddress__verified=True, is_staff=False
    )
    if poll.eligibility == Eligibility.COMMUNITY:
        users = users.filter(community__in=list(scope_community_ids(poll)))
    return users.distinct().count()


def find_code(poll, code):
    """The unused VotingCode of `poll` matching `code`, or a PollError saying what is wrong."""
    code = normalise_code(code)
    if not code:
        raise NotEligible(_("Enter the voting code printed on your slip."))
    found = VotingCode.objects.filter(code=code).first()
    if found is None or found.poll_id != poll.pk:
        raise NotEligible(_("This code is not valid for this poll."))
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


def cast_ballot(poll, voter, choices, *, code=None, assisted_by=None, now=None):
    """Record one ballot: the register entry, the ballot and the counters, all or nothing.

    `voter` is the resident (a User) or None for a code holder. The register's unique
    constraints make a second cast fail in the database, so 20 simultaneous posts by one
    resident give one ballot; the code is marked used by a conditional UPDATE in the same
    transaction. In a secret poll, the ballot row carries nothing that identifies the voter.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not poll.is_open(now):
        raise NotEligible(voting_decision(poll, voter, now).reason)
    chosen = validate_choices(poll, choices)
    code_obj = None
    if poll.eligibility == Eligibility.CODES:
        code_obj = find_code(poll, code)
        community_id = code_obj.batch.community_id
    else:
        if voter is None:
            raise NotEligible(_("Log in to vote. Only verified residents may vote."))
        if assisted_by is None:
            decision = voting_decision(poll, voter, now)
            if not decision.allowed:
                raise (AlreadyVoted if decision.already_voted else NotEligible)(decision.reason)
        elif poll.eligibility == Eligibility.COMMUNITY and not is_resident_of(
            voter, scope_community_ids(poll)
        ):
            raise NotEligible(_("This resident does not live in a community the poll covers."))
        community_id = voter.community_id

    community_rows = sorted({None, community_id}, key=lambda c: (c is not None, c or 0))
    # Counter rows are created first, committed on their own (zero counts are harmless),
    # so that concurrent casts never wait on each other's uncommitted inserts.
    _ensure_rows(poll, chosen, community_rows)
    with transaction.atomic():
        if code_obj is not None:
            claimed = VotingCode.objects.filter(pk=code_obj.pk, used=False).update(used=True)
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
                )
        except IntegrityError:
            raise AlreadyVoted(_("You have already voted in this poll."))
        Ballot.objects.create(poll=poll, choices=chosen, cast_on=today)
        if not poll.secret:
            NamedVote.objects.create(poll=poll, register_entry=entry, choices=chosen)
        # Always the same order, so concurrent casts lock counter rows without deadlocks.
        for community in community_rows:
            PollTurnout.objects.filter(poll=poll, community_id=community).update(
                voters=F("voters") + 1
            )
            for option_id in chosen:
                OptionTally.objects.filter(
                    poll=poll, option_id=option_id, community_id=community
                ).update(votes=F("votes") + 1)
        if assisted_by is not None:
            # That staff helped someone vote, never what was chosen.
            log(
                instance=poll,
                action="consultations.polls.assisted_vote",
                user=assisted_by,
                data={"register_entry": entry.pk},
            )
    return entry


# --- staff operations --------------------------------------------------------------------


def generate_code_batch(poll, size, *, label="", community=None, user=None):
    """A batch of `size` fresh one-time codes for `poll`."""
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise PollError(_("A batch holds between 1 and %(max)s codes.") % {"max": MAX_BATCH_SIZE})
    with transaction.atomic():
        batch = CodeBatch.objects.create(
            poll=poll, label=label, community=community, created_by=user
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
            data={"batch": batch.pk, "size": len(codes)},
        )
    return batch


def record_paper_tally(poll, *, meeting_date, voters, counts, minutes=None, user=None):
    """Enter the counts of an in-person vote; `counts` maps option id → votes."""
    known = poll.option_ids()
    clean = {str(k): int(v) for k, v in counts.items() if str(k) in known and int(v) > 0}
    with transaction.atomic():
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


def publish_results(poll, user):
    """Make the results public (for polls whose results wait for staff), audit-logged."""
    with transaction.atomic():
        PollPage.objects.filter(pk=poll.pk).update(
            results_published=True, results_published_at=timezone.now()
        )
        poll.results_published = True
        log(instance=poll, action="consultations.polls.publish_results", user=user)
    return poll


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
