"""The atomic operations of public hearings, one function each (docs/architecture.md).

Views, the admin, management commands and the demo all call these. The capacity rule —
a session never confirms more people than it has seats, nor a category more than its
quota — holds under concurrency because every operation that changes who holds a seat
first locks the session row (`select_for_update`) inside one transaction, then counts
and writes. On PostgreSQL that lock serialises concurrent registrations; on SQLite the
lock is a no-op, but the settings open every transaction with BEGIN IMMEDIATE, so
writers are serialised by the database itself.
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from consultations.codes import new_code, normalise_code
from consultations.errors import ConsultationError
from consultations.hearings.ics import calendar_filename, session_calendar
from consultations.hearings.models import HearingPage, HearingSession, Registration
from consultations.permissions import is_resident_of, visible_page_q
from consultations.roster.models import PersonStatus, RosterLink, RosterPerson
from home.mail import send_templated_mail
from home.page_cache import forget, remembered

# Codes are read aloud and typed by older residents at the door (consultations.codes).
CODE_LENGTH = 8

Status = Registration.Status


class HearingError(ConsultationError):
    """A rule of the hearing refused the operation; `message` is shown to the person."""

    code = "hearing_refused"
    status = 409


def new_registration_code():
    return new_code(CODE_LENGTH)


def _lock_session(session):
    # Only the session row: locking the page row too would block editors for nothing.
    return (
        HearingSession.objects.select_for_update(of=("self",))
        .select_related("page")
        .get(pk=session.pk)
    )


def _confirmed_counts(session):
    """(total confirmed, {category: confirmed}) for a locked session."""
    rows = (
        Registration.objects.filter(session=session, status=Status.CONFIRMED)
        .values("category")
        .annotate(n=Count("pk"))
    )
    per_category = {row["category"]: row["n"] for row in rows}
    return sum(per_category.values()), per_category


def _has_room(session, category, counts):
    total, per_category = counts
    if total >= session.seats:
        return False
    quota = session.quota_for(category)
    return quota is None or per_category.get(category, 0) < quota


def _mail_registration(registration, template, request_url=""):
    """Queue a mail about `registration` to its resident, with the .ics when confirmed."""
    user = registration.user
    if not user or not user.email:
        return
    session = registration.session
    attachments = []
    if registration.status == Status.CONFIRMED:
        attachments.append(
            (
                calendar_filename(session),
                session_calendar(session, registration, url=request_url),
                "text/calendar",
            )
        )

    def context(language):
        # Called once per mail language (home.mail), so the link is in the reader's.
        registration_url = ""
        if request_url and registration.status != Status.CANCELLED:
            origin = urlsplit(request_url)
            registration_url = f"{origin.scheme}://{origin.netloc}" + reverse(
                "hearings:registration", args=[registration.code]
            )
        return {
            "registration": registration,
            "session": session,
            "page": session.page,
            "user": user,
            "url": request_url,
            "registration_url": registration_url,
        }

    send_templated_mail(
        f"consultations/hearings/mail/{template}",
        context,
        [user.email],
        # The resident's own language, known already (no lookup by address).
        language=user.preferred_language or settings.LANGUAGE_CODE,
        attachments=attachments,
    )


def _active_registration(session, user, roster_person=None):
    """The person's registration for the session that is not cancelled, if any: by their
    account, or by their roster entry whichever way they registered."""
    who = Q(pk__in=[])
    if user is not None:
        who |= Q(user=user)
    if roster_person is not None:
        who |= Q(roster_person=roster_person)
    return (
        Registration.objects.filter(session=session)
        .filter(who)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def _linked_person(user):
    """The living roster entry an account is linked to, if any."""
    if user is None or not user.is_authenticated:
        return None
    link = (
        RosterLink.objects.filter(user=user, person__status=PersonStatus.LIVING)
        .select_related("person")
        .first()
    )
    return link.person if link else None


def registration_refusal(page, user, *, roster_person=None, assisted=False):
    """Why `user` (online) or `roster_person` (at the office) may not register for a session
    of `page`, as a HearingError, or None.

    Where the consultation covers communities that keep a roster, only their residents
    register (`is_resident_of`: an account linked to a living entry of the roster); at the
    office the person's own roster entry must be living in a covered community. Where none
    of the covered communities keeps a roster, any signed-in person registers, as before.
    """

    def scope():
        consultation = page.consultation
        if consultation is None:
            return set()
        return set(consultation.scope_communities().values_list("pk", flat=True))

    # They change only when a page is published or moved (home/page_cache.py). Whether
    # they keep a roster is asked every time: an import does not publish a page.
    covered = remembered(f"hearing-scope:{page.pk}", scope)
    if assisted:
        if roster_person.status != PersonStatus.LIVING:
            return HearingError(
                _("This person's roster entry is not marked as living here."), status=403
            )
        if covered and roster_person.community_id not in covered:
            return HearingError(
                _("This person is on the roster of a community this hearing does not cover."),
                status=403,
            )
        return None
    if not covered or not RosterPerson.objects.filter(community_id__in=covered).exists():
        return None
    if not is_resident_of(user, covered, linked_person=roster_person):
        return HearingError(
            _(
                "Only residents on the roster of the communities this hearing covers can "
                "register. Confirm your entry on the roster from your account, or register "
                "at your community office."
            ),
            status=403,
        )
    return None


def register_for_session(
    session,
    user,
    *,
    category,
    phone="",
    wishes_to_speak=False,
    speech_summary="",
    extra_answers=None,
    url="",
    now=None,
    assisted_by=None,
    roster_person=None,
):
    """Register `user` for `session`: a confirmed seat if one is free, else the waitlist.

    Returns (registration, created). A second request from the same person (a
    double-click) returns their existing registration with created=False.

    At the office a worker (`assisted_by`; the admin view asks `can_act_for_person`)
    registers `roster_person`; `user` is then the person's linked account or None, and the
    phone is the one on the roster unless given. Seats, quotas and the waitlist are the
    same; the registration is marked assisted and audit-logged. An online registration of
    a roster-linked account names the person too, so one person holds one place per
    session whichever way they registered.
    """
    now = now or timezone.now()
    assisted = roster_person is not None
    if assisted:
        phone = phone or roster_person.phone
    else:
        roster_person = _linked_person(user)
    # Who may register depends on the consultation and the person, not on the seats: it is
    # asked before the session is locked, so the lock is held only to count and write.
    refusal = registration_refusal(
        session.page, user, roster_person=roster_person, assisted=assisted
    )
    with transaction.atomic():
        session = _lock_session(session)
        existing = _active_registration(session, user, roster_person)
        if existing:
            return existing, False
        if not session.page.live:
            raise HearingError(_("This hearing is not published."))
        if not session.registration_open(now):
            raise HearingError(_("Registration for this session is closed."))
        if refusal:
            raise refusal
        status = (
            Status.CONFIRMED
            if _has_room(session, category, _confirmed_counts(session))
            else Status.WAITLISTED
        )
        registration = None
        for _attempt in range(5):
            try:
                # A savepoint, so that a clash on the code or on the one-per-person
                # constraint leaves the outer transaction usable.
                with transaction.atomic():
                    registration = Registration.objects.create(
                        session=session,
                        user=user,
                        category=category,
                        phone=phone,
                        wishes_to_speak=wishes_to_speak,
                        speech_summary=speech_summary if wishes_to_speak else "",
                        extra_answers=extra_answers or {},
                        status=status,
                        code=new_registration_code(),
                        created_at=now,
                        confirmed_at=now if status == Status.CONFIRMED else None,
                        assisted_by=assisted_by if assisted else None,
                        roster_person=roster_person,
                    )
                break
            except IntegrityError:
                existing = _active_registration(session, user, roster_person)
                if existing:
                    return existing, False
        if registration is None:
            raise HearingError(_("Please try again."))
        if assisted:
            log(
                instance=registration,
                action="consultations.hearings.assisted_register",
                user=assisted_by,
                data={
                    "session": session.pk,
                    "code": registration.code,
                    "roster_person": roster_person.pk,
                    "status": registration.status,
                },
            )
        # In the same transaction: the queued mail is a row committed with the
        # registration (home/mail.py), never one without the other.
        _mail_registration(
            registration,
            "registration_confirmed" if status == Status.CONFIRMED else "registration_waitlisted",
            url,
        )
    return registration, True


def cancel_registration(registration, by_user, *, url="", now=None):
    """Cancel a registration until the session starts; a freed seat goes to the waitlist.

    `by_user` is the resident themself or staff with rights on the community (the
    view checks which). Returns the registrations promoted from the waitlist.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.session = session
        if registration.status == Status.CANCELLED:
            raise HearingError(_("This registration is already cancelled."))
        if session.has_started(now):
            raise HearingError(
                _("The session has started; registrations can no longer be cancelled.")
            )
        held_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        log(
            instance=registration,
            action="consultations.hearings.cancel",
            user=by_user,
            data={
                "session": session.pk,
                "code": registration.code,
                "by_registrant": by_user is not None and by_user.pk == registration.user_id,
            },
        )
        _mail_registration(registration, "registration_cancelled", url)
        promoted = promote_from_waitlist(session, url=url, now=now) if held_seat else []
    return promoted


