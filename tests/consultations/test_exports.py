"""Staff exports read as the clerk's language: translated headers, 是/否, labels, local dates."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from consultations.models import SuggestionFormPage
from consultations.suggestions import operations
from consultations.suggestions.models import Suggestion
from tests.conftest import add_page

pytestmark = pytest.mark.django_db


def export(client, user, page, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get(reverse("suggestions_admin:export", args=[page.pk, "csv"]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def answered(consultation, editor_a, resident):
    page = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    suggestion = Suggestion.objects.create(
        page=page,
        user=resident,
        token="t" * 32,
        form_data={"title": "路灯", "opinion": "请加装路灯", "topic_part": ""},
        status=Suggestion.Status.PUBLISHED,
        show_name=True,
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(
        submit_time=timezone.make_aware(datetime(2026, 12, 14, 9, 0))
    )
    operations.answer_suggestion(suggestion, editor_a, "adopted", "已列入明年计划")
    return page


def test_export_in_chinese(client, editor_a, answered):
    header, row = export(client, editor_a, answered, "zh-hans")[:2]
    assert header[:5] == ["编号", "提交时间", "提交人", "邮箱", "是否公开姓名"]
    values = dict(zip(header, row, strict=True))
    assert values["提交时间"] == "2026年12月14日 09:00"
    assert values["是否公开姓名"] == "是"
    assert values["状态"] == "已公开"
    assert values["答复"] == "采纳"
    assert "True" not in row and "False" not in row
    assert not any(cell.isascii() and cell.isalpha() for cell in header)


def test_export_in_english(client, editor_a, answered):
    header, row = export(client, editor_a, answered, "en")[:2]
    values = dict(zip(header, row, strict=True))
    assert header[:3] == ["Number", "Submitted", "Author"]
    assert values["Submitted"] == "14 December 2026, 09:00"
    assert values["Name shown"] == "Yes"
    assert values["Status"] == "Published"
    assert values["Answer"] == "Adopted"
