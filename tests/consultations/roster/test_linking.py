"""Linking an account to a roster person: by a code texted to the roster's number, or at
the office; no enumeration, rate limits, one account per person, moving means verifying again."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations import permissions
from consultations.roster.models import LinkChallenge, LinkMethod, RosterLink
from consultations.roster.operations import (
    MAX_CODE_ATTEMPTS,
    LinkRefused,
    confirm_link,
    link_account,
    start_link,
)
from home import sms
from tests.conftest import make_user
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.roster.factories import make_person


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def newcomer(tree):
    """Signed up, no community yet, not on any roster link."""
    return make_user("newcomer@example.com")


@pytest.fixture
def person(tree):
    return make_person(tree.a, "王秀英", "110011", phone="+8617000000001")


def sent_code():
    assert sms.outbox, "a text was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def ask(client, community, name, local_id):
    return client.post(
        reverse("roster:verify"),
        {"community": community.pk, "full_name": name, "local_id": local_id},
    )


def test_a_match_sends_the_code_to_the_rosters_number_and_the_code_links(
    client, tree, newcomer, person
):
    client.force_login(newcomer)
    response = ask(client, tree.a, "王秀英", "110011")
    assert response.status_code == 302 and response["Location"] == reverse("roster:verify_code")
    assert [m.to for m in sms.outbox] == ["+8617000000001"]
    response = client.post(reverse("roster:verify_code"), {"code": sent_code()})
    assert response.status_code == 302
    link = RosterLink.objects.get(user=newcomer)
    assert link.person == person and link.method == LinkMethod.SMS and link.verified_by is None
    newcomer.refresh_from_db()
    assert newcomer.community_id == tree.a.pk and newcomer.residence_status == "registered"
    assert permissions.is_resident_of(newcomer, {tree.a.pk})
    assert ModelLogEntry.objects.filter(action="consultations.roster.link").exists()


def test_no_match_looks_the_same_and_sends_nothing(client, tree, newcomer, person):
    client.force_login(newcomer)
    matched = ask(client, tree.a, "王秀英", "110011")
    sms.outbox.clear()
    LinkChallenge.objects.all().delete()
    unmatched = ask(client, tree.a, "王秀英", "999999")
    assert unmatched.status_code == matched.status_code == 302
    assert unmatched["Location"] == matched["Location"]
    assert sms.outbox == []
    response = client.post(reverse("roster:verify_code"), {"code": "123456"})
    assert response.status_code == 400
    assert not RosterLink.objects.exists()


def test_the_code_goes_only_to_the_number_on_the_roster(client, tree, newcomer, person):
    client.force_login(newcomer)
    client.post(
        reverse("roster:verify"),
        {
            "community": tree.a.pk,
            "full_name": "王秀英",
            "local_id": "110011",
            "phone": "+8613800000000",
        },
    )
    assert [m.to for m in sms.outbox] == ["+8617000000001"]


def test_a_wrong_code_is_refused_and_counted(tree, newcomer, person):
    challenge = start_link(newcomer, tree.a, "王秀英", "110011")
    with pytest.raises(LinkRefused):
        confirm_link(challenge, "000000" if sent_code() != "000000" else "111111")
    assert LinkChallenge.objects.get(pk=challenge.pk).attempts == 1
    assert not RosterLink.objects.exists()


def test_after_the_attempt_limit_even_the_right_code_is_refused(tree, newcomer, person):
    challenge = start_link(newcomer, tree.a, "王秀英", "110011")
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(LinkRefused):
            confirm_link(challenge, wrong)
    with pytest.raises(LinkRefused):
        confirm_link(challenge, right)
    assert not RosterLink.objects.exists()


def test_an_expired_code_is_refused(tree, newcomer, person):
    challenge = start_link(newcomer, tree.a, "王秀英", "110011")
    with pytest.raises(LinkRefused):
        confirm_link(challenge, sent_code(), now=timezone.now() + timedelta(minutes=11))
    assert not RosterLink.objects.exists()


def test_a_code_works_once(tree, newcomer, person):
    challenge = start_link(newcomer, tree.a, "王秀英", "110011")
    code = sent_code()
    confirm_link(challenge, code)
    with pytest.raises(LinkRefused):
        confirm_link(challenge, code)


def test_asking_is_rate_limited(client, tree, newcomer, person, settings):
    settings.PORTAL_ROSTER_LINK_RATE_LIMITS = "3/h/user"
    client.force_login(newcomer)
    statuses = [ask(client, tree.a, "王秀英", f"99999{i}").status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_a_person_links_to_one_account_only(tree, newcomer, person):
    link_account(newcomer, person, method=LinkMethod.OFFICE)
    other = make_user("other@example.com")
    with pytest.raises(LinkRefused):
        link_account(other, person, method=LinkMethod.OFFICE)


def test_an_account_links_to_one_person_only(tree, newcomer, person):
    link_account(newcomer, person, method=LinkMethod.OFFICE)
    second = make_person(tree.a, "王建国", "110012")
    with pytest.raises(LinkRefused):
        link_account(newcomer, second, method=LinkMethod.OFFICE)


def test_moving_to_another_community_ends_the_link(tree, newcomer, person):
    link_account(newcomer, person, method=LinkMethod.SMS)
    newcomer.community = tree.b
    newcomer.save()
    assert not RosterLink.objects.filter(user=newcomer).exists()
    make_person(tree.b, "某某", "000001")  # community B keeps a roster: it decides there
    assert not permissions.is_resident_of(newcomer, {tree.b.pk})
    newcomer.community = tree.a
    newcomer.save()
    assert not permissions.is_resident_of(newcomer, {tree.a.pk}), "verify again"


def test_marking_a_person_moved_away_ends_the_link(client, tree, newcomer, person, editor_a):
    link_account(newcomer, person, method=LinkMethod.SMS)
    client.force_login(editor_a)
    response = client.post(
        reverse("roster_admin:edit", args=[tree.a.pk, person.pk]),
        {
            "full_name": person.full_name,
            "local_id": person.local_id,
            "phone": person.phone,
            "residence_status": "registered",
            "status": "moved",
            "status_since": "2026-11-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert not RosterLink.objects.filter(user=newcomer).exists()


def test_in_a_community_with_a_roster_the_profile_alone_does_not_make_a_resident(tree, person):
    claimant = make_user("claimant@example.com", community=tree.a)
    assert permissions.is_verified_resident(claimant)  # a confirmed email
    assert not permissions.is_resident_of(claimant, {tree.a.pk})


def test_in_a_community_without_a_roster_the_profile_still_counts(tree):
    resident = make_user("c-resident@example.com", community=tree.c)
    assert permissions.is_resident_of(resident, {tree.c.pk})


# --- at the office -----------------------------------------------------------------------


def test_staff_link_an_account_at_the_office(client, tree, newcomer, person, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("roster_admin:link", args=[tree.a.pk, person.pk]), {"account": newcomer.email}
    )
    assert response.status_code == 302
    link = RosterLink.objects.get(user=newcomer)
    assert link.method == LinkMethod.OFFICE and link.verified_by == editor_a
    response = client.post(reverse("roster_admin:unlink", args=[tree.a.pk, person.pk]))
    assert response.status_code == 302
    assert not RosterLink.objects.exists()
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"consultations.roster.link", "consultations.roster.unlink"} <= actions


def test_linking_an_already_linked_person_at_the_office_says_why(
    client, tree, newcomer, person, editor_a
):
    link_account(make_user("first@example.com"), person, method=LinkMethod.SMS)
    client.force_login(editor_a)
    response = client.post(
        reverse("roster_admin:link", args=[tree.a.pk, person.pk]), {"account": newcomer.email}
    )
    assert response.status_code == 400
    assert not RosterLink.objects.filter(user=newcomer).exists()


def test_staff_of_another_community_cannot_link(client, tree, newcomer, person, editor_b):
    client.force_login(editor_b)
    response = client.post(
        reverse("roster_admin:link", args=[tree.a.pk, person.pk]), {"account": newcomer.email}
    )
    assert_admin_refused(response)
    assert not RosterLink.objects.exists()
