"""The life of one consultation in the browser, in Chinese: staff at a desk (1280 px),
the resident on a phone (360 px). Headless Chromium (Playwright) against the live server.

1. An editor creates a consultation with a suggestion form, a hearing and a poll from the
   "新建协商" template and submits it once; a reviewer approves once; all four go live.
2. A resident signs up, confirms the address from the mail, suggests, registers for the
   hearing and votes; after the poll closes, sees the results and the answer.
3. The outcome goes through community review, township approval and legal review; the
   resident finds it in the inbox (the bell counts it) and reads it.

One test, three phases (each a function below): each phase starts where the one before
left off, as the people involved would, and one test pays the database reset once.
Screenshots of every step: tests/e2e/helpers.py (`E2E_ARTIFACTS`).
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from wagtail.models import WorkflowState

from consultations.models import (
    ConsultationPage,
    HearingPage,
    OutcomePage,
    PollPage,
    SuggestionFormPage,
)
from consultations.notifications.models import Notification
from consultations.polls.models import VoterRegister
from consultations.polls.operations import cast_ballot
from consultations.suggestions.models import Suggestion
from consultations.suggestions.operations import answer_suggestion, publish_suggestion
from tests.conftest import PASSWORD, make_user
from tests.consultations.outcomes.factories import make_outcome
from tests.e2e.helpers import DESK, mailed_link, new_page, sign_in

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


def test_consultation_from_template_to_outcome(
    browser, live_server, tree, editor_a, reviewer_a, official, legal_reviewer, camera
):
    desk = new_page(browser, live_server, user=editor_a, viewport=DESK)
    consultation = editor_creates_and_reviewer_approves_once(desk, editor_a, reviewer_a, camera)
    open_for_input(consultation)
    phone = new_page(browser, live_server)
    resident = resident_takes_part(phone, consultation, tree, editor_a, camera)
    outcome = outcome_through_legal_review(
        desk, consultation, editor_a, reviewer_a, official, legal_reviewer, camera
    )
    resident_is_told(phone, resident, outcome, camera)
    assert desk.remote_requests == phone.remote_requests == []


# --- 1. staff: from the template to live pages, with one review ----------------------------


def editor_creates_and_reviewer_approves_once(desk, editor_a, reviewer_a, camera):
    today = timezone.localdate()
    desk.goto(desk.base_url + "/admin/consultations/new/")
    assert desk.get_by_role("heading", name="新建协商").is_visible()
    desk.get_by_label("完整程序").check()
    desk.locator("#id_title").fill(TITLE)
    desk.locator("#id_summary").fill("拟在村委会旁修建文化广场，请村民提出意见。")
    desk.locator("#id_category").select_option(label="公共设施")
    desk.locator("#id_format").select_option(label="网络协商")
    desk.locator("#id_organiser").fill("甲村村民委员会")
    desk.locator("#id_meeting_at").fill((today + timedelta(days=20)).strftime("%Y-%m-%d 19:30"))
    desk.locator("#id_meeting_place").fill("村委会议室")
    camera.shoot(desk, "template-form")
    # Enter in a text field submits the form (its button "创建草稿"), whatever the date
    # picker opened above may still cover.
    assert desk.get_by_role("button", name="创建草稿").is_visible()
    with desk.expect_navigation(url="**/admin/pages/*/edit/"):
        desk.locator("#id_meeting_place").press("Enter")
    consultation = ConsultationPage.objects.get(title=TITLE)
    assert sorted(type(p).__name__ for p in consultation.get_children().specific()) == [
        "HearingPage",
        "PollPage",
        "SuggestionFormPage",
    ]
    camera.shoot(desk, "edit-view")

    footer_action(desk, SUBMIT)
    camera.shoot(desk, "submitted")
    consultation.refresh_from_db()
    assert consultation.workflow_in_progress

    sign_in(desk, reviewer_a)  # the reviewer, at the same desk
    desk.goto(f"{desk.base_url}/admin/pages/{consultation.pk}/edit/")
    # Reviewed together: the attached pages are listed, to open and annotate.
    for title in ("意见征集", "民主听证会", "民意征询"):
        assert desk.get_by_role("link", name=f"打开并批注 {title}：{TITLE}").is_visible()
    camera.shoot(desk, "review")
    footer_action(desk, APPROVE)
    camera.shoot(desk, "approved")

    pages = [consultation.specific_class.objects.get(pk=consultation.pk), *attached(consultation)]
    assert all(p.live for p in pages)
    # One review: one workflow, on the consultation, approved.
    review = WorkflowState.objects.get()
    assert (review.object_id, review.status) == (
        str(consultation.pk),
        WorkflowState.STATUS_APPROVED,
    )
    for p in pages:
        response = desk.goto(desk.base_url + p.url)
        assert response.status == 200, p.url
        assert desk.get_by_role("heading", level=1).first.inner_text().strip() == p.title
    return pages[0]


def attached(consultation):
    return [
        SuggestionFormPage.objects.child_of(consultation).get(),
        HearingPage.objects.child_of(consultation).get(),
        PollPage.objects.child_of(consultation).get(),
    ]


def open_for_input(consultation):
    """The notice period passes: input (and voting) opened yesterday, for a week."""
    today = timezone.localdate()
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        notice_date=today - timedelta(days=5),
        input_opens=today - timedelta(days=1),
        input_closes=today + timedelta(days=6),
    )
    _suggestions, _hearing, poll = attached(consultation)
    opened = timezone.now() - timedelta(days=1)
    PollPage.objects.filter(pk=poll.pk).update(
        opens_at=opened, closes_at=opened + timedelta(days=7)
    )


# --- 2. the resident on a phone: sign up, suggest, register, vote; results and answer -----


def sign_up(page, email, name, community):
    """A resident signs up on the phone (allauth's form) and is signed in at once."""
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="注册").first.click()
    page.wait_for_url("**/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.get_by_label("显示名称").fill(name)
    page.get_by_label("所在村（社区）").select_option(label=community)
    page.get_by_label("户籍居民", exact=True).check()
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("密码（重复）").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="退出登录").is_visible()


