"""A resident on a phone signs up, verifies the address from the mail and signs in.

Email is optional since residents may sign up with a mobile number instead, so allauth's
email verification is "optional": the new account is signed in at once and the mail
confirms the address (which a resident needs to take part, unless verified otherwise).
"""

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD, make_consultation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_resident_signs_up_verifies_and_signs_in_on_a_phone(browser_page, tree):
    make_consultation(tree.a, title="村口路灯安装")
    page = browser_page
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="村口路灯安装").is_visible()

    page.get_by_role("link", name="注册").first.click()
    page.wait_for_url("**/accounts/signup/")
    page.locator("#id_email").fill("phone.user@example.com")
    page.get_by_label("显示名称").fill("赵奶奶")
    page.get_by_label("所在村（社区）").select_option(label="甲村")
    page.get_by_label("非户籍居民").check()
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("密码（重复）").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="退出登录").is_visible()
    page.context.clear_cookies()  # the same phone, signed out

    # The mail links to https://… as in production; the test server speaks plain HTTP.
    path = re.search(r"https?://[^/]+(/\S*accounts/confirm-email/\S+)", mail.outbox[-1].body).group(
        1
    )
    page.goto(page.base_url + path)
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()

    page.goto(page.base_url + "/accounts/login/")
    page.locator("#id_login").fill("phone.user@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="退出登录").is_visible()
