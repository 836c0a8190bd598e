"""Portal mail goes out in each recipient's language and never loses the record."""

import pytest
from django.core import mail

from home.mail import send_templated_mail
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TEMPLATE = "consultations/suggestions/mail/merged"


class Suggestion:
    title = "路灯"
    consultation_title = "村道"


def test_each_recipient_gets_the_mail_in_their_own_language(tree):
    english = make_user("english@example.com", community=tree.a)
    english.preferred_language = "en"
    english.save()
    make_user("chinese@example.com", community=tree.a)

    send_templated_mail(
        TEMPLATE,
        {"suggestion": Suggestion()},
        ["english@example.com", "chinese@example.com", "nobody@example.com"],
    )

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert "was merged" in by_recipient[("english@example.com",)].subject
    chinese = by_recipient[("chinese@example.com", "nobody@example.com")]
    assert "was merged" not in chinese.subject
    assert "路灯" in chinese.subject


def test_a_callable_context_is_built_in_each_recipients_language(tree):
    from django.utils import translation

    english = make_user("english@example.com", community=tree.a)
    english.preferred_language = "en"
    english.save()
    make_user("chinese@example.com", community=tree.a)
    built = []

    def context(language):
        built.append((language, translation.get_language()))
        return {"suggestion": Suggestion()}

    send_templated_mail(TEMPLATE, context, ["english@example.com", "chinese@example.com"])
    assert sorted(built) == [("en", "en"), ("zh-hans", "zh-hans")]
    assert len(mail.outbox) == 2


def test_an_explicit_language_wins(tree):
    make_user("someone@example.com", community=tree.a)
    send_templated_mail(TEMPLATE, {"suggestion": Suggestion()}, ["someone@example.com"], "en")
    assert "was merged" in mail.outbox[0].subject


def test_signup_in_english_records_the_language(client, tree):
    from django.contrib.auth import get_user_model

    client.post(
        "/en/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ann",
            "community": tree.a.pk,
            "residence_status": "registered",
        },
    )
    assert get_user_model().objects.get(email="new@example.com").preferred_language == "en"