def promote_from_waitlist(session, *, url="", now=None):
    """Confirm waiting people, first come first served, while seats and quotas allow.

    Someone whose category quota is full is passed over (keeping their place) for the
    next person whose category still has room. Returns the promoted registrations.
    """
    now = now or timezone.now()
    promoted = []
    with transaction.atomic():
        session = _lock_session(session)
        if session.has_started(now):
            return promoted
        counts = _confirmed_counts(session)
        if counts[0] >= session.seats:
            return promoted
        waiting = Registration.objects.filter(session=session, status=Status.WAITLISTED).order_by(
            "created_at", "pk"
        )
        for registration in waiting.select_related("user"):
            if not _has_room(session, registration.category, counts):
                if counts[0] >= session.seats:
                    break
                continue
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            registration.session = session
            total, per_category = counts
            per_category[registration.category] = per_category.get(registration.category, 0) + 1
            counts = (total + 1, per_category)
            promoted.append(registration)
            _mail_registration(registration, "registration_promoted", url)
    return promoted


def check_in(session, code, by_user, now=None):
    """Mark the holder of `code` present at `session`; a second check-in is refused."""
    now = now or timezone.now()
    code = normalise_code(code)
    if not code:
        raise HearingError(_("Please enter a registration code."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .filter(session=session, code=code)
            .select_related("user")
            .first()
        )
        if registration is None:
            raise HearingError(
                _("No registration with the code %(code)s exists for this session.")
                % {"code": code}
            )
        if registration.status == Status.CANCELLED:
            raise HearingError(_("Registration %(code)s was cancelled.") % {"code": code})
        if registration.status == Status.WAITLISTED:
            raise HearingError(
                _("Registration %(code)s is on the waitlist and has no confirmed seat.")
                % {"code": code}
            )
        if registration.checked_in_at:
            raise HearingError(
                _("Registration %(code)s was already checked in at %(time)s.")
                % {
                    "code": code,
                    "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M"),
                }
            )
        registration.checked_in_at = now
        registration.checked_in_by = by_user
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        log(
            instance=registration,
            action="consultations.hearings.check_in",
            user=by_user,
            data={"session": session.pk, "code": code},
        )
    return registration


