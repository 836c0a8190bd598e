"""Demo: public hearings on the demo consultations whose format is a hearing.

Three situations a visitor can try in the browser: a hearing open with seats left, one
that is full with a waitlist (cancel as a confirmed resident and watch the first
waiting person move up), and one that took place, with attendance figures and minutes.
Idempotent: a consultation that already has a hearing page keeps it.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from consultations.hearings import operations
from consultations.hearings.models import (
    HearingFormField,
    HearingPage,
    HearingSession,
    Registration,
)
from consultations.models import Category, CommunityPage, ConsultationPage, Format

HEARING_SLUG = "hearing"


def minimal_pdf(lines):
    """A small valid one-page PDF with `lines` of ASCII text (no font files needed)."""
    text = (
        "BT /F1 14 Tf 72 760 Td 18 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("ascii") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _hearing_consultations():
    """Demo consultations held as hearings: (past, full, open), created if missing."""
    candidates = list(
        ConsultationPage.objects.live().filter(format__slug="hearing").order_by("path")
    )
    today = timezone.localdate()
    past = next((c for c in candidates if c.meeting_at and c.meeting_at.date() < today), None)
    upcoming = [c for c in candidates if c is not past]
    while len(upcoming) < 2:
        upcoming.append(_own_consultation(len(upcoming)))
    if past is None:
        past = _own_consultation(2, past=True)
    return past, upcoming[1], upcoming[0]


def _own_consultation(index, past=False):
    """A consultation of our own under 白沙村, for when the consultations demo has none."""
    parent = CommunityPage.objects.filter(slug="baisha").first()
    slug = f"hearing-demo-{index}"
    existing = ConsultationPage.objects.filter(slug=slug).first()
    if existing or parent is None:
        return existing
    today = timezone.localdate()
    shift = -40 if past else 0
    page = ConsultationPage(
        title=["白沙村自来水管网改造", "白沙村集体经营性建设用地入市", "白沙村老旧桥梁重建"][index],
        slug=slug,
        summary="拟召开民主听证会，听取村民、专家和相关单位的意见。",
        organiser="白沙村村民委员会",
        category=Category.objects.order_by("sort_order").first(),
        format=Format.objects.filter(slug="hearing").first() or Format.objects.first(),
        notice_date=today + timedelta(days=shift - 5),
        input_opens=today + timedelta(days=shift - 4),
        input_closes=today + timedelta(days=shift + 20),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _make_hearing(consultation, title, sessions, **fields):
    page = HearingPage.objects.child_of(consultation).first()
    if page:
        return page, False
    page = HearingPage(
        title=title,
        slug=HEARING_SLUG,
        description=(
            "<p>按照城乡社区协商的规定，涉及群众切身利益、影响面广的事项召开民主听证会。"
            "利益相关方、专家和无利害关系的居民均可报名参加，报名时可申请发言。</p>"
        ),
        agenda=(
            "<ol><li>组织方介绍方案</li><li>专家说明技术问题</li>"
            "<li>报名发言人依次发言（每人5分钟）</li><li>自由讨论</li><li>形成听证意见</li></ol>"
        ),
        sessions=[HearingSession(**s) for s in sessions],
        **fields,
    )
    consultation.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _session(day, seats, place, address, **extra):
    return {
        "starts_at": _at(day, 9),
        "ends_at": _at(day, 11),
        "place": place,
        "address": address,
        "seats": seats,
        "registration_deadline": _at(day - timedelta(days=1), 18),
        "accessibility_notes": "一楼会场，设无障碍通道；为老年人预留前排座位。",
        **extra,
    }


def _residents():
    User = get_user_model()
    return [
        user
        for email in ("resident1@example.com", "resident2@example.com", "resident3@example.com")
        if (user := User.objects.filter(email=email).first())
    ]


def load(stdout):
    past, full, open_ = _hearing_consultations()
    today = timezone.localdate()
    people = _residents()

    # 1. Open, with seats left.
    if open_:
        day = open_.meeting_at.date() if open_.meeting_at else today + timedelta(days=12)
        day = max(day, today + timedelta(days=7))
        page, created = _make_hearing(
            open_,
            f"{open_.title}（民主听证会）",
            [
                _session(day, 30, "镇政府三楼大会议室", "柳溪镇人民路8号", quota_expert=3),
                _session(day + timedelta(days=1), 20, "青石村党群服务中心", "青石村村委会旁"),
            ],
        )
        if created and page.form_fields.count() == 0:
            HearingFormField.objects.create(
                page=page, label="所在村民小组", field_type="singleline", required=False
            )
        if people:
            operations.register_for_session(
                page.sessions.order_by("starts_at").first(),
                people[0],
                category="affected",
                phone="13800000001",
                wishes_to_speak=True,
                speech_summary="希望道路线形避开基本农田。",
            )

    # 2. Full, with a waitlist: two seats, three residents.
    if full:
        day = full.meeting_at.date() if full.meeting_at else today + timedelta(days=12)
        day = max(day, today + timedelta(days=7))
        page, _created = _make_hearing(
            full,
            f"{full.title}（民主听证会）",
            [_session(day, 2, "社区活动中心", "锦绣花园小区12栋底层")],
        )
        session = page.sessions.order_by("starts_at").first()
        for number, user in enumerate(people, start=1):
            operations.register_for_session(
                session, user, category="affected", phone=f"1380000000{number}"
            )

    # 3. Past: attendance recorded and minutes published.
    if past:
        day = past.meeting_at.date() if past.meeting_at else today - timedelta(days=20)
        minutes = Document.objects.filter(title="听证会会议纪要（示例）").first()
        if minutes is None:
            minutes = Document(title="听证会会议纪要（示例）")
            minutes.file.save(
                "hearing-minutes-demo.pdf",
                ContentFile(
                    minimal_pdf(
                        [
                            "Public hearing - minutes (demo)",
                            f"Date: {day.isoformat()}",
                            "Registered: 3, attended: 2, speakers: 2",
                            "Opinion of the hearing: see the outcome announcement.",
                        ]
                    )
                ),
                save=True,
            )
        page, _created = _make_hearing(
            past,
            f"{past.title}（民主听证会）",
            [_session(day, 40, "白沙村文化礼堂", "白沙村中心路1号")],
            minutes=minutes,
            attendance_published=True,
        )
        session = page.sessions.order_by("starts_at").first()
        for number, user in enumerate(people, start=1):
            if Registration.objects.filter(session=session, user=user).exists():
                continue
            Registration.objects.create(
                session=session,
                user=user,
                category="affected",
                phone="",
                wishes_to_speak=number <= 2,
                status=Registration.Status.CONFIRMED,
                code=operations.new_registration_code(),
                created_at=session.registration_deadline - timedelta(days=3),
                confirmed_at=session.registration_deadline - timedelta(days=3),
                checked_in_at=session.starts_at - timedelta(minutes=10) if number <= 2 else None,
                speaker_order=number if number <= 2 else None,
            )
    stdout.write("Hearings: open with seats, full with a waitlist, past with minutes.\n")
    return []
