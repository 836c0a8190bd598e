"""A hearing's registrants and the attendance of the sessions as spreadsheets
(consultations/exports.py)."""

from django.utils.translation import gettext_lazy as _

from consultations.exports import Sheet


def _name(registration):
    if registration.roster_person_id:
        return registration.roster_person.full_name
    return registration.user.get_full_name() if registration.user else ""


def _extra(registration):
    return "; ".join(
        f"{answer.get('label', key)}: {answer.get('value', '')}"
        for key, answer in (registration.extra_answers or {}).items()
        if isinstance(answer, dict)
    )


def registrants_sheet(registrations):
    """The registrants of a session as the list shows them (its filters applied)."""
    columns = [
        ("code", _("Registration code")),
        ("status", _("Status")),
        ("category", _("Taking part as")),
        ("name", _("Name")),
        ("email", _("Email")),
        ("phone", _("Phone")),
        ("wishes_to_speak", _("Wishes to speak")),
        ("speech_summary", _("Speech summary")),
        ("speaker_order", _("Speaking order")),
        ("speaking_at", _("Speaking at")),
        ("registered_at", _("Registered at")),
        ("checked_in_at", _("Checked in")),
        ("assisted", _("Registered at the office")),
        ("extra_answers", _("Other answers")),
    ]
    rows = (
        {
            "code": r.code,
            "status": r.get_status_display(),
            "category": r.get_category_display(),
            "name": _name(r),
            "email": r.user.email if r.user else "",
            "phone": r.phone,
            "wishes_to_speak": r.wishes_to_speak,
            "speech_summary": r.speech_summary,
            "speaker_order": r.speaker_order,
            "speaking_at": r.speaking_at.strftime("%H:%M") if r.speaking_at else "",
            "registered_at": r.created_at,
            "checked_in_at": r.checked_in_at,
            "assisted": r.assisted_by_id is not None,
            "extra_answers": _extra(r),
        }
        for r in registrations
    )
    return Sheet(_("Registrants"), columns, rows)


def attendance_sheet(rows):
    """Each session of the hearings listed, with its seats, registrations and attendance."""
    columns = [
        ("hearing", _("Public hearing")),
        ("starts_at", _("Session")),
        ("place", _("Place")),
        ("seats", _("Seats")),
        ("confirmed", _("Confirmed")),
        ("waitlisted", _("Waitlist")),
        ("attended", _("Attended")),
    ]
    items = (
        {
            "hearing": row["page"].title,
            "starts_at": session.starts_at,
            "place": session.place,
            "seats": session.seats,
            "confirmed": session.confirmed_count,
            "waitlisted": session.waitlisted_count,
            "attended": session.attended_count,
        }
        for row in rows
        for session in row["sessions"]
    )
    return Sheet(_("Attendance"), columns, items)
