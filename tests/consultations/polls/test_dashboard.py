"""The staff poll dashboard in Wagtail's admin components: panels, listing tables, the
header; every bar has its value written beside it; no inline styles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import PollPage
from consultations.polls.operations import cast_ballot
from tests.conftest import make_user
from tests.consultations.polls.factories import PARK, YES, make_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_poll(consultation, tree):
    poll = make_poll(consultation, secret=False)
    cast_ballot(poll, make_user("v1@example.com", community=tree.a), [YES, PARK])
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    return poll


def test_dashboard_uses_wagtail_panels_and_listing_tables(client, editor_a, closed_poll):
    client.force_login(editor_a)
    html = client.get(reverse("polls_admin:dashboard", args=[closed_poll.pk])).content.decode()
    assert 'class="w-panel' in html and "poll-results-section" in html
    assert 'class="listing poll-results-table"' in html
    assert "w-header" in html
    main = html[html.index("poll-dashboard") :]
    assert " style=" not in main and "<style" not in main
    assert "css/admin.css" in html


def test_every_bar_has_its_value_beside_it(client, editor_a, closed_poll):
    client.force_login(editor_a)
    html = client.get(reverse("polls_admin:dashboard", args=[closed_poll.pk])).content.decode()
    bars = html.count('<progress class="poll-bar"')
    assert bars >= 5  # two questions' options and one day of turnout
    assert html.count('class="poll-bar-value"') == bars
    assert html.count('aria-hidden="true"></progress>') == bars
    assert "1 票（100.0%）" in html or "1 票（100%）" in html
