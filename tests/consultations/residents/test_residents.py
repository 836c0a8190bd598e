"""The residents' side (issue 14): my participation, profile, download and delete my data."""

import json
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from consultations.hearings.models import Registration
from consultations.models import Suggestion, SuggestionFormPage, Support
from consultations.polls.models import VoterRegister
from consultations.polls.operations import cast_ballot
from consultations.residents import operations
from consultations.suggestions import operations as suggestion_operations
from tests.conftest import PASSWORD, add_page, en, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register, session_fields
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import PARK, YES, make_poll

pytestmark = pytest.mark.django_db
User = get_user_model()


def url(name, *args):
    with translation.override(settings.LANGUAGE_CODE):
        return en(reverse(name, args=args))


def take_part(tree, resident, n, slug="c"):
    """`resident` takes part `n` times in each way, in `n` consultations."""
    for i in range(n):
        consultation = make_consultation(tree.a, slug=f"{slug}{i}", title=f"议题{i}")
        form = add_page(consultation, SuggestionFormPage(title="意见征集", slug="s"))
        Suggestion.objects.create(
            page=form,
            user=resident,
            token=uuid.uuid4().hex,
            form_data={"title": f"我的建议{i}", "opinion": "内容"},
            status=Suggestion.Status.PUBLISHED,
            moderated_at=timezone.now(),
        )
        other = Suggestion.objects.create(
            page=form,
            user=make_user(f"o{slug}{i}@example.com", community=tree.a),
            token=uuid.uuid4().hex,
            form_data={"title": f"别人的建议{i}", "opinion": "内容"},
            status=Suggestion.Status.PUBLISHED,
        )
        suggestion_operations.support_suggestion(other, resident)
        hearing = make_hearing(consultation, sessions=[session_fields(days=10)])
        register(hearing.sessions.get(), resident)
        poll = make_poll(consultation, title=f"投票{i}")
        cast_ballot(poll, resident, [YES, PARK])
        make_outcome(consultation, title=f"成果公告{i}")


