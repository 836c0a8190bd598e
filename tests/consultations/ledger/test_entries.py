"""Ledger entries follow their consultations; manual entries and corrections."""

from datetime import timedelta

from django.utils import timezone

from consultations.ledger import operations
from consultations.ledger.models import LedgerEntry, Source
from tests.conftest import make_consultation
from tests.consultations.ledger.factories import (
    add_hearing,
    add_poll,
    add_suggestions,
    generated_entry,
)


def test_publishing_a_consultation_makes_one_entry_in_its_communitys_ledger(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = make_consultation(tree.a, slug="roads")
    entry = generated_entry(consultation)
    assert entry.community == tree.a
    assert entry.area == tree.township
    assert list(entry.communities.all()) == [tree.a]
    assert entry.topic == consultation.title
    assert entry.held_on == consultation.input_opens
    assert entry.category_id == consultation.category_id
    with django_capture_on_commit_callbacks(execute=True):
        consultation.save_revision().publish()
    assert LedgerEntry.objects.filter(consultation=consultation).count() == 1


def test_each_channel_counts_in_the_entry(tree, official, django_capture_on_commit_callbacks):
    consultation = make_consultation(tree.a, slug="channels")
    with django_capture_on_commit_callbacks(execute=True):
        add_hearing(consultation, attended=3, registered=5)
    with django_capture_on_commit_callbacks(execute=True):
        add_poll(consultation, online=4, assisted=2, paper=11, helper=official)
    with django_capture_on_commit_callbacks(execute=True):
        add_suggestions(consultation, 6, answered=2, rejected=1)
    entry = generated_entry(consultation)
    assert (entry.hearing_attended, entry.ballots_online, entry.ballots_assisted) == (3, 4, 2)
    assert (entry.ballots_paper, entry.suggestions, entry.suggestions_answered) == (11, 6, 2)
    assert entry.participants_computed == 3 + 4 + 2 + 11 + 6
    assert entry.participants == entry.participants_computed


def test_unpublishing_or_deleting_a_consultation_removes_its_generated_entry(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_consultation(tree.a, slug="first")
        second = make_consultation(tree.a, slug="second")
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert not LedgerEntry.objects.filter(consultation=first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert not LedgerEntry.objects.filter(source=Source.GENERATED, topic=second.title).exists()


def test_a_township_consultation_counts_for_each_covered_community(tree):
    consultation = make_consultation(tree.township, slug="bridge")
    consultation.covered_communities.set([tree.a, tree.b])
    consultation.save_revision().publish()
    entry = operations.sync_entry(consultation.pk)
    assert entry.community is None
    assert entry.area == tree.township
    assert set(entry.communities.all()) == {tree.a, tree.b}


def test_a_correction_keeps_the_computed_figure(tree, editor_a):
    consultation = make_consultation(tree.a, slug="corrected")
    add_suggestions(consultation, 2)
    entry = operations.sync_entry(consultation.pk)
    entry.participants_recorded = 40
    entry.correction_note = "现场另有 38 人参加"
    entry.save()
    again = operations.sync_entry(consultation.pk)  # a later sync keeps the correction
    assert (again.participants_computed, again.participants_recorded, again.participants) == (
        2,
        40,
        40,
    )
    assert again.is_corrected


def test_the_refresh_command_heals_an_entry_missed_by_signals(tree):
    from django.core.management import call_command

    consultation = make_consultation(tree.a, slug="healed")
    LedgerEntry.objects.filter(consultation=consultation).delete()
    call_command("consultations_refresh_ledger", verbosity=0)
    assert generated_entry(consultation).held_on == consultation.input_opens


def test_a_future_meeting_is_an_upcoming_activity_not_yet_counted(tree):
    from consultations.ledger.figures import community_activity_counts, held_entries

    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="later",
        notice_date=today,
        input_opens=None,
        input_closes=None,
        meeting_at=timezone.now() + timedelta(days=10),
    )
    entry = operations.sync_entry(consultation.pk)
    assert entry.held_on == today + timedelta(days=10)
    year = entry.held_on.year
    assert entry not in held_entries(year, today)
    assert community_activity_counts(year, today, [tree.a]).get(tree.a.pk, 0) == 0
    assert entry in held_entries(year, entry.held_on)
