"""Two accounts racing to link to one roster person (PostgreSQL only)."""

import re
import threading

import pytest
from django.db import connection

from consultations.roster.models import RosterLink
from consultations.roster.operations import LinkRefused, confirm_link, start_link
from home import sms
from tests.conftest import make_user, requires_postgres
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
    assert sorted(outcomes)[-1] == "linked" and outcomes.count("linked") == 1, outcomes
    assert RosterLink.objects.filter(person=person).count() == 1
