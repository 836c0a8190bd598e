"""New consultation from a template: one step creates the consultation and exactly the
chosen attached pages as drafts, with defaults taken from the consultation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from consultations.models import (
    Category,
    ConsultationPage,
    Format,
    HearingPage,
    PollPage,
    SuggestionFormPage,
)
from consultations.polls.models import Eligibility
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.consultation_pages.test_admin import login

pytestmark = pytest.mark.django_db

URL = "/en/admin/consultations/new/"


def data(parent, template="full", **overrides):
    today = timezone.localdate()
    values = {
        "template": template,
        "parent": parent.pk,
        "title": "文化广场修建",
        "summary": "拟在村委会旁修建文化广场，请村民提出意见。",
        "category": Category.objects.get(slug="roads-water").pk,
        "format": Format.objects.get(slug="online").pk,
        "organiser": "村民委员会",
        "notice_date": str(today),
        "input_opens": str(today + timedelta(days=3)),
        "input_closes": str(today + timedelta(days=13)),
        "meeting_at": (today + timedelta(days=20)).strftime("%Y-%m-%d 19:30"),
        "meeting_place": "村委会议室",
        "outcome_due": str(today + timedelta(days=50)),
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def kinds(consultation):
    return sorted(type(page).__name__ for page in consultation.get_children().specific())


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("notice_suggestions", ["SuggestionFormPage"]),
        ("suggestions_hearing", ["HearingPage", "SuggestionFormPage"]),
        ("suggestions_poll", ["PollPage", "SuggestionFormPage"]),
        ("full", ["HearingPage", "PollPage", "SuggestionFormPage"]),
    ],
)
def test_a_template_creates_exactly_the_chosen_pages_as_drafts(
    client, tree, editor_a, template, expected
):
    login(client, editor_a)
    response = client.post(URL, data(tree.a, template=template))
    consultation = ConsultationPage.objects.get(title="文化广场修建")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/pages/{consultation.pk}/edit/")
    assert kinds(consultation) == expected
    assert consultation.slug == "wen-hua-guang-chang-xiu-jian"
    for page in [consultation, *consultation.get_children()]:
        assert not page.live and page.has_unpublished_changes
        assert page.get_latest_revision() is not None
        assert page.owner == editor_a
        assert PageLogEntry.objects.filter(page=page, action="wagtail.create").exists()


def test_the_attached_pages_take_their_defaults_from_the_consultation(client, tree, editor_a):
    login(client, editor_a)
    client.post(URL, data(tree.a))
    consultation = ConsultationPage.objects.get(title="文化广场修建")
    suggestions = SuggestionFormPage.objects.child_of(consultation).get()
    hearing = HearingPage.objects.child_of(consultation).get()
    poll = PollPage.objects.child_of(consultation).get()
    # The suggestion form follows the consultation's input window, for its community.
    assert suggestions.opens is None and suggestions.closes is None
    assert suggestions.restrict_to_community_id == tree.a.pk
    # The hearing's first session is the meeting.
    session = hearing.sessions.get()
    assert session.starts_at == consultation.meeting_at
    assert session.place == "村委会议室"
    assert session.registration_deadline < session.starts_at
    # The poll is open during the input window, for the covered communities' residents.
    assert timezone.localdate(poll.opens_at) == consultation.input_opens
    assert timezone.localdate(poll.closes_at) == consultation.input_closes
    assert poll.eligibility == Eligibility.COMMUNITY
    assert len(poll.option_ids()) == 3
    assert poll.title == "民意征询：文化广场修建"
    assert (suggestions.slug, hearing.slug, poll.slug) == ("suggestions", "hearing", "poll")


def test_a_township_consultation_covers_the_chosen_communities(client, tree, official):
    login(client, official)
    client.post(
        URL,
        data(
            tree.township, template="notice_suggestions", covered_communities=[tree.a.pk, tree.b.pk]
        ),
    )
    consultation = ConsultationPage.objects.get(title="文化广场修建")
    assert consultation.get_parent().pk == tree.township.pk
    assert set(consultation.covered_communities.values_list("pk", flat=True)) == {
        tree.a.pk,
        tree.b.pk,
    }


def test_bad_input_is_refused_with_clear_errors_and_creates_nothing(client, tree, editor_a):
    login(client, editor_a)
    today = timezone.localdate()
    response = client.post(
        URL,
        data(
            tree.a,
            template="suggestions_hearing",
            meeting_at="",
            input_closes=str(today),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "meeting_at" in errors and "input_closes" in errors
    # A community's editor is not offered communities to cover (township level only).
    assert "covered_communities" not in response.context["form"].fields
    assert not ConsultationPage.objects.filter(title="文化广场修建").exists()


def test_a_township_consultation_covers_only_communities_of_the_township(client, tree, official):
    login(client, official)
    response = client.post(URL, data(tree.township, covered_communities=[tree.c.pk]))
    assert response.status_code == 200
    assert "covered_communities" in response.context["form"].errors
    response = client.post(URL, data(tree.a, covered_communities=[tree.a.pk]))
    assert "covered_communities" in response.context["form"].errors
    assert not ConsultationPage.objects.filter(title="文化广场修建").exists()


def test_an_editor_may_only_start_consultations_in_their_own_community(client, tree, editor_a):
    login(client, editor_a)
    page = client.get(URL + f"?parent={tree.a.pk}")
    assert page.status_code == 200
    choices = [str(pk) for pk, _label in page.context["form"].fields["parent"].choices]
    assert choices == [str(tree.a.pk)]
    response = client.post(URL, data(tree.b))
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert not ConsultationPage.objects.filter(title="文化广场修建").exists()


def test_residents_cannot_open_the_template_screen(client, tree, resident):
    login(client, resident)
    response = client.get(URL)
    assert response.status_code == 302  # not an admin user: to the login page


def test_staff_without_rights_below_any_community_are_refused(client, tree):
    from tests.conftest import make_user

    staff = make_user("staff@example.com", staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, staff)
    assert_admin_refused(client.get(URL))
