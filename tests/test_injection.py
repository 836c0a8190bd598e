"""XSS and formula injection are kept out (issue 17).

Payloads go in through the fields residents fill in (suggestion title, text and topic,
display name, hearing registration, the answer shown back to them) and the texts staff
write that residents read (consultation title and summary, decision items). They must
come out escaped in public pages, admin listings, feeds, the API and mails, and no
exported spreadsheet cell may start a formula (= + - @).
"""

import csv
import io
import json
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from consultations.hearings.models import Registration
from consultations.suggestions import operations as suggestion_operations
from consultations.suggestions.models import Suggestion
from tests.conftest import PASSWORD, make_user
from tests.portal.hostile import build_portal

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(1)"]

# One payload per field, each starting with a formula and carrying markup.
TITLE = f'=HYPERLINK("http://x"){SCRIPT}'
OPINION = f"+1{IMG} {JS_URL}"
TOPIC = f"-1{SCRIPT}"
NAME = f"@SUM(1){IMG}"
SPEECH = f"=1+1{SCRIPT}{IMG}"
ANSWER = f'-1 <a href="{JS_URL}">x</a>{SCRIPT}'
STAFF_TEXT = f"@SUM(1){SCRIPT}{IMG}"

FORMULA_START = ("=", "+", "-", "@")


def assert_escaped(content, where):
    text = content.decode() if isinstance(content, bytes) else content
    assert "<script>alert(1)" not in text, where
    assert "<img src=x onerror" not in text, where
    assert 'href="javascript:' not in text.lower(), where
    assert "href='javascript:" not in text.lower(), where


def assert_no_formula_cells(response, where):
    content_type = response["Content-Type"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        rows = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert len(rows) >= 2, where  # a header and at least one record
    offending = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert not offending, (where, offending)
    return cells


# One portal full of payloads serves several checks: building it is the slow part.


def test_payloads_render_escaped_in_public_pages_and_admin_listings(injected, tree):
    check_public_pages(injected, tree)
    check_admin_listings(injected, tree)


def test_exports_feeds_the_api_and_mails_keep_payloads_inert(injected, tree):
    check_exports(injected, tree)
    check_feeds(injected, tree)
    check_api(injected, tree)
    check_mails(injected, tree)
    check_mail_headers(injected, tree)


@pytest.fixture
def injected(tree, superuser):
    """Payloads pushed through the residents' own forms, then published and answered."""
    portal = build_portal(tree)
    consultation = portal["consultation"]
    consultation.title = f"村道{STAFF_TEXT}"
    consultation.search_description = STAFF_TEXT
    consultation.save_revision().publish()
    item = portal["outcome"].decision_items.first()
    item.decision = STAFF_TEXT
    item.save()

    resident = make_user(f"inject-{uuid.uuid4().hex[:6]}@example.com", community=tree.a)
    resident.display_name = NAME
    resident.save()
    client = Client()
    assert client.login(email=resident.email, password=PASSWORD)
    mail.outbox.clear()

    response = client.post(
        portal["form"].url,
        {"title": TITLE, "opinion": OPINION, "topic_part": TOPIC, "token": uuid.uuid4().hex},
    )
    assert response.status_code == 200, response.status_code
    suggestion = Suggestion.objects.get(user=resident)
    suggestion_operations.publish_suggestion(suggestion, superuser)
    suggestion.refresh_from_db()
    suggestion_operations.answer_suggestion(
        suggestion, superuser, Suggestion.Answer.ADOPTED, ANSWER
    )

    session = portal["session"]
    response = client.post(
        portal["hearing"].url + "register/",
        {
            "session": session.pk,
            "category": "affected",
            "phone": "13800138000",
            "wishes_to_speak": "on",
            "speech_summary": SPEECH,
        },
    )
    assert response.status_code == 302, response.status_code
    registration = Registration.objects.get(user=resident)
    assert registration.speech_summary == SPEECH

    staff = Client()
    assert staff.login(email=superuser.email, password=PASSWORD)
    return {
        **portal,
        "resident": client,
        "staff": staff,
        "suggestion": suggestion,
        "registration": registration,
    }


def check_public_pages(injected, tree):
    client = injected["resident"]
    anonymous = Client()
    pages = [
        (anonymous, injected["form"].url),
        (anonymous, injected["consultation"].url),
        (anonymous, tree.a.url),
        (anonymous, injected["index"].url),
        (anonymous, injected["outcome"].url),
        (anonymous, "/implementation/"),
        (anonymous, "/search/?q=村道"),
        (anonymous, "/"),
        (client, "/my/"),
        (client, "/my/suggestions/"),
        (client, "/my/registrations/"),
        (client, f"/hearings/registrations/{injected['registration'].code}/"),
        (client, "/accounts/profile/"),
        (client, "/notifications/"),
    ]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content, url)
    # The payloads were shown, as text.
    board = anonymous.get(injected["form"].url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in board


def check_admin_listings(injected, tree):
    staff = injected["staff"]
    suggestion = injected["suggestion"]
    for url in [
        reverse("suggestions_admin:queue") + "?status=published",
        reverse("suggestions_admin:detail", args=[suggestion.pk]),
        reverse("hearings_admin:index"),
        reverse("hearings_admin:registrants", args=[injected["session"].pk]),
        reverse("wagtailforms:list_submissions", args=[injected["form"].pk]),
        reverse("wagtailadmin_explore", args=[injected["consultation"].pk]),
        reverse("wagtailusers_users:index"),
        "/admin/",
    ]:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content, url)


