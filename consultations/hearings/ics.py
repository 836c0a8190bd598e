"""iCalendar (RFC 5545) files for hearing sessions, written by hand: no dependency.

Residents add the session to their phone's calendar from the confirmation mail or page.
RFC 5545 asks for CRLF line endings, lines folded at 75 octets, and escaped text values.
"""

from datetime import UTC

from django.utils import timezone

from home.links import base_host

PRODID = "-//Community consultation portal//Hearings//ZH"


def escape_text(value):
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line):
    """Fold a content line into chunks of at most 75 octets (RFC 5545 §3.1).

    Continuation lines start with one space, which counts towards their 75 octets;
    a multi-byte UTF-8 character is never split.
    """
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
            limit = 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def format_utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_calendar(session, registration=None, url=""):
    """The text of an .ics file with one VEVENT for `session`."""
    page = session.page
    uid_key = registration.code if registration else f"session-{session.pk}"
    host = base_host()
    description = [page.title]
    if registration:
        description.append(f"{registration.code}")
    if session.accessibility_notes:
        description.append(session.accessibility_notes)
    if url:
        description.append(url)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:hearing-{session.pk}-{uid_key}@{host}",
        f"DTSTAMP:{format_utc(timezone.now())}",
        f"DTSTART:{format_utc(session.starts_at)}",
        f"DTEND:{format_utc(session.ends_at)}",
        f"SUMMARY:{escape_text(page.title)}",
        f"LOCATION:{escape_text(', '.join(p for p in session.location if p))}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold_line(line) + "\r\n" for line in lines)


def calendar_filename(session):
    return f"hearing-{session.pk}.ics"
