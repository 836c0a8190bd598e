"""Helpers for the hearing tests: a hearing page with sessions, and registration."""

from datetime import timedelta

from django.utils import timezone

from consultations.hearings.models import HearingPage, HearingSession
from tests.conftest import add_page


def session_fields(days=10, seats=10, **overrides):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    fields = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "村委会议室",
        "address": "甲村村委会二楼",
        "seats": seats,
        "registration_deadline": start - timedelta(days=1),
        "accessibility_notes": "一楼有无障碍通道",
    }
    fields.update(overrides)
    return fields


def make_hearing(consultation, slug="hearing", sessions=None, **fields):
    sessions = sessions if sessions is not None else [session_fields()]
    page = HearingPage(
        title=fields.pop("title", "村道硬化工程听证会"),
        slug=slug,
        description="<p>听取村民对道路硬化方案的意见。</p>",
        agenda="<ol><li>方案介绍</li><li>村民发言</li></ol>",
        sessions=[HearingSession(**s) for s in sessions],
        **fields,
    )
    return add_page(consultation, page)


def register(session, user, category="affected", **kwargs):
    from consultations.hearings.operations import register_for_session

    kwargs.setdefault("phone", "13800138000")
    registration, _created = register_for_session(session, user, category=category, **kwargs)
    return registration