def check_exports(injected, tree):
    staff = injected["staff"]
    form, session = injected["form"], injected["session"]
    exports = [
        reverse("suggestions_admin:export", args=[form.pk, "csv"]),
        reverse("suggestions_admin:export", args=[form.pk, "xlsx"]),
        reverse("hearings_admin:registrants", args=[session.pk]) + "?export=csv",
        reverse("hearings_admin:registrants", args=[session.pk]) + "?export=xlsx",
        reverse("wagtailforms:list_submissions", args=[form.pk]) + "?export=csv",
        reverse("wagtailforms:list_submissions", args=[form.pk]) + "?export=xlsx",
    ]
    for url in exports:
        response = staff.get(url)
        assert response.status_code == 200, url
        cells = assert_no_formula_cells(response, url)
        # The payload is there, neutralised, not dropped.
        assert any(SCRIPT in cell for cell in cells), url


def check_feeds(injected, tree):
    anonymous = Client()
    for url in [
        "/feeds/consultations/rss/",
        "/feeds/consultations/atom/",
        f"/feeds/consultations/{tree.a.pk}/rss/",
        "/feeds/outcomes/rss/",
        "/feeds/outcomes/atom/",
        tree.a.url + "record/feed/",
    ]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        # XML escapes markup once; a feed reader shows it as text. An unescaped tag
        # would be markup the reader renders.
        assert_escaped(response.content, url)


def check_api(injected, tree):
    anonymous = Client()
    for url in [
        "/api/v2/pages/?type=consultations.ConsultationPage&fields=*",
        f"/api/v2/pages/{injected['consultation'].pk}/",
        f"/api/v2/pages/{injected['outcome'].pk}/",
        f"/api/v2/pages/{injected['form'].pk}/",
        "/api/v2/ledger/?fields=*",
        tree.a.url + "record/json/",
    ]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        data = json.loads(response.content)

        def strings(value):
            if isinstance(value, dict):
                for item in value.values():
                    yield from strings(item)
            elif isinstance(value, list):
                for item in value:
                    yield from strings(item)
            elif isinstance(value, str):
                yield value

        for text in strings(data):
            if text.lstrip().startswith("<"):  # an HTML field: rendered markup
                assert_escaped(text, url)
    consultation = anonymous.get(f"/api/v2/pages/{injected['consultation'].pk}/").json()
    assert STAFF_TEXT in consultation["title"]  # plain data, as given


def check_mails(injected, tree):
    # The submission confirmation, the answer and the registration mails. Subjects and
    # plain-text bodies are text (a mail program shows "<script>" as it is); an HTML
    # part must escape it.
    assert len(mail.outbox) >= 2
    assert any(SCRIPT in message.subject + message.body for message in mail.outbox)
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_escaped(content, message.subject)


def check_mail_headers(injected, tree):
    client = injected["resident"]
    mail.outbox.clear()
    response = client.post(
        injected["form"].url,
        {
            "title": "路灯\r\nBcc: victim@example.com",
            "opinion": "村口太暗",
            "topic_part": "",
            "token": uuid.uuid4().hex,
        },
    )
    assert response.status_code < 500
    for message in mail.outbox:
        assert "victim@example.com" not in message.bcc
        assert "\n" not in message.subject
