"""The fixture portal the authorization matrix walks: every kind of object, twice.

Communities A and B (the shared tree's 甲村 and 乙村 under 测试镇) each get a live
consultation with a suggestion form, a hearing, a poll and an outcome announcement, a
draft consultation, a roster entry, a ledger entry, a voting-code batch and a paper tally;
residents of A and B have a suggestion (with an attachment), a registration and a vote.
The matrix asks for A's objects and for B's, so "another community's" and "another
person's" objects are checked by the same table.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupApprovalTask, Site, Workflow

from consultations.communities.operations import (
    ensure_area_officials_group,
    ensure_community_groups,
)
from consultations.ledger.operations import sync_entry
from consultations.models import (
    Category,
    ConsultationIndexPage,
    ConsultationPage,
    Format,
    ParticipantGroup,
    Suggestion,
    SuggestionFormPage,
)
from consultations.outcomes.operations import ensure_legal_reviewers_group
from consultations.polls.models import Eligibility
from consultations.polls.operations import cast_ballot, generate_code_batch, record_paper_tally
from consultations.roster.models import LinkMethod
from consultations.roster.operations import link_account, store_upload
from home.models import HomePage
from tests.conftest import _baseline_pages, add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register
from tests.consultations.ledger.factories import manual_entry
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import PARK, YES, make_poll
from tests.consultations.roster.factories import GOOD_ROWS, csv_bytes, make_person

# The roles of the matrix, in the order its failure messages list them.
ROLES = (
    "anonymous",
    "unverified",  # signed up, address not confirmed: signs in, takes no part
    "resident",  # verified resident of A, linked to A's roster
    "resident_b",  # verified resident of B: "another community", "another person"
    "editor_a",
    "editor_b",
    "reviewer_a",
    "official",  # officials of the township above A and B
    "legal_reviewer",
    "clerk",  # A's office: A's editors group plus the "act for a resident" right
    "superuser",
)


def _users(tree):
    editors_a, reviewers_a = ensure_community_groups(tree.a)
    editors_b, _reviewers_b = ensure_community_groups(tree.b)
    users = {
        "unverified": make_user("unverified@example.com", community=tree.a, verified=False),
        "resident": make_user("resident-a@example.com", community=tree.a),
        "resident_b": make_user("resident-b@example.com", community=tree.b),
        "editor_a": make_user("editor-a@example.com", staff=True, groups=[editors_a]),
        "editor_b": make_user("editor-b@example.com", staff=True, groups=[editors_b]),
        "reviewer_a": make_user("reviewer-a@example.com", staff=True, groups=[reviewers_a]),
        "official": make_user(
            "official@example.com",
            staff=True,
            groups=[ensure_area_officials_group(tree.township)],
        ),
        "legal_reviewer": make_user(
            "legal@example.com", staff=True, groups=[ensure_legal_reviewers_group()]
        ),
        "clerk": make_user("clerk-a@example.com", staff=True, groups=[editors_a]),
        "superuser": make_user("admin@example.com", superuser=True),
    }
    users["clerk"].user_permissions.add(Permission.objects.get(codename="assist_resident"))
    return users


def _community_objects(community, letter, users, resident, now):
    """A live consultation of `community` with every attached page, and its records."""
    consultation = make_consultation(
        community, slug=f"road-{letter}", title=f"{community.title}村道硬化"
    )
    form = add_page(
        consultation,
        SuggestionFormPage(title="意见征集", slug="suggestions", allow_attachments=True),
    )
    hearing = make_hearing(consultation)
    session = hearing.sessions.get()
    poll = make_poll(consultation, title=f"{community.title}道路民意征询")
    code_poll = make_poll(
        consultation, slug="code-poll", title="凭码投票", eligibility=Eligibility.CODES
    )
    outcome = make_outcome(consultation)
    draft = ConsultationPage(
        title=f"{community.title}未公开草稿议题",
        slug=f"draft-{letter}",
        summary="草稿",
        organiser="村民委员会",
        category=Category.objects.get(slug="roads-water"),
        format=Format.objects.get(slug="online"),
        live=False,
    )
    community.add_child(instance=draft)
    draft.save_revision()

    person = make_person(community, full_name=f"{letter}张三", local_id=f"{letter}23456".upper())
    link_account(resident, person, method=LinkMethod.OFFICE)
    suggestion = Suggestion.objects.create(
        page=form,
        user=resident,
        token=uuid.uuid4().hex,
        form_data={"title": "路灯", "opinion": "请加装路灯", "topic_part": ""},
        status=Suggestion.Status.PUBLISHED,
        moderated_at=now,
        attachment=ContentFile(b"%PDF-1.4 private", name="photo.pdf"),
        attachment_name="photo.pdf",
        attachment_type="application/pdf",
    )
    registration = register(session, resident, phone=f"1391111000{1 if letter == 'a' else 2}")
    cast_ballot(poll, resident, [YES, PARK])
    batch = generate_code_batch(code_poll, 3, user=users["superuser"])
    tally = record_paper_tally(
        code_poll, meeting_date=timezone.localdate(), voters=1, counts={YES: 1}
    )
    roster_import, _headers = store_upload(
        community, SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS)), users["superuser"]
    )
    sync_entry(consultation.pk)
    entry = manual_entry(community, timezone.localdate() - timedelta(days=3))
    return SimpleNamespace(
        community=community,
        consultation=consultation,
        form=form,
        hearing=hearing,
        session=session,
        poll=poll,
        code_poll=code_poll,
        outcome=outcome,
        item=outcome.decision_items.first(),
        draft=draft,
        person=person,
        suggestion=suggestion,
        registration=registration,
        batch=batch,
        tally=tally,
        roster_import=roster_import,
        entry=entry,
    )


def build():
    """Create the portal (inside the caller's transaction); returns a namespace."""
    tree = SimpleNamespace(**_baseline_pages())
    now = timezone.now()
    users = _users(tree)
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    a = _community_objects(tree.a, "a", users, users["resident"], now)
    b = _community_objects(tree.b, "b", users, users["resident_b"], now)
    # A's draft goes into review, so the workflow screens have a task state to act on.
    workflow_state = a.draft.get_workflow().start(a.draft, users["editor_a"])
    document = Document.objects.create(
        title="会议纪要", file=ContentFile(b"minutes", name="minutes.txt")
    )
    image = Image.objects.create(title="现场照片", file=get_test_image_file())
    query = Query.get("路灯")
    SearchPromotion.objects.create(query=query, page=a.consultation, sort_order=0)
    return SimpleNamespace(
        tree=tree,
        users=users,
        index=index,
        a=a,
        b=b,
        workflow_state=workflow_state,
        task_state=workflow_state.current_task_state,
        workflow=Workflow.objects.filter(active=True).first(),
        task=GroupApprovalTask.objects.filter(active=True).first(),
        document=document,
        image=image,
        query=query,
        redirect=Redirect.objects.create(old_path="/old-road", redirect_page=a.consultation),
        collection=Collection.get_first_root_node().add_child(name="村务资料"),
        category=Category.objects.first(),
        format=Format.objects.first(),
        participant_group=ParticipantGroup.objects.first(),
        home=HomePage.objects.get(pk=tree.home.pk),
        site=Site.objects.get(is_default_site=True),
        group=ensure_community_groups(tree.b)[0],
    )
