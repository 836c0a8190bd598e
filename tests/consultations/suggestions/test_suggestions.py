"""Residents' suggestions: submit, moderate, answer and follow up (issue 4).

The tests read as the user stories they protect; English pages are requested under /en/
so that assertions do not depend on the compiled Chinese catalogue.
"""

import io
import os
import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from wagtail.models import ModelLogEntry

from consultations.errors import ConsultationError
from consultations.models import Suggestion, SuggestionFormPage
from consultations.suggestions import operations
from tests.conftest import PASSWORD, add_page, en, make_consultation, make_user, requires_postgres
from tests.consultations.conftest import assert_admin_refused

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread; page.url and reverse() follow
    # it, so every test starts in the default language (unprefixed URLs).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def form_page(consultation):
    return add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))


def en_url(target):
    """The English address of a page or a URL name, whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return en(
            target
            if isinstance(target, str) and target.startswith("/")
            else (reverse(target) if isinstance(target, str) else target.url)
        )


def login(client, user):
    client.force_login(user)
    return client


def suggestion_data(**overrides):
    data = {
        "title": "路面加宽",
        "opinion": "建议把村口路段加宽到六米。",
        "topic_part": "线路",
        "token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def submit(client, page, **overrides):
    return client.post(en_url(page), suggestion_data(**overrides))


def make_suggestion(page, user, status=Suggestion.Status.PENDING, answer_status="", **data):
    form_data = {"title": "标题", "opinion": "内容", "topic_part": ""}
    form_data.update(data)
    return Suggestion.objects.create(
        page=page,
        user=user,
        token=uuid.uuid4().hex,
        form_data=form_data,
        status=status,
        answer_status=answer_status,
        moderated_at=timezone.now() if status != Suggestion.Status.PENDING else None,
    )


def png_upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload(name, content, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- the form page -------------------------------------------------------------------------------


def test_page_made_in_code_gets_the_default_fields(form_page):
    names = list(form_page.form_fields.values_list("clean_name", flat=True))
    assert names == ["title", "opinion", "topic_part"]


def test_suggestion_page_is_allowed_under_a_consultation():
    from consultations.models import ConsultationPage

    assert SuggestionFormPage in ConsultationPage.allowed_subpage_models()


def test_resident_sees_the_form_with_translated_default_labels(client, resident, form_page):
    response = login(client, resident).get(en_url(form_page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Which part of the topic does it concern?" in html
    assert 'name="token"' in html
    assert 'name="website"' in html  # the honeypot


def test_anonymous_visitor_is_asked_to_sign_in(client, form_page):
    response = client.get(en_url(form_page))
    assert response.status_code == 200
    assert "Sign in to submit a suggestion" in response.content.decode()
    assert 'name="token"' not in response.content.decode()


def test_anonymous_post_redirects_to_login_with_next(client, form_page):
    response = submit(client, form_page)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]
    assert not Suggestion.objects.exists()


# --- submitting ----------------------------------------------------------------------------------


def test_resident_submits_a_suggestion_and_gets_a_confirmation(client, resident, form_page):
    response = submit(login(client, resident), form_page)
    assert response.status_code == 200
    suggestion = Suggestion.objects.get()
    assert suggestion.user == resident
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.form_data["title"] == "路面加宽"
    assert set(suggestion.form_data) == {"title", "opinion", "topic_part"}
    assert f"no. {suggestion.pk}" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert ModelLogEntry.objects.filter(action="consultations.suggestions.submit").count() == 1


def test_same_form_posted_twice_is_one_suggestion(client, resident, form_page):
    login(client, resident)
    data = suggestion_data()
    first = client.post(en_url(form_page), data)
    second = client.post(en_url(form_page), data)
    assert first.status_code == second.status_code == 200
    suggestion = Suggestion.objects.get()
    assert f"no. {suggestion.pk}" in second.content.decode()
    assert len(mail.outbox) == 1


def test_invalid_suggestion_is_refused_with_a_message(client, resident, form_page):
    response = submit(login(client, resident), form_page, opinion="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Suggestion.objects.exists()


def test_overlong_text_is_refused(client, resident, form_page):
    response = submit(login(client, resident), form_page, opinion="长" * 5001, title="x" * 201)
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_tampered_token_is_refused(client, resident, form_page):
    response = submit(login(client, resident), form_page, token="<bad>")
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_form_is_closed_before_input_opens(client, resident, tree):
    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="later",
        input_opens=today + timedelta(days=3),
        input_closes=today + timedelta(days=20),
    )
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s"))
    login(client, resident)
    assert "Suggestions can be submitted from" in client.get(en_url(page)).content.decode()
    response = submit(client, page)
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_form_is_closed_after_input_closes(client, resident, tree):
    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="past",
        notice_date=today - timedelta(days=30),
        input_opens=today - timedelta(days=20),
        input_closes=today - timedelta(days=1),
    )
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s"))
    login(client, resident)
    assert "Suggestions closed on" in client.get(en_url(page)).content.decode()
    assert submit(client, page).status_code == 403
    assert not Suggestion.objects.exists()


def test_page_dates_override_the_consultation(client, resident, consultation):
    today = timezone.localdate()
    page = add_page(
        consultation,
        SuggestionFormPage(title="意见", slug="s", closes=today - timedelta(days=1)),
    )
    assert page.window()["state"] == "closed"
    assert submit(login(client, resident), page).status_code == 403


def test_resident_cannot_go_over_the_limit(client, resident, consultation):
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s", max_per_resident=1))
    login(client, resident)
    assert submit(client, page).status_code == 200
    response = submit(client, page)
    assert response.status_code == 403
    assert "the most allowed" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_unverified_account_cannot_submit(client, tree, form_page):
    user = make_user("unverified@example.com", community=tree.a, verified=False)
    response = submit(login(client, user), form_page)
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_form_limited_to_one_community(client, resident, other_resident, consultation, tree):
    page = add_page(
        consultation, SuggestionFormPage(title="意见", slug="s", restrict_to_community=tree.a)
    )
    assert submit(login(client, other_resident), page).status_code == 403
    assert submit(login(client, resident), page).status_code == 200
    assert Suggestion.objects.get().user == resident


def test_honeypot_catches_robots(client, resident, form_page):
    response = submit(login(client, resident), form_page, website="http://spam.example")
    assert response.status_code == 400
    assert not Suggestion.objects.exists()
    assert not mail.outbox


def test_submissions_are_rate_limited_per_user(client, resident, consultation, settings):
    settings.PORTAL_SUGGESTION_RATE_LIMITS = "2/h/user"
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s", max_per_resident=9))
    login(client, resident)
    assert submit(client, page).status_code == 200
    assert submit(client, page).status_code == 200
    assert submit(client, page).status_code == 429
    assert Suggestion.objects.count() == 2


def test_submissions_are_rate_limited_per_ip(client, resident, other_resident, form_page, settings):
    settings.PORTAL_SUGGESTION_RATE_LIMITS = "1/h/ip"
    assert submit(login(client, resident), form_page).status_code == 200
    assert submit(login(client, other_resident), form_page).status_code == 429


def test_staff_are_notified_through_the_mail_queue(client, resident, consultation):
    page = add_page(
        consultation,
        SuggestionFormPage(title="意见", slug="s", to_address="office@example.com"),
    )
    submit(login(client, resident), page)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["office@example.com", resident.email]


class BrokenMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("the mail server is down")


def test_mail_failure_never_loses_the_suggestion(client, resident, form_page, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailBackend"
    response = submit(login(client, resident), form_page)
    assert response.status_code == 200
    assert Suggestion.objects.filter(user=resident).count() == 1


# --- attachments ---------------------------------------------------------------------------------


def test_photo_attachment_is_stored_privately(
    client, resident, other_resident, editor_a, editor_b, form_page, settings
):
    login(client, resident)
    response = client.post(en_url(form_page), {**suggestion_data(), "attachment": png_upload()})
    assert response.status_code == 200
    suggestion = Suggestion.objects.get()
    assert suggestion.attachment_type == "image/png"
    assert suggestion.attachment_name == "photo.png"
    assert "photo" not in suggestion.attachment.name
    assert suggestion.attachment.path.startswith(str(settings.PORTAL_PRIVATE_MEDIA_ROOT))
    assert not suggestion.attachment.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        suggestion.attachment.url  # noqa: B018 - no public URL exists
    url = reverse("suggestions:attachment", args=[suggestion.pk])
    owner = client.get(url)
    assert owner.status_code == 200
    assert owner["Content-Type"] == "image/png"
    assert "attachment" in owner["Content-Disposition"]
    assert login(client, other_resident).get(url).status_code == 403
    assert login(client, editor_b).get(url).status_code == 403
    assert login(client, editor_a).get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_pdf_attachment_is_accepted(client, resident, form_page):
    pdf = upload("plan.pdf", b"%PDF-1.4\n%EOF\n", "application/pdf")
    response = login(client, resident).post(
        en_url(form_page), {**suggestion_data(), "attachment": pdf}
    )
    assert response.status_code == 200
    assert Suggestion.objects.get().attachment_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("plan.pdf", b"MZ\x90\x00 not a pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 broken jpeg"),
    ],
)
def test_attachment_is_judged_by_content_not_name(client, resident, form_page, name, content):
    response = login(client, resident).post(
        en_url(form_page), {**suggestion_data(), "attachment": upload(name, content, "image/png")}
    )
    assert response.status_code == 400
    assert "Only a photo" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_oversized_attachment_is_refused(client, resident, form_page):
    big = upload("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = login(client, resident).post(
        en_url(form_page), {**suggestion_data(), "attachment": big}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


# --- what the public sees ------------------------------------------------------------------------


def test_only_published_suggestions_are_public(
    client, resident, other_resident, form_page, consultation
):
    make_suggestion(form_page, resident, title="待审的建议")
    make_suggestion(form_page, resident, Suggestion.Status.REJECTED, title="被拒的建议")
    make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, title="公开的建议")
    login(client, other_resident)
    for url in (en_url(form_page), en_url(consultation)):
        html = client.get(url).content.decode()
        assert "公开的建议" in html
        assert "待审的建议" not in html
        assert "被拒的建议" not in html


def test_name_is_shown_only_when_the_resident_chose_so(client, resident, form_page):
    hidden = make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED)
    html = client.get(en_url(form_page)).content.decode()
    assert "A resident" in html
    assert resident.display_name not in html
    hidden.show_name = True
    hidden.save()
    assert resident.display_name in client.get(en_url(form_page)).content.decode()


def test_consultation_page_shows_counts_per_answer(client, resident, form_page, consultation):
    A = Suggestion.Answer
    for answer in [A.ADOPTED, A.ADOPTED, A.PARTLY, A.NOT_ADOPTED, ""]:
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, answer_status=answer)
    make_suggestion(form_page, resident)  # pending: not counted
    html = client.get(en_url(consultation)).content.decode()
    assert "5 suggestions" in html
    assert "Adopted 2" in html
    assert "Partly adopted 1" in html
    assert "Not adopted 1" in html
    assert "Awaiting an answer 1" in html
    assert "Read all 5 suggestions and support them" in html  # the board is on its page


def test_published_suggestions_filter_by_answer_and_paginate(client, resident, form_page):
    for i in range(12):
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, title=f"待答{i:02}")
    make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, "adopted", title="已采纳")
    prefix = f"s{form_page.pk}-"
    adopted = client.get(en_url(form_page), {f"{prefix}answer": "adopted"}).content.decode()
    assert "已采纳" in adopted
    assert "待答" not in adopted
    first = client.get(en_url(form_page)).content.decode()
    second = client.get(en_url(form_page), {f"{prefix}page": 2}).content.decode()
    assert first.count("待答") + second.count("待答") == 12
    assert "Page 2 of 2" in second
    # Unknown filter values are ignored, never a server error.
    assert client.get(en_url(form_page), {f"{prefix}answer": "bogus"}).status_code == 200


def test_page_queries_do_not_grow_with_suggestions(
    client, resident, form_page, django_assert_max_num_queries
):
    for i in range(3):
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, "adopted", title=f"a{i}")
    client.get(en_url(form_page))
    with django_assert_max_num_queries(30) as few:
        client.get(en_url(form_page))
    for i in range(20):
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, "adopted", title=f"b{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(en_url(form_page))


# --- moderation ----------------------------------------------------------------------------------


QUEUE = "/admin/suggestions/"


def test_editor_publishes_from_the_queue(client, resident, editor_a, form_page):
    suggestion = make_suggestion(form_page, resident, title="请修路")
    login(client, editor_a)
    assert "请修路" in client.get(QUEUE).content.decode()
    response = client.post(QUEUE, {"selected": [suggestion.pk], "action": "publish"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PUBLISHED
    assert mail.outbox[-1].to == [resident.email]
    entry = ModelLogEntry.objects.get(action="consultations.suggestions.publish")
    assert entry.user == editor_a
    assert entry.object_id == str(suggestion.pk)


def test_editor_rejects_with_a_reason_the_author_sees(client, resident, editor_a, form_page):
    suggestion = make_suggestion(form_page, resident)
    login(client, editor_a)
    client.post(QUEUE, {"selected": [suggestion.pk], "action": "reject"})
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING  # a reason is required
    client.post(
        QUEUE, {"selected": [suggestion.pk], "action": "reject", "reason": "含有他人电话号码"}
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert "含有他人电话号码" in mail.outbox[-1].body
    assert ModelLogEntry.objects.filter(action="consultations.suggestions.reject").exists()
    html = login(client, resident).get(en_url("suggestions:mine")).content.decode()
    assert "含有他人电话号码" in html


def test_editor_merges_duplicates(client, resident, other_resident, editor_a, form_page):
    target = make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED)
    duplicate = make_suggestion(form_page, other_resident)
    login(client, editor_a)
    client.post(QUEUE, {"selected": [duplicate.pk], "action": "merge", "merge_into": target.pk})
    duplicate.refresh_from_db()
    assert duplicate.status == Suggestion.Status.MERGED
    assert duplicate.merged_into == target
    assert ModelLogEntry.objects.filter(action="consultations.suggestions.merge").exists()


def test_queue_filters(client, resident, editor_a, form_page):
    make_suggestion(form_page, resident, title="水渠意见乙")
    make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, "adopted", title="路灯意见甲")
    login(client, editor_a)
    assert "路灯意见甲" not in client.get(QUEUE).content.decode()  # pending by default
    html = client.get(QUEUE, {"status": "published", "answer": "adopted"}).content.decode()
    assert "路灯意见甲" in html and "水渠意见乙" not in html
    html = client.get(QUEUE, {"status": "all", "page_id": form_page.pk}).content.decode()
    assert "路灯意见甲" in html and "水渠意见乙" in html
    assert client.get(QUEUE, {"page_id": "x", "status": "?", "answer": "<"}).status_code == 200


def test_editor_of_another_community_cannot_moderate(client, resident, editor_b, form_page):
    suggestion = make_suggestion(form_page, resident, title="甲村的建议")
    login(client, editor_b)
    assert "甲村的建议" not in client.get(QUEUE, {"status": "all"}).content.decode()
    response = client.post(QUEUE, {"selected": [suggestion.pk], "action": "publish"})
    assert_admin_refused(response)
    assert_admin_refused(client.get(reverse("suggestions_admin:detail", args=[suggestion.pk])))
    response = client.post(
        reverse("suggestions_admin:detail", args=[suggestion.pk]),
        {"action": "answer", "answer_status": "adopted", "answer": "x"},
    )
    assert_admin_refused(response)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    assert not ModelLogEntry.objects.filter(action__startswith="consultations.suggestions").exists()


def test_township_official_may_moderate_communities_below(client, resident, official, form_page):
    suggestion = make_suggestion(form_page, resident)
    login(client, official)
    client.post(QUEUE, {"selected": [suggestion.pk], "action": "publish"})
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PUBLISHED


def test_resident_cannot_reach_the_queue(client, resident, form_page):
    suggestion = make_suggestion(form_page, resident)
    response = login(client, resident).post(
        QUEUE, {"selected": [suggestion.pk], "action": "publish"}
    )
    assert response.status_code in (302, 403)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


# --- answering -----------------------------------------------------------------------------------


def test_not_adopted_needs_an_explanation(client, resident, editor_a, form_page):
    suggestion = make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED)
    url = reverse("suggestions_admin:detail", args=[suggestion.pk])
    login(client, editor_a)
    response = client.post(url, {"action": "answer", "answer_status": "not_adopted", "answer": ""})
    assert response.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.answer_status == ""


def test_full_flow_resident_sees_the_answer(client, resident, editor_a, form_page, consultation):
    login(client, resident)
    submit(client, form_page, title="增设路灯")
    suggestion = Suggestion.objects.get()
    login(client, editor_a)
    client.post(QUEUE, {"selected": [suggestion.pk], "action": "publish"})
    url = reverse("suggestions_admin:detail", args=[suggestion.pk])
    response = client.post(
        url,
        {"action": "answer", "answer_status": "not_adopted", "answer": "经费不足，明年再议。"},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.answer_status == Suggestion.Answer.NOT_ADOPTED
    assert suggestion.answered_by == editor_a
    assert ModelLogEntry.objects.filter(action="consultations.suggestions.answer").exists()
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3  # received, published, answered
    assert "经费不足" in mail.outbox[-1].body
    login(client, resident)
    for page_url in (en_url(consultation), en_url(form_page), en_url("suggestions:mine")):
        html = client.get(page_url).content.decode()
        assert "增设路灯" in html
        assert "经费不足，明年再议。" in html
        assert "Not adopted" in html


def test_pending_suggestion_cannot_be_answered(resident, editor_a, form_page):
    suggestion = make_suggestion(form_page, resident)
    with pytest.raises(operations.SuggestionRefused) as refused:
        operations.answer_suggestion(suggestion, editor_a, "adopted", "")
    assert isinstance(refused.value, ConsultationError)
    with translation.override("en"):  # the message is lazy: shown in the reader's language
        assert "Only published suggestions" in str(refused.value.message)


def test_every_capability_refuses_with_the_one_error_base():
    from consultations.hearings.operations import HearingError
    from consultations.outcomes.operations import OutcomeError
    from consultations.polls.operations import AlreadyVoted, PollError

    for error in (
        operations.SuggestionRefused,
        HearingError,
        PollError,
        AlreadyVoted,
        OutcomeError,
    ):
        assert issubclass(error, ConsultationError)
    refused = HearingError(translation.gettext_lazy("Registration for this session is closed."))
    with translation.override("en"):
        assert str(refused.message) == "Registration for this session is closed."
    assert refused.code == "hearing_refused"


# --- atomic batches and deletion ---------------------------------------------------------------


def test_a_merge_batch_holding_its_own_target_is_refused_as_a_whole(
    client, resident, other_resident, editor_a, form_page
):
    first = make_suggestion(form_page, resident)
    target = make_suggestion(form_page, other_resident, Suggestion.Status.PUBLISHED)
    last = make_suggestion(form_page, other_resident)
    mail.outbox.clear()
    login(client, editor_a)
    response = client.post(
        en(QUEUE),
        {"selected": [first.pk, target.pk, last.pk], "action": "merge", "merge_into": target.pk},
        follow=True,
    )
    assert f"Suggestion no. {target.pk} is the one to merge into" in response.content.decode()
    for suggestion in (first, target, last):
        suggestion.refresh_from_db()
    assert first.status == last.status == Suggestion.Status.PENDING
    assert target.status == Suggestion.Status.PUBLISHED
    assert first.merged_into is None
    assert not ModelLogEntry.objects.filter(action="consultations.suggestions.merge").exists()
    assert mail.outbox == []


def test_a_batch_is_one_transaction(resident, other_resident, editor_a, form_page, monkeypatch):
    first = make_suggestion(form_page, resident)
    second = make_suggestion(form_page, other_resident)
    calls = []
    publish = operations.publish_suggestion

    def publish_then_fail(suggestion, user):
        calls.append(suggestion.pk)
        if len(calls) == 2:
            raise operations.SuggestionRefused("stop")
        return publish(suggestion, user)

    monkeypatch.setattr(operations, "publish_suggestion", publish_then_fail)
    with pytest.raises(operations.SuggestionRefused):
        operations.moderate_suggestions("publish", [first, second], editor_a)
    first.refresh_from_db()
    assert first.status == Suggestion.Status.PENDING  # the first publication was rolled back
    assert not ModelLogEntry.objects.filter(action="consultations.suggestions.publish").exists()


def test_deleting_in_wagtails_submissions_view_logs_and_removes_the_attachment(
    client, resident, editor_a, form_page, django_capture_on_commit_callbacks
):
    login(client, resident)
    client.post(en_url(form_page), {**suggestion_data(), "attachment": png_upload()})
    suggestion = Suggestion.objects.get()
    path = suggestion.attachment.path
    assert os.path.exists(path)
    login(client, editor_a)
    url = reverse("wagtailforms:delete_submissions", args=[form_page.pk])
    query = f"?selected-submissions={suggestion.pk}"
    assert client.get(url + query).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query)
    assert response.status_code == 302
    assert not Suggestion.objects.exists()
    assert not os.path.exists(path)
    entry = ModelLogEntry.objects.get(action="consultations.suggestions.delete")
    assert entry.user == editor_a
    assert entry.object_id == str(suggestion.pk)


def test_delete_operation_logs_who_deleted(resident, editor_a, form_page):
    suggestion = make_suggestion(form_page, resident)
    operations.delete_suggestion(suggestion, editor_a)
    assert not Suggestion.objects.exists()
    entry = ModelLogEntry.objects.get(action="consultations.suggestions.delete")
    assert entry.user == editor_a


# --- my suggestions ------------------------------------------------------------------------------


def test_my_suggestions_needs_sign_in(client):
    response = client.get(en_url("suggestions:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_suggestions_lists_only_mine_with_status(client, resident, other_resident, form_page):
    make_suggestion(form_page, resident, title="我的建议")
    make_suggestion(form_page, other_resident, title="别人的建议")
    html = login(client, resident).get(en_url("suggestions:mine")).content.decode()
    assert "我的建议" in html
    assert "Awaiting moderation" in html
    assert "别人的建议" not in html


# --- exports -------------------------------------------------------------------------------------


def export_url(page, fmt="csv"):
    return reverse("suggestions_admin:export", args=[page.pk, fmt])


def test_export_needs_permission(client, resident, editor_a, editor_b, form_page):
    make_suggestion(form_page, resident)
    assert_admin_refused(login(client, editor_b).get(export_url(form_page)))
    assert login(client, resident).get(export_url(form_page)).status_code in (302, 403)
    client.logout()
    assert client.get(export_url(form_page)).status_code == 302
    response = login(client, editor_a).get(export_url(form_page, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(export_url(form_page, "exe")).status_code == 400


def test_export_neutralises_formulas(client, resident, editor_a, form_page):
    suggestion = make_suggestion(
        form_page,
        resident,
        Suggestion.Status.PUBLISHED,
        title='=HYPERLINK("http://evil.example","x")',
        opinion="+1+1",
        topic_part="@SUM(A1)",
    )
    operations.answer_suggestion(suggestion, editor_a, "adopted", "-2+3")
    content = login(client, editor_a).get(export_url(form_page)).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content
    assert "'+1+1" in content
    assert "'@SUM(A1)" in content
    assert "'-2+3" in content
    assert "Adopted" in content or "采纳" in content


def test_wagtail_forms_export_is_formula_safe_too(client, resident, editor_a, form_page):
    make_suggestion(form_page, resident, title="=1+2")
    url = reverse("wagtailforms:list_submissions", args=[form_page.pk])
    response = login(client, editor_a).get(url, {"export": "csv"})
    assert response.status_code == 200
    assert "'=1+2" in response.content.decode("utf-8-sig")


# --- escaping ------------------------------------------------------------------------------------


def test_xss_payloads_come_back_escaped(client, resident, editor_a, form_page, consultation):
    resident.display_name = XSS
    resident.save()
    login(client, resident)
    submit(client, form_page, title=XSS, opinion=XSS, topic_part=XSS, show_name="on")
    suggestion = Suggestion.objects.get()
    operations.publish_suggestion(suggestion, editor_a)
    operations.answer_suggestion(suggestion, editor_a, "not_adopted", XSS)
    urls = [
        en_url(form_page),
        en_url(consultation),
        en_url("suggestions:mine"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url
    login(client, editor_a)
    for url in (QUEUE + "?status=all", reverse("suggestions_admin:detail", args=[suggestion.pk])):
        html = client.get(url).content.decode()
        assert '<script>alert("x")' not in html, url
        assert "onerror=alert(1)>" not in html, url


# --- contracts and concurrency -------------------------------------------------------------------


def test_participant_user_ids(resident, other_resident, form_page, consultation):
    make_suggestion(form_page, resident)
    make_suggestion(form_page, resident)
    make_suggestion(form_page, other_resident, Suggestion.Status.REJECTED)
    assert operations.participant_user_ids(consultation) == {resident.pk, other_resident.pk}


def test_login_then_submit_over_http(client, resident, form_page):
    assert client.login(email=resident.email, password=PASSWORD)
    assert submit(client, form_page).status_code == 200


@requires_postgres()
@pytest.mark.django_db(transaction=True)
def test_double_submit_token_holds_under_concurrent_posts(tree):
    from django.test import Client

    resident = make_user("racer@example.com", community=tree.a)
    consultation = make_consultation(tree.a, slug="race")
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s", max_per_resident=9))
    data = suggestion_data()
    barrier = threading.Barrier(4)
    statuses = []

    def post():
        try:
            client = Client()
            client.force_login(resident)
            barrier.wait()
            statuses.append(client.post(en_url(page), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200, 200]
    assert Suggestion.objects.filter(page=page).count() == 1


@requires_postgres()
@pytest.mark.django_db(transaction=True)
def test_unique_token_constraint_is_enforced_by_the_database(tree):
    from django.db import IntegrityError, transaction

    resident = make_user("racer2@example.com", community=tree.a)
    consultation = make_consultation(tree.a, slug="race2")
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s"))
    Suggestion.objects.create(page=page, user=resident, token="same-token", form_data={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(page=page, user=resident, token="same-token", form_data={})
    assert connection.vendor == "postgresql"


# --- the admin page editor ------------------------------------------------------------------------


def test_editor_creates_a_suggestion_form_in_the_admin(client, editor_a, consultation):
    login(client, editor_a)
    add_url = reverse(
        "wagtailadmin_pages:add",
        args=["consultations", "suggestionformpage", consultation.pk],
    )
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "title": "村道意见征集",
            "slug": "road-suggestions",
            "max_per_resident": "3",
            "allow_attachments": "on",
            "form_fields-TOTAL_FORMS": "0",
            "form_fields-INITIAL_FORMS": "0",
            "form_fields-MIN_NUM_FORMS": "0",
            "form_fields-MAX_NUM_FORMS": "1000",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = SuggestionFormPage.objects.get(slug="road-suggestions")
    assert list(page.form_fields.values_list("clean_name", flat=True)) == [
        "title",
        "opinion",
        "topic_part",
    ]
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit_url).status_code == 200


def test_dashboard_tells_editors_what_waits(client, resident, editor_a, editor_b, form_page):
    make_suggestion(form_page, resident)
    make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED)
    html = login(client, editor_a).get(en_url("/admin/")).content.decode()
    assert "1 suggestion awaits moderation" in html
    assert "1 published suggestion awaits an answer" in html
    html = login(client, editor_b).get(en_url("/admin/")).content.decode()
    assert "awaits moderation" not in html


def test_mail_goes_out_in_the_residents_language_with_its_links(
    client, resident, other_resident, editor_a, form_page
):
    # A resident without a preference gets the site language, even from an English page.
    login(client, resident)
    submit(client, form_page)
    assert "/my/suggestions/" in mail.outbox[-1].body
    assert "/en/" not in mail.outbox[-1].body
    # A resident who chose English gets English, from the Chinese page and for decisions.
    other_resident.preferred_language = "en"
    other_resident.save()
    login(client, other_resident)
    with translation.override(settings.LANGUAGE_CODE):
        client.post(form_page.url, suggestion_data())
    assert mail.outbox[-1].to == [other_resident.email]
    assert "/en/my/suggestions/" in mail.outbox[-1].body
    suggestion = Suggestion.objects.get(user=other_resident)
    login(client, editor_a).post(QUEUE, {"selected": [suggestion.pk], "action": "publish"})
    assert mail.outbox[-1].to == [other_resident.email]
    assert "/en/my/suggestions/" in mail.outbox[-1].body


def test_consultation_page_queries_do_not_grow_with_suggestions(
    client, resident, form_page, consultation, django_assert_max_num_queries
):
    for i in range(3):
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, "adopted", title=f"a{i}")
    client.get(en_url(consultation))
    with django_assert_max_num_queries(60) as few:
        client.get(en_url(consultation))
    for i in range(20):
        make_suggestion(form_page, resident, Suggestion.Status.PUBLISHED, title=f"b{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(en_url(consultation))
