"""Two resident journeys on a phone (360 px), in Chinese, against the live server.

1. Phone sign-in and the roster: a resident signs up with a mobile number and the code
   texted to it, confirms her entry on the community's roster (居民名册) with a code texted
   to the roster's number, votes in a poll open to roster residents only, and later signs
   in again with a code by text message instead of her password.
2. Follow and digest: a resident follows her community, chooses the daily digest for new
   notices, a consultation is published there, the daily digest goes out; its link opens
   the consultation and its unsubscribe link (a page confirming with a POST) stops the mail.

Texts land in `home.sms.outbox`, mail in `django.core.mail.outbox` (tests run the task
queue at once). Screenshots of every step: tests/e2e/helpers.py (`E2E_ARTIFACTS`).
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from consultations.notifications.models import (
    Delivery,
    Event,
    Follow,
    Notification,
    NotificationPreference,
)
from consultations.notifications.operations import send_digests
from consultations.polls.models import VoterRegister
from consultations.roster.models import RosterLink
from home import sms
from tests.conftest import PASSWORD, make_consultation, make_user
from tests.consultations.polls.factories import NO, Q1, YES, make_poll, question
from tests.consultations.roster.factories import make_person
from tests.e2e.helpers import mailed_link, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOBILE = "17000000088"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def texted_code(number):
    """The six-digit code of the last text to `number` (E.164)."""
    texts = [m for m in sms.outbox if m.to == number]
    assert texts, f"a text to {number}: {sms.outbox}"
    return re.search(r"\b(\d{6})\b", texts[-1].body).group(1)


def signed_in(page):
    return page.get_by_role("link", name="退出登录").is_visible()


# --- 1. phone sign-up, the roster link, a roster poll, signing in by code ----------------


def test_phone_sign_up_roster_link_vote_and_code_sign_in(browser, live_server, tree, camera):
    make_person(tree.a, "刘秀兰", "110011", phone="+86" + MOBILE)
    consultation = make_consultation(tree.a, title="村主干道硬化")
    poll = make_poll(
        consultation,
        title="村主干道硬化民意征询",
        uses_roster=True,
        questions=[question(Q1, "是否同意硬化村主干道？", [(YES, "同意"), (NO, "不同意")])],
    )
    phone = new_page(browser, live_server)

    # Sign up with a mobile number and no email; the number is confirmed by a texted code.
    phone.goto(phone.base_url + "/accounts/signup/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    phone.locator("#id_phone").fill(MOBILE)
    phone.get_by_label("显示名称").fill("刘奶奶")
    phone.get_by_label("所在村（社区）").select_option(label="甲村")
    phone.get_by_label("户籍居民", exact=True).check()
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    camera.shoot(phone, "signup")
    with phone.expect_navigation():
        phone.get_by_role("button", name="注册").click()
    camera.shoot(phone, "phone-code")
    phone.locator("[name=code]").fill(texted_code("+86" + MOBILE))
    with phone.expect_navigation():
        phone.locator("[name=code]").press("Enter")
    camera.shoot(phone, "phone-verified")
    resident = get_user_model().objects.get(phone="+86" + MOBILE)
    assert resident.phone_verified and resident.email is None
    assert signed_in(phone)

    # The poll is for people on the roster: the page says so and links to the roster check.
    phone.goto(phone.base_url + poll.url)
    camera.shoot(phone, "poll-not-yet")
    assert not phone.get_by_role("button", name="核对我的选择").is_visible()
    phone.get_by_role("link", name="确认您在居民名册上的信息").click()
    phone.wait_for_url("**/roster/verify/")
    phone.locator("[name=community]").select_option(label="甲村")
    phone.locator("[name=full_name]").fill("刘秀兰")
    phone.locator("[name=local_id]").fill("110011")
    camera.shoot(phone, "roster-verify")
    with phone.expect_navigation(url="**/roster/verify/code/"):
        phone.locator("[name=local_id]").press("Enter")
    sms_code = texted_code("+86" + MOBILE)  # the roster's number, the same phone
    phone.locator("[name=code]").fill(sms_code)
    camera.shoot(phone, "roster-code")
    with phone.expect_navigation(url="**/roster/verify/"):
        phone.locator("[name=code]").press("Enter")
    camera.shoot(phone, "roster-linked")
    assert phone.get_by_text("谢谢！您现在是甲村经确认的居民。").is_visible()
    assert RosterLink.objects.get(user=resident).person.full_name == "刘秀兰"

    # Now she may vote: choose, review, cast.
    phone.goto(phone.base_url + poll.url)
    phone.get_by_label("同意", exact=True).check()
    camera.shoot(phone, "ballot")
    with phone.expect_navigation():
        phone.get_by_role("button", name="核对我的选择").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="确认投票").click()
    camera.shoot(phone, "voted")
    assert VoterRegister.objects.filter(poll=poll, user=resident).exists()

    # Another day, signed out: "send me a sign-in code" instead of the password.
    phone.context.clear_cookies()
    phone.goto(phone.base_url + "/accounts/login/")
    assert not signed_in(phone)
    phone.locator("a[href*='/accounts/login/code/']").first.click()
    phone.wait_for_url("**/accounts/login/code/")
    phone.locator("[name=phone]").fill(MOBILE)
    camera.shoot(phone, "ask-code")
    sms.outbox.clear()
    with phone.expect_navigation():
        phone.locator("[name=phone]").press("Enter")
    phone.locator("[name=code]").fill(texted_code("+86" + MOBILE))
    camera.shoot(phone, "sign-in-code")
    with phone.expect_navigation():
        phone.locator("[name=code]").press("Enter")
    camera.shoot(phone, "signed-in-by-code")
    assert signed_in(phone)
    assert phone.remote_requests == []


# --- 2. follow a community, the daily digest, its link and its unsubscribe link ----------


def test_follow_a_community_get_the_digest_and_unsubscribe(browser, live_server, tree, camera):
    resident = make_user("zhou.yeye@example.com", community=tree.a)
    phone = new_page(browser, live_server, user=resident)

    phone.goto(phone.base_url + tree.a.url)
    with phone.expect_navigation():
        phone.get_by_role("button", name="关注本村（社区）").click()
    camera.shoot(phone, "followed")
    assert phone.get_by_role("button", name="取消关注").is_visible()
    assert Follow.objects.filter(user=resident, page_id=tree.a.pk).exists()

    # New notices in the daily digest; no word of polls opening.
    phone.get_by_role("link", name="通知设置").first.click()
    phone.wait_for_url("**/notifications/settings/")
    notices = phone.get_by_role("group", name="我关注的范围内有新的协商议题通报")
    notices.get_by_label("每日汇总一次").check()
    phone.get_by_role("group", name="民意征询开始").get_by_label("不通知").check()
    camera.shoot(phone, "preferences")
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存设置").click()
    assert phone.get_by_text("通知设置已保存。").is_visible()
    preference = NotificationPreference.objects.get(user=resident)
    assert preference.delivery(Event.NOTICE) == Delivery.DIGEST
    assert preference.delivery(Event.POLL) == Delivery.OFF

    # A consultation is published in the community; the digest goes out that evening.
    consultation = make_consultation(tree.a, title="村口停车场规划")
    mail.outbox.clear()
    call_command("notifications_send_digests")
    digests = [m for m in mail.outbox if m.to == [resident.email]]
    assert len(digests) == 1, [m.subject for m in mail.outbox]
    digest = digests[0]
    assert "每日汇总" in digest.subject and "村口停车场规划" in digest.body

    phone.goto(phone.base_url + mailed_link(digest, re.escape(consultation.url)))
    camera.shoot(phone, "from-the-digest")
    assert phone.get_by_role("heading", level=1).first.inner_text().strip() == "村口停车场规划"

    # The unsubscribe link works without signing in: a page, then one POST.
    phone.context.clear_cookies()
    phone.goto(phone.base_url + mailed_link(digest, "/notifications/unsubscribe/"))
    camera.shoot(phone, "unsubscribe")
    assert phone.get_by_text("退订全部通知邮件？").is_visible()
    with phone.expect_navigation():
        phone.get_by_role("button", name="确认退订").click()
    camera.shoot(phone, "unsubscribed")
    assert phone.get_by_role("status").is_visible()
    assert not NotificationPreference.objects.get(user=resident).by_mail
    # The next day's news reaches her notifications page, and no mail.
    make_consultation(tree.a, slug="second", title="村卫生室改建")
    assert Notification.objects.filter(user=resident, page__title="村卫生室改建").exists()
    mail.outbox.clear()
    assert send_digests(now=timezone.now() + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert phone.remote_requests == []