def test_my_participation_shows_everything_and_never_the_choice(client, tree, resident):
    take_part(tree, resident, 1)
    cancelled_hearing = make_hearing(make_consultation(tree.a, slug="cx"), slug="cx-hearing")
    from consultations.hearings.operations import cancel_registration

    cancel_registration(register(cancelled_hearing.sessions.get(), resident), resident)
    client.force_login(resident)
    response = client.get(url("residents:participation"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("我的建议0", "别人的建议0", "村道硬化工程听证会", "投票0", "成果公告0"):
        assert text in body
    assert "What you chose is never shown: the vote is secret." in body
    ctx = response.context
    assert len(ctx["upcoming"]) == 1 and len(ctx["cancelled"]) == 1
    assert ctx["cancelled"][0].status == Registration.Status.CANCELLED
    # The secret ballot: the options' labels do not appear, only that the resident voted.
    assert "you voted on" in body
    assert "Yes" not in body.split('id="my-polls"')[1].split("</section>")[0]


def test_changes_since_the_last_visit_are_marked(client, tree, resident, editor_a):
    take_part(tree, resident, 1)
    client.force_login(resident)
    first = client.get(url("residents:participation"))
    assert first.context["new_count"] == 0
    mine = Suggestion.objects.get(user=resident)
    suggestion_operations.answer_suggestion(mine, editor_a, Suggestion.Answer.ADOPTED, "采纳")
    second = client.get(url("residents:participation"))
    assert second.context["new_count"] == 1
    assert "New" in second.content.decode()
    assert client.get(url("residents:participation")).context["new_count"] == 0


# Pinned, equal at both sizes: one query per kind of record (suggestions, supports,
# registrations, voter register, follows), the consultations in one, the outcomes in one,
# the visit's UPDATE; the rest is the session, the user and the base template's (with the
# header bell's unread count since notifications).
PARTICIPATION_QUERIES = 13


def test_participation_queries_do_not_grow(tree):
    def measure(size, email):
        resident = make_user(email, community=tree.a)
        take_part(tree, resident, size, slug=f"q{size}-")
        client = Client()
        assert client.login(email=resident.email, password=PASSWORD)
        client.get(url("residents:participation"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("residents:participation")).status_code == 200
        return len(captured)

    small = measure(1, "small@example.com")
    large = measure(4, "large@example.com")
    assert small == large
    assert small == PARTICIPATION_QUERIES, small


def test_the_header_links_to_my_participation(client, resident, tree):
    client.force_login(resident)
    assert url("residents:participation") in client.get("/en/").content.decode()


# --- profile ---------------------------------------------------------------------------------


def profile_data(user, **overrides):
    data = {
        "display_name": user.display_name,
        "community": user.community_id,
        "residence_status": user.residence_status,
        "preferred_language": "zh-hans",
    }
    data.update(overrides)
    return data


def test_profile_is_no_longer_a_404_and_saves(client, resident):
    client.force_login(resident)
    assert client.get(url("residents:profile")).status_code == 200
    response = client.post(url("residents:profile"), profile_data(resident, display_name="老王"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.display_name == "老王"


def test_bad_profile_input_is_a_400(client, resident):
    client.force_login(resident)
    response = client.post(url("residents:profile"), profile_data(resident, community=999999))
    assert response.status_code == 400


def test_changing_community_is_recorded_and_asks_for_verification(client, tree, resident):
    from consultations.roster.models import RosterPerson

    RosterPerson.objects.create(community=tree.b, full_name="某人", local_id="1")
    client.force_login(resident)
    response = client.post(url("residents:profile"), profile_data(resident, community=tree.b.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("roster:verify").lstrip("/").split("/", 1)[-1])
    entry = ModelLogEntry.objects.get(action="consultations.residents.change_community")
    assert entry.data == {"from": tree.a.pk, "to": tree.b.pk}


# --- download ----------------------------------------------------------------------------------


def reauthenticate(client, user):
    client.force_login(user)
    response = client.post(url("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


def test_download_holds_everything(client, tree, resident):
    take_part(tree, resident, 2)
    reauthenticate(client, resident)
    response = client.get(url("residents:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["account"]["email"] == resident.email
    assert len(data["suggestions"]) == 2
    assert len(data["supports"]) == 2
    assert len(data["hearing_registrations"]) == 2
    assert len(data["poll_participation"]) == 2
    assert "choices" not in json.dumps(data["poll_participation"])


def test_download_asks_to_sign_in_again(client, resident):
    client.force_login(resident)
    response = client.get(url("residents:download"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_every_field_pointing_to_a_user_is_registered():
    """Fails when a new model ties records to an account and is neither exported and erased
    (PERSONAL_DATA) nor a staff field (STAFF_FIELDS): register it in residents/operations.py.
    """
    exported = set(operations.PERSONAL_DATA)
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in ("consultations", "accounts", "home", "account", "mfa"):
            continue
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation and field.related_model is User):
                continue
            key = (label, field.name)
            if key in exported or key in operations.STAFF_FIELDS:
                continue
            if field.name in operations.STAFF_PAGE_FIELDS:
                continue
            missing.append(key)
    assert missing == []
    for key, rule in operations.PERSONAL_DATA.items():
        assert rule.erase in ("delete", "anonymise", "keep"), key
        assert rule.export is None or rule.export in EXPORT_SECTIONS, key


EXPORT_SECTIONS = {
    "account", "email_addresses", "roster_link", "suggestions", "supports",
    "hearing_registrations", "poll_participation", "follows", "notification_preferences",
    "notifications", "notification_digests", "feedback_digests", "two_factor",
}  # fmt: skip


def test_the_export_has_a_section_for_every_registered_kind(client, resident):
    reauthenticate(client, resident)
    data = json.loads(client.get(url("residents:download")).content)
    for rule in operations.PERSONAL_DATA.values():
        if rule.export:
            assert rule.export in data


# --- delete ------------------------------------------------------------------------------------


def test_deleting_the_account(client, tree, resident, other_resident):
    take_part(tree, resident, 1)
    mine = Suggestion.objects.get(user=resident)
    suggestion_operations.support_suggestion(mine, other_resident)
    supported = Support.objects.get(user=resident).suggestion
    poll_register = VoterRegister.objects.get(user=resident)
    registration = Registration.objects.get(user=resident)
    reauthenticate(client, resident)
    assert client.get(url("residents:delete")).status_code == 200
    assert client.post(url("residents:delete"), {}).status_code == 400
    response = client.post(url("residents:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=resident.pk).exists()
    mine.refresh_from_db()
    assert mine.user is None and str(mine.public_author) == "A former resident"
    assert mine.support_count == 1  # others' support of it stays
    supported.refresh_from_db()
    assert supported.support_count == 0
    poll_register.refresh_from_db()
    assert poll_register.user is None  # still counted: the entry stays
    registration.refresh_from_db()
    assert registration.user is None and registration.phone == ""
    # The ballot still counts in the turnout.
    assert VoterRegister.objects.filter(poll=poll_register.poll).count() == 1


def test_delete_needs_a_recent_sign_in(client, resident):
    client.force_login(resident)
    response = client.post(url("residents:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert User.objects.filter(pk=resident.pk).exists()


def test_privacy_notice(client):
    response = client.get(url("residents:privacy"))
    assert response.status_code == 200
    assert "never what you voted" in response.content.decode()


# --- retention ---------------------------------------------------------------------------------


def test_the_purge_command_enforces_every_retention_rule(tree, resident):
    import io
    from datetime import timedelta

    from django.core.management import call_command

    from consultations.roster.models import LinkChallenge
    from tests.consultations.roster.factories import make_person

    old = timezone.now() - timedelta(days=400)
    stale = make_user("stale@example.com", community=tree.a, verified=False)
    User.objects.filter(pk=stale.pk).update(date_joined=old, last_login=None)
    fresh = make_user("fresh@example.com", community=tree.a, verified=False)
    LinkChallenge.objects.create(
        user=resident,
        person=make_person(tree.a),
        code_hash="x",
        created_at=old,
        expires_at=old + timedelta(minutes=10),
    )
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "unverified_accounts: 1" in out.getvalue()
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk=fresh.pk).exists()
    assert User.objects.filter(pk=resident.pk).exists()  # verified: kept
    assert not LinkChallenge.objects.exists()
