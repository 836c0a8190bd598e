"""Real concurrency (PostgreSQL only): two accounts racing to link to one roster person,
one person voting by several channels at once."""

import re
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from consultations.polls.models import VoterRegister
from consultations.polls.operations import PollError, cast_ballot, issue_roster_codes
from consultations.polls.results import poll_results
from consultations.roster.models import LinkMethod, RosterLink
from consultations.roster.operations import LinkRefused, confirm_link, link_account, start_link
from home import sms
from tests.conftest import make_consultation, make_user, requires_postgres
from tests.consultations.polls.factories import LIGHTS, NO, PARK, YES, make_poll, recorded_ballots
from tests.consultations.roster.factories import make_person

pytestmark = [requires_postgres(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_accounts_racing_for_one_person_one_wins_the_other_is_told(tree):
    person = make_person(tree.a, "王秀英", "110011")
    sms.outbox.clear()
    challenges = []
    for email in ("first@example.com", "second@example.com"):
        user = make_user(email)
        challenge = start_link(user, tree.a, "王秀英", "110011")
        code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
        challenges.append((challenge, code))
    barrier = threading.Barrier(2)
    outcomes = []

    def link(challenge, code):
        try:
            barrier.wait()
            confirm_link(challenge, code)
            outcomes.append("linked")
        except LinkRefused as error:
            outcomes.append(str(error.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=link, args=pair) for pair in challenges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("linked") == 1 and len(outcomes) == 2, outcomes
    (refusal,) = [outcome for outcome in outcomes if outcome != "linked"]
    with translation.override(settings.LANGUAGE_CODE):
        assert refusal == gettext(
            "This roster entry is already linked to another account. If that is not you, "
            "please go to your community office."
        )
    assert RosterLink.objects.filter(person=person).count() == 1


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("cast")
        except PollError as error:
            outcomes.append(type(error).__name__)
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_person_voting_online_by_code_and_assisted_at_once_counts_once(tree):
    from django.contrib.auth.models import Permission

    consultation = make_consultation(tree.a)
    poll = make_poll(consultation, uses_roster=True)
    person = make_person(tree.a, "王秀英", "110011")
    user = make_user("wang@example.com")
    link_account(user, person, method=LinkMethod.OFFICE)
    worker = make_user("worker@example.com", staff=True)
    worker.user_permissions.add(Permission.objects.get(codename="assist_resident"))
    code = issue_roster_codes(poll).codes.get(roster_person=person).code
    outcomes = _race(
        [
            lambda: cast_ballot(poll, user, [YES, PARK]),
            lambda: cast_ballot(poll, None, [NO, PARK], code=code),
            lambda: cast_ballot(poll, None, [NO, LIGHTS], assisted_by=worker, roster_person=person),
        ]
    )
    assert outcomes.count("cast") == 1, outcomes
    assert outcomes.count("AlreadyVoted") == 2, outcomes
    assert VoterRegister.objects.filter(poll=poll).count() == 1
    assert recorded_ballots().filter(poll=poll).count() == 1
    assert poll_results(poll)["voters_total"] == 1


def test_a_household_representative_voting_online_and_by_code_at_once_counts_once(tree):
    consultation = make_consultation(tree.a)
    poll = make_poll(consultation, uses_roster=True, one_vote_per_household=True)
    first = make_person(
        tree.a, "王秀英", "110011", household="H1", is_household_representative=True
    )
    code = issue_roster_codes(poll).codes.get(roster_person=first).code
    user = make_user("wang@example.com")
    link_account(user, first, method=LinkMethod.OFFICE)
    outcomes = _race(
        [
            lambda: cast_ballot(poll, user, [YES, PARK]),
            lambda: cast_ballot(poll, None, [NO, PARK], code=code),
        ]
    )
    assert sorted(outcomes) == ["AlreadyVoted", "cast"], outcomes
    assert recorded_ballots().filter(poll=poll).count() == 1
