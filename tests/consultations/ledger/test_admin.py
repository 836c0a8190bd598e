"""The ledger in the admin (wagtail-modeladmin): list, filters, search, create, edit, inspect."""

from datetime import timedelta

from django.utils import timezone

from consultations.ledger import operations
from consultations.ledger.models import LedgerEntry, Source
from consultations.models import Category, Format
from tests.conftest import make_consultation
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.ledger.factories import add_suggestions, manual_entry

INDEX = "/en/admin/consultations/ledgerentry/"


def url(action, pk=None):
    return f"{INDEX}{action}/" + (f"{pk}/" if pk else "")


def test_the_ledger_lists_an_editors_own_community_only(client, tree, editor_a):
    today = timezone.localdate()
    manual_entry(tree.a, today, topic="甲村议事会")
    manual_entry(tree.b, today, topic="乙村议事会")
    client.force_login(editor_a)
    html = client.get(INDEX).content.decode()
    assert "甲村议事会" in html
    assert "乙村议事会" not in html


def test_an_official_sees_the_township_and_filters_it(client, tree, official):
    today = timezone.localdate()
    manual_entry(tree.a, today, topic="甲村议事会")
    manual_entry(tree.b, today - timedelta(days=400), topic="乙村旧议事会")
    manual_entry(tree.c, today, topic="丙社区议事会")  # another street
    client.force_login(official)
    html = client.get(INDEX).content.decode()
    assert "甲村议事会" in html and "乙村旧议事会" in html
    assert "丙社区议事会" not in html
    html = client.get(INDEX, {"year": str(today.year)}).content.decode()
    assert "甲村议事会" in html and "乙村旧议事会" not in html
    html = client.get(INDEX, {"community": str(tree.b.pk)}).content.decode()
    assert "乙村旧议事会" in html and "甲村议事会" not in html
    html = client.get(INDEX, {"q": "旧议事"}).content.decode()
    assert "乙村旧议事会" in html and "甲村议事会" not in html
    html = client.get(INDEX, {"source": Source.GENERATED}).content.decode()
    assert "甲村议事会" not in html


def test_a_resident_and_a_legal_reviewer_are_refused(client, tree, resident, legal_reviewer):
    client.force_login(legal_reviewer)
    assert_admin_refused(client.get(INDEX))


def test_an_editor_adds_an_offline_activity_for_their_community(client, tree, editor_a):
    from wagtail.models import ModelLogEntry

    client.force_login(editor_a)
    assert client.get(url("create")).status_code == 200
    data = {
        "community": tree.a.pk,
        "held_on": timezone.localdate().isoformat(),
        "topic": "村民代表会议：停车管理",
        "category": Category.objects.get(slug="public-facilities").pk,
        "format": Format.objects.get(slug="representatives").pk,
        "organiser": "村委会",
        "participants_recorded": "25",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url("create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LedgerEntry.objects.get(topic="村民代表会议：停车管理")
    assert entry.source == Source.MANUAL
    assert list(entry.communities.all()) == [tree.a]
    assert entry.area == tree.township
    assert ModelLogEntry.objects.filter(action="consultations.ledger.create").exists()
    # Another community's ledger is not offered.
    data.update(community=tree.b.pk, topic="乙村")
    response = client.post(url("create"), data)
    assert response.status_code == 200
    assert not LedgerEntry.objects.filter(topic="乙村").exists()


def test_a_generated_entry_is_corrected_with_both_figures_shown(client, tree, editor_a):
    from wagtail.models import ModelLogEntry

    consultation = make_consultation(tree.a, slug="corr")
    add_suggestions(consultation, 3)
    entry = operations.sync_entry(consultation.pk)
    client.force_login(editor_a)
    form = client.get(url("edit", entry.pk)).content.decode()
    assert 'name="participants_recorded"' in form
    assert 'name="topic"' not in form  # the topic follows the consultation
    management = {
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url("edit", entry.pk), {"participants_recorded": "45", **management})
    assert response.status_code == 200  # a correction says why
    assert LedgerEntry.objects.get(pk=entry.pk).participants_recorded is None
    response = client.post(
        url("edit", entry.pk),
        {"participants_recorded": "45", "correction_note": "另有 42 人在会场", **management},
    )
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action="consultations.ledger.correct").exists()
    inspect = client.get(url("inspect", entry.pk)).content.decode()
    assert "45" in inspect and "另有 42 人在会场" in inspect
    assert "Computed from the portal" in inspect
    assert "45 (computed 3)" in client.get(INDEX).content.decode()


def test_a_generated_entry_cannot_be_deleted_a_manual_one_can(client, tree, editor_a):
    consultation = make_consultation(tree.a, slug="keep")
    generated = operations.sync_entry(consultation.pk)
    manual = manual_entry(tree.a, timezone.localdate())
    client.force_login(editor_a)
    assert_admin_refused(client.post(url("delete", generated.pk)))
    assert LedgerEntry.objects.filter(pk=generated.pk).exists()
    assert client.post(url("delete", manual.pk)).status_code == 302
    assert not LedgerEntry.objects.filter(pk=manual.pk).exists()


def test_the_consultation_header_links_to_its_checklist(client, tree, editor_a):
    consultation = make_consultation(tree.a, slug="btn")
    entry = operations.sync_entry(consultation.pk)
    client.force_login(editor_a)
    html = client.get(f"/en/admin/pages/{consultation.pk}/edit/").content.decode()
    assert url("inspect", entry.pk).replace("/en", "") in html or url("inspect", entry.pk) in html
    inspect = client.get(url("inspect", entry.pk)).content.decode()
    assert "Procedure checklist" in inspect


def test_editor_b_cannot_inspect_or_edit_community_as_entry(client, tree, editor_b):
    entry = manual_entry(tree.a, timezone.localdate())
    client.force_login(editor_b)
    assert_admin_refused(client.get(url("inspect", entry.pk)))
    assert_admin_refused(client.get(url("edit", entry.pk)))


def test_the_ledger_list_queries_do_not_grow_with_its_entries(client, tree, official):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.get(INDEX)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    today = timezone.localdate()
    client.force_login(official)
    for i in range(2):
        manual_entry(tree.a, today - timedelta(days=i), topic=f"议事会{i}")
    few = queries()
    for i in range(2, 12):
        manual_entry(tree.b if i % 2 else tree.a, today - timedelta(days=i), topic=f"议事会{i}")
    assert queries() == few
