"""The hearing page serves its registration form as a route of the page itself, so
Wagtail's page privacy (password, login, groups) holds for the POST too."""

from django.utils import translation
from wagtail.models import PageViewRestriction

from consultations.hearings.models import Registration
from tests.conftest import en, make_consultation
from tests.consultations.hearings.factories import make_hearing


def _register_url(hearing):
    with translation.override("zh-hans"):
        return en(hearing.url) + "register/"


def _post(session):
    return {"session": session.pk, "category": "affected", "phone": "13800138000"}


def test_registration_is_a_route_of_the_hearing_page(client, tree, resident):
    hearing = make_hearing(make_consultation(tree.a))
    session = hearing.sessions.get()
    client.force_login(resident)

    page = client.get(en(hearing.url)).content.decode()
    response = client.post(_register_url(hearing), _post(session))

    assert f'action="{_register_url(hearing)}"' in page
    assert response.status_code == 302
    assert Registration.objects.filter(user=resident, session=session).exists()


def test_password_restricted_hearing_refuses_registration_without_the_password(
    client, tree, resident
):
    hearing = make_hearing(make_consultation(tree.a))
    PageViewRestriction.objects.create(
        page=hearing, restriction_type=PageViewRestriction.PASSWORD, password="geheim-123"
    )
    client.force_login(resident)

    response = client.post(_register_url(hearing), _post(hearing.sessions.get()))

    assert response.status_code == 200  # Wagtail's password prompt, not the form handler
    assert "password" in response.content.decode().lower()
    assert not Registration.objects.exists()


def test_registration_route_refuses_get(client, tree, resident):
    hearing = make_hearing(make_consultation(tree.a))
    client.force_login(resident)

    assert client.get(_register_url(hearing)).status_code == 405