def arrange_speakers(session, arrangement, user=None):
    """Save the speakers' order and time slots: {registration pk: (order, time, minutes)}."""
    with transaction.atomic():
        speakers = {
            r.pk: r
            for r in Registration.objects.select_for_update().filter(
                session=session, wishes_to_speak=True
            )
        }
        for pk, (order, at, minutes) in arrangement.items():
            registration = speakers.get(pk)
            if registration is None:
                continue
            registration.speaker_order = order
            registration.speaking_at = at
            registration.speaking_minutes = minutes
            registration.save(update_fields=["speaker_order", "speaking_at", "speaking_minutes"])
        log(
            instance=session,
            action="consultations.hearings.arrange_speakers",
            user=user,
            data={"speakers": sorted(pk for pk in arrangement if pk in speakers)},
        )


def send_reminder(registration, url=""):
    """Mail the day-before reminder once: the mark and the mail share one transaction."""
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration.pk, status=Status.CONFIRMED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=timezone.now())
        if claimed:
            registration.refresh_from_db()
            _mail_registration(registration, "registration_reminder", url)
    return bool(claimed)


def purge_personal_data(before, now=None):
    """Blank phones, speech summaries and extra answers of sessions that ended before
    `before`; the registrations stay so that the counts remain. Returns the number purged.
    """
    now = now or timezone.now()
    return Registration.objects.filter(
        session__ends_at__lt=before, personal_data_purged_at__isnull=True
    ).update(phone="", speech_summary="", extra_answers={}, personal_data_purged_at=now)


# --- read-side helpers used by pages, the home page and other capabilities ---------------


def with_counts(sessions):
    """Annotate sessions with confirmed/waitlisted/checked-in counts (one query)."""
    return sessions.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
        attended_count=Count(
            "registrations",
            filter=Q(
                registrations__status=Status.CONFIRMED, registrations__checked_in_at__isnull=False
            ),
        ),
    )


