"""The check-in screen at the door: search a name or code, one tap checks a person in, the
answer is plain; made for a phone, with no inline style or script (a CSP is coming)."""

import re

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.consultations.hearings.factories import make_hearing, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(consultation):
    return make_hearing(consultation).sessions.get()


@pytest.fixture
def people(tree, session):
    wang = make_user("wang@example.com", community=tree.a)
    wang.display_name = "王秀英"
    wang.save()
    li = make_user("li@example.com", community=tree.a)
    li.display_name = "李建国"
    li.save()
    return register(session, wang), register(session, li)


def test_searching_a_name_lists_the_person_with_a_one_tap_button(client, editor_a, session, people):
    wang, _li = people
    client.force_login(editor_a)
    url = reverse("hearings_admin:check_in", args=[session.pk])
    html = client.get(url, {"q": "秀英"}).content.decode()
    assert "王秀英" in html and "李建国" not in html
    assert f'name="code" value="{wang.code}"' in html
    response = client.post(url + "?q=秀英", {"code": wang.code})
    assert response.status_code == 200
    confirmation = response.content.decode()
    assert 'role="status"' in confirmation and "王秀英" in confirmation and "已签到" in confirmation
    wang.refresh_from_db()
    assert wang.checked_in_at is not None
    again = client.get(url, {"q": "秀英"}).content.decode()
    assert f'value="{wang.code}"' not in again  # present: no button, the time instead


def test_searching_the_start_of_a_code_finds_it(client, editor_a, session, people):
    _wang, li = people
    client.force_login(editor_a)
    url = reverse("hearings_admin:check_in", args=[session.pk])
    html = client.get(url, {"q": li.code[:4].lower()}).content.decode()
    assert "李建国" in html


def test_no_match_says_so_and_other_sessions_are_not_searched(
    client, editor_a, consultation, session, people
):
    client.force_login(editor_a)
    other = make_hearing(consultation, slug="other").sessions.get()
    html = client.get(reverse("hearings_admin:check_in", args=[other.pk]), {"q": "王"})
    assert "王秀英" not in html.content.decode()
    assert "本场次没有符合的报名" in html.content.decode()


def test_the_screen_has_no_inline_style_or_script(client, editor_a, session, people):
    client.force_login(editor_a)
    html = client.get(reverse("hearings_admin:check_in", args=[session.pk]), {"q": "王"})
    body = html.content.decode()
    main = body[body.index('class="hearing-checkin"') :]
    assert " style=" not in main and "<style" not in main
    assert not re.search(r"<script(?![^>]*\bsrc=)", main)
    assert "css/admin.css" in body  # the stylesheet registered with a hook


def test_staff_of_another_community_cannot_search(client, editor_b, session, people):
    client.force_login(editor_b)
    response = client.get(reverse("hearings_admin:check_in", args=[session.pk]), {"q": "王"})
    assert "王秀英" not in response.content.decode()
