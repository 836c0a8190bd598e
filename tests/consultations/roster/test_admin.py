"""The roster in the Wagtail admin: scoped per community, every view and change logged."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from consultations.roster.models import RosterPerson
from home import sms
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.roster.factories import make_person

ENTRY = {
    "full_name": "陈阿婆",
    "local_id": "330033",
    "phone": "170 0000 0033",
    "residence_status": "registered",
    "group": "三组",
    "household": "H033",
    "is_household_representative": "on",
    "status": "living",
}


def test_the_index_lists_the_communities_the_user_keeps(client, tree, editor_a, official):
    client.force_login(editor_a)
    page = client.get(reverse("roster_admin:index")).content.decode()
    assert tree.a.title in page and tree.b.title not in page
    client.force_login(official)
    page = client.get(reverse("roster_admin:index")).content.decode()
    assert tree.a.title in page and tree.b.title in page and tree.c.title not in page


def test_residents_never_reach_the_roster(client, tree, resident):
    client.force_login(resident)
    response = client.get(reverse("roster_admin:roster", args=[tree.a.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_viewing_the_roster_is_logged_and_its_queries_are_pinned(
    client, tree, editor_a, django_assert_max_num_queries
):
    for i in range(60):
        make_person(tree.a, f"居民{i}", f"{i:06d}")
    make_person(tree.b, "乙村人", "000001")
    client.force_login(editor_a)
    client.get(reverse("roster_admin:roster", args=[tree.a.pk]))  # warm the session
    # The admin chrome (menu items of every capability, the ledger and reports included)
    # and the page itself; the rows are one query, whatever their number.
    with django_assert_max_num_queries(28):
        response = client.get(reverse("roster_admin:roster", args=[tree.a.pk]), {"p": 2})
    page = response.content.decode()
    assert "居民" in page and "乙村人" not in page
    assert (
        PageLogEntry.objects.filter(
            action="consultations.roster.view", page=tree.a, user=editor_a
        ).count()
        == 2
    )


def test_search_finds_by_name(client, tree, editor_a):
    make_person(tree.a, "王秀英", "110011")
    make_person(tree.a, "李小红", "220021")
    client.force_login(editor_a)
    page = client.get(reverse("roster_admin:roster", args=[tree.a.pk]), {"q": "秀英"}).content
    assert "王秀英" in page.decode() and "李小红" not in page.decode()


def test_staff_add_and_change_an_entry_logged(client, tree, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("roster_admin:add", args=[tree.a.pk]), ENTRY)
    assert response.status_code == 302
    person = RosterPerson.objects.get(community=tree.a, full_name="陈阿婆")
    assert person.phone == "+8617000000033" and person.is_household_representative
    response = client.post(
        reverse("roster_admin:edit", args=[tree.a.pk, person.pk]), {**ENTRY, "group": "四组"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.group == "四组"
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["consultations.roster.add", "consultations.roster.change"]


def test_viewing_one_entry_is_logged(client, tree, editor_a):
    person = make_person(tree.a)
    client.force_login(editor_a)
    assert client.get(reverse("roster_admin:edit", args=[tree.a.pk, person.pk])).status_code == 200
    entry = PageLogEntry.objects.get(action="consultations.roster.view", page=tree.a)
    assert entry.data == {"what": f"person {person.pk}"} and entry.user == editor_a


def test_a_duplicate_entry_is_a_400_with_a_message(client, tree, editor_a):
    make_person(tree.a, "陈阿婆", "330033")
    client.force_login(editor_a)
    response = client.post(reverse("roster_admin:add", args=[tree.a.pk]), ENTRY)
    assert response.status_code == 400
    assert RosterPerson.objects.filter(full_name="陈阿婆").count() == 1


def test_a_bad_phone_number_is_a_400(client, tree, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("roster_admin:add", args=[tree.a.pk]), {**ENTRY, "phone": "12"})
    assert response.status_code == 400
    assert not RosterPerson.objects.exists()


def test_staff_of_another_community_cannot_see_or_change_an_entry(client, tree, editor_b):
    person = make_person(tree.a)
    client.force_login(editor_b)
    assert_admin_refused(client.get(reverse("roster_admin:edit", args=[tree.a.pk, person.pk])))
    assert_admin_refused(client.post(reverse("roster_admin:add", args=[tree.a.pk]), ENTRY))
    assert not RosterPerson.objects.filter(full_name="陈阿婆").exists()


def test_an_entry_of_another_community_is_not_found_under_ones_own(client, tree, editor_a):
    person = make_person(tree.b)
    client.force_login(editor_a)
    assert client.get(reverse("roster_admin:edit", args=[tree.a.pk, person.pk])).status_code == 404


# --- the SMS backend ---------------------------------------------------------------------


def test_texts_go_through_the_task_queue_to_the_configured_backend(settings):
    sms.outbox.clear()
    sms.send_sms("+8617000000001", "hello")
    assert [(m.to, m.body) for m in sms.outbox] == [("+8617000000001", "hello")]


def test_the_console_backend_prints_the_text(settings, capsys):
    settings.SMS_BACKEND = "home.sms.ConsoleBackend"
    sms.send_sms("+8617000000001", "123456 is your code")
    assert "123456 is your code" in capsys.readouterr().out


def test_the_http_gateway_posts_json(settings, monkeypatch):
    settings.SMS_BACKEND = "home.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "https://sms.example.invalid/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    sent = []

    class Response:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        sent.append((request.full_url, request.headers, request.data))
        return Response()

    monkeypatch.setattr(sms.urllib.request, "urlopen", fake_urlopen)
    sms.HttpGatewayBackend().send_messages([sms.SmsMessage("+8617000000001", "hi")])
    url, headers, data = sent[0]
    assert url == "https://sms.example.invalid/send"
    assert headers["Authorization"] == "Bearer t0ken"
    assert b'"to": "+8617000000001"' in data


def test_the_http_gateway_refuses_a_bad_address(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_GATEWAY_URL = "file:///etc/passwd"
    with pytest.raises(ImproperlyConfigured):
        sms.HttpGatewayBackend().send_messages([sms.SmsMessage("+8617000000001", "hi")])