def page_sessions(page):
    """The sessions of `page` with their counts, in order of time: the same for every
    visitor, so remembered (home/page_cache.py) until a registration of the page changes
    (`forget_page_sessions`, from the Registration signals) or a page is published."""
    return remembered(
        f"hearing-sessions:{page.pk}",
        lambda: list(with_counts(page.sessions.all()).order_by("starts_at", "pk")),
    )


def forget_page_sessions(page_id):
    forget(f"hearing-sessions:{page_id}")


def page_form_fields(page):
    """The editor's extra registration fields of `page`: they change only when the page is
    published, which replaces the page-cache version."""
    return remembered(f"hearing-form-fields:{page.pk}", lambda: list(page.form_fields.all()))


def seats_left(session):
    confirmed = getattr(session, "confirmed_count", None)
    if confirmed is None:
        confirmed = session.registrations.filter(status=Status.CONFIRMED).count()
    return max(session.seats - confirmed, 0)


def upcoming_sessions(limit=5):
    """The next sessions of live hearings, soonest first, with their seats left."""
    sessions = list(
        with_counts(
            HearingSession.objects.filter(visible_page_q("page"), starts_at__gte=timezone.now())
        )
        .select_related("page")
        .order_by("starts_at", "pk")[:limit]
    )
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions


def _consultation_sessions(consultation):
    hearings = HearingPage.objects.child_of(consultation)
    return HearingSession.objects.filter(page__in=hearings)


def participant_user_ids(consultation):
    """Users with a non-cancelled registration for any session of the consultation's
    hearings (contract for the outcome capability: who to report back to, 三(五))."""
    return set(
        Registration.objects.filter(session__in=_consultation_sessions(consultation))
        .exclude(status=Status.CANCELLED)
        .exclude(user__isnull=True)
        .values_list("user_id", flat=True)
    )


def attendance_totals(consultation):
    """Totals over the consultation's hearing sessions, for the ledger (台账, 三(六)).

    Keys: sessions, seats, confirmed, waitlisted, attended, speakers, by_category.
    """
    sessions = list(with_counts(_consultation_sessions(consultation)))
    regs = Registration.objects.filter(session__in=[s.pk for s in sessions])
    by_category = dict(
        regs.filter(status=Status.CONFIRMED)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {
        "sessions": len(sessions),
        "seats": sum(s.seats for s in sessions),
        "confirmed": sum(s.confirmed_count for s in sessions),
        "waitlisted": sum(s.waitlisted_count for s in sessions),
        "attended": sum(s.attended_count for s in sessions),
        "speakers": regs.filter(status=Status.CONFIRMED, wishes_to_speak=True).count(),
        "by_category": by_category,
    }


def session_totals(session):
    """Confirmed, waitlisted, cancelled, attended and speakers for one session."""
    counts = dict(
        Registration.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "seats": session.seats,
        "confirmed": counts.get(Status.CONFIRMED, 0),
        "waitlisted": counts.get(Status.WAITLISTED, 0),
        "cancelled": counts.get(Status.CANCELLED, 0),
        "attended": Registration.objects.filter(
            session=session, status=Status.CONFIRMED, checked_in_at__isnull=False
        ).count(),
        "speakers": Registration.objects.filter(
            session=session, status=Status.CONFIRMED, wishes_to_speak=True
        ).count(),
    }


def reminder_candidates(now=None):
    """Confirmed registrations for sessions starting before the end of tomorrow."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    end_of_tomorrow = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), time.min))
    return Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lt=end_of_tomorrow,
        session__page__live=True,  # registrants passed any restriction when they registered
    ).select_related("session__page", "user")


CHECK_IN_MATCHES = 20


def check_in_candidates(session, text):
    """Registrations of `session` (not cancelled) whose code starts with `text` or whose
    holder's name contains it, for the check-in search; at most CHECK_IN_MATCHES."""
    text = (text or "").strip()
    if not text:
        return []
    match = (
        Q(user__display_name__icontains=text)
        | Q(user__first_name__icontains=text)
        | Q(user__last_name__icontains=text)
        | Q(roster_person__full_name__icontains=text)
    )
    code = normalise_code(text)
    if code:
        match |= Q(code__startswith=code)
    return list(
        Registration.objects.filter(match, session=session)
        .exclude(status=Status.CANCELLED)
        .select_related("user", "roster_person")
        .order_by("checked_in_at", "code")[:CHECK_IN_MATCHES]
    )