def confirm_email(page, email):
    """Open the confirmation link of the last mail to `email` and confirm."""
    message = [m for m in mail.outbox if email in m.to][-1]
    page.goto(page.base_url + mailed_link(message, "/accounts/confirm-email/"))
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()


def resident_takes_part(phone, consultation, tree, editor_a, camera):
    suggestions, hearing, poll = attached(consultation)
    agree = poll.question_list[0]["options"][0]["id"]
    # Eleven neighbours have voted already, so the results are more than one voice.
    for number in range(11):
        neighbour = make_user(f"neighbour{number}@example.com", community=tree.a)
        cast_ballot(poll, neighbour, [agree])

    sign_up(phone, "wang.nainai@example.com", "王奶奶", "甲村")
    camera.shoot(phone, "signed-up")
    confirm_email(phone, "wang.nainai@example.com")
    camera.shoot(phone, "confirmed")
    resident = EmailAddress.objects.get(email="wang.nainai@example.com", verified=True).user

    # A suggestion.
    phone.goto(phone.base_url + suggestions.url)
    phone.locator("[name=title]").fill("广场要有无障碍坡道")
    phone.locator("[name=opinion]").fill("老人坐轮椅也能进广场，请在入口修坡道。")
    camera.shoot(phone, "suggestion-form")
    phone.get_by_role("button", name="提交意见建议").click()
    phone.wait_for_load_state()
    camera.shoot(phone, "suggestion-sent")
    assert phone.get_by_text("已收到").is_visible()
    suggestion = Suggestion.objects.get(user=resident)

    # A seat at the hearing.
    phone.goto(phone.base_url + hearing.url)
    phone.locator("[name=phone]").fill("13800138000")
    camera.shoot(phone, "hearing")
    phone.get_by_role("button", name="报名", exact=True).click()
    phone.wait_for_url("**/hearings/registrations/**")
    camera.shoot(phone, "registered")
    assert phone.get_by_text("您的座位已确认").is_visible()
    assert phone.get_by_text("村委会议室, 村委会议室").count() == 0  # the place, once

    # A vote: choose, review, cast.
    phone.goto(phone.base_url + poll.url)
    phone.get_by_label("同意", exact=True).check()
    camera.shoot(phone, "ballot")
    phone.get_by_role("button", name="核对我的选择").click()
    phone.wait_for_load_state()
    camera.shoot(phone, "ballot-review")
    phone.get_by_role("button", name="确认投票").click()
    phone.wait_for_load_state()
    camera.shoot(phone, "voted")
    assert VoterRegister.objects.filter(poll=poll, user=resident).exists()

    # Later: the poll has closed and the editor has answered the suggestion.
    closed = timezone.now() - timedelta(hours=1)
    PollPage.objects.filter(pk=poll.pk).update(
        opens_at=closed - timedelta(days=7), closes_at=closed
    )
    publish_suggestion(suggestion, editor_a)
    answer_suggestion(suggestion, editor_a, Suggestion.Answer.ADOPTED, "入口将修建坡道。")

    phone.goto(phone.base_url + poll.url)
    camera.shoot(phone, "results")
    assert phone.get_by_text("12 名有投票资格者中 12 人已投票").is_visible()
    phone.goto(phone.base_url + "/my/suggestions/")
    camera.shoot(phone, "answer")
    assert phone.get_by_text("入口将修建坡道。").is_visible()
    return resident


# --- 3. the outcome: community review, township approval, legal review; the resident told --


def outcome_through_legal_review(
    desk, consultation, editor_a, reviewer_a, official, legal_reviewer, camera
):
    outcome = make_outcome(consultation, live=False, title="文化广场修建协商成果")
    edit_url = f"{desk.base_url}/admin/pages/{outcome.pk}/edit/"
    # Each at the same desk in turn, in the admin.
    for role, user, action in (
        ("editor", editor_a, SUBMIT),
        ("reviewer", reviewer_a, APPROVE),
        ("official", official, APPROVE),
        ("legal-reviewer", legal_reviewer, APPROVE),
    ):
        assert not OutcomePage.objects.get(pk=outcome.pk).live
        sign_in(desk, user)
        desk.goto(edit_url)
        footer_action(desk, action)
        camera.shoot(desk, f"outcome-{role}")
    outcome = OutcomePage.objects.get(pk=outcome.pk)
    assert outcome.live
    return outcome


def resident_is_told(phone, resident, outcome, camera):
    """The bell counts the news, the inbox links to the announcement."""
    phone.goto(phone.base_url + "/")
    bell = phone.get_by_role("link", name=re.compile(r"通知（\d+条新）"))
    assert bell.is_visible()
    camera.shoot(phone, "bell")
    bell.click()
    phone.wait_for_load_state()
    camera.shoot(phone, "inbox")
    assert Notification.objects.filter(user=resident, page=outcome).exists()
    phone.get_by_role("link", name=outcome.title).first.click()
    phone.wait_for_load_state()
    camera.shoot(phone, "outcome")
    assert phone.get_by_role("heading", level=1).inner_text().strip() == outcome.title
