"""The one writer of follows, preferences, notifications and digests.

`notify(event, page, key, user_ids=...)` is how a capability tells people about an event:
it resolves the recipients (followers of the page, of the communities it concerns and of
the areas above them, plus the people the caller names) in batched queries, writes one
`Notification` per person and event (a unique key, so a second call or a second path to
the same person adds nothing), mails at once those who asked for it and leaves the rest
to the daily digest (`send_digests`). Texts (`send_pending_texts`) are short, at most one
a day per person and never at night: a text due at night waits for the morning.
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction

from consultations.errors import ConsultationError
from consultations.notifications.models import (
    Delivery,
    Digest,
    Event,
    Follow,
    Notification,
    NotificationPreference,
)
from home.links import absolute_url
from home.mail import send_templated_mail
from home.page_cache import forget, remembered
from home.sms import send_sms

logger = logging.getLogger(__name__)

BATCH = 1000
# Texts are never sent between these local hours (TIME_ZONE); they wait for QUIET_END.
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)
UNSUBSCRIBE_SALT = "consultations.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=90)
ALL = "all"


class NotificationError(ConsultationError):
    code = "notification"


# --- following ---------------------------------------------------------------------------


def followable(page):
    """Communities, townships/streets (and counties) and consultations can be followed."""
    from consultations.models import CommunityIndexPage, CommunityPage, ConsultationPage

    specific = page.specific_class
    return specific is not None and issubclass(
        specific, CommunityPage | CommunityIndexPage | ConsultationPage
    )


def follow(user, page):
    if not followable(page):
        raise NotificationError(_("Only communities, townships and consultations can be followed."))
    follow, _created = Follow.objects.get_or_create(user=user, page_id=page.pk)
    return follow


def unfollow(user, page):
    Follow.objects.filter(user=user, page_id=page.pk).delete()


def is_following(user, page):
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, page_id=page.pk).exists()


def concerned_page_ids(page):
    """The page, the communities it concerns (a township consultation covers several) and
    every page above them: a follower of any of them hears about the page. Two queries."""
    from consultations.models import ConsultationPage

    paths = {page.path}
    specific = page.specific_deferred if type(page) is Page else page
    consultation = getattr(specific, "consultation", None)
    if isinstance(specific, ConsultationPage):
        consultation = specific
    if consultation is not None:
        paths.add(consultation.path)
        paths.update(consultation.scope_communities().values_list("path", flat=True))
    prefixes = set()
    for path in paths:
        for depth in range(1, len(path) // Page.steplen + 1):
            prefixes.add(path[: depth * Page.steplen])
    return list(Page.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def follower_ids(page):
    return set(
        Follow.objects.filter(page_id__in=concerned_page_ids(page)).values_list(
            "user_id", flat=True
        )
    )


# --- preferences -------------------------------------------------------------------------


def preference_for(user):
    """The person's preferences, or the defaults (unsaved) when they never chose."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@transaction.atomic
def save_preferences(user, *, events, by_mail, by_sms):
    unknown = set(events) - set(Event.values)
    if unknown or set(events.values()) - set(Delivery.values):
        raise NotificationError(_("Choose one of the offered settings for every event."))
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "events": {**preference_for(user).events, **events},
            "by_mail": by_mail,
            "by_sms": by_sms,
        },
    )
    return preference


# --- unsubscribing -----------------------------------------------------------------------


def unsubscribe_token(user, event=ALL):
    return signing.dumps({"u": user.pk, "e": event}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user, event) of a valid token; NotificationError when tampered with or expired."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise NotificationError(
            _("This unsubscribe link has expired. Sign in to change your notifications.")
        ) from error
    except signing.BadSignature as error:
        raise NotificationError(_("This unsubscribe link is not valid.")) from error
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    event = data.get("e")
    if user is None or (event != ALL and event not in Event.values):
        raise NotificationError(_("This unsubscribe link is not valid."))
    return user, event


def unsubscribe_url(user, event=ALL):
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, event)]))


def unsubscribe_headers(user, event=ALL):
    """RFC 8058 one-click unsubscribe: the link answers a POST without signing in."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, event)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@transaction.atomic
def unsubscribe(user, event=ALL):
    """No more mail about `event` (or no more mail at all); the inbox keeps working."""
    preference = preference_for(user)
    if event == ALL:
        preference.by_mail = False
    else:
        preference.events = {**preference.events, event: Delivery.OFF.value}
    preference.save()
    Notification.objects.filter(user=user, mailed_at__isnull=True, digest__isnull=True).filter(
        **({} if event == ALL else {"event": event})
    ).update(wants_mail=False)
    return preference


# --- the inbox ---------------------------------------------------------------------------


def unread_count(user):
    """The bell's number, on every page a person views: remembered for them
    (home/page_cache.py) until they get a notification or read some (`_forget_unread`)."""
    return remembered(
        f"unread:{user.pk}",
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
    )


def _forget_unread(user_ids):
    forget(*(f"unread:{pk}" for pk in user_ids))


def mark_read(user, ids=None):
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    marked = rows.update(read_at=timezone.now())
    _forget_unread([user.pk])
    return marked


# --- telling people ----------------------------------------------------------------------


def _publicly_visible(page):
    if not page.live:
        return False
    return not PageViewRestriction.objects.filter(
        page__path__in=[page.path[: d * Page.steplen] for d in range(1, page.depth + 1)]
    ).exists()


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def muted_user_ids(user_ids, event):
    """Of `user_ids`, those who want no mail about `event` (or no notification mail)."""
    muted = set()
    for chunk in _chunks(user_ids):
        for user_id, events, by_mail in NotificationPreference.objects.filter(
            user_id__in=chunk
        ).values_list("user_id", "events", "by_mail"):
            if not by_mail or events.get(event) == Delivery.OFF:
                muted.add(user_id)
    return muted


def notify(event, page, key, *, user_ids=(), followers=True, mail=True, mailed=(), now=None):
    """Tell the page's followers and `user_ids` about `event` once each; returns how many.

    `key` names the event (e.g. "notice:12", "answer:34"): a person gets one notification
    per key, however many of the things they follow lead to it and however often this is
    called. `mail=False` keeps the event to the inbox (and texts), for events another
    mail already tells; `mailed` are people already mailed about it. Queries: a few to resolve followers, then per batch of 1,000 recipients one
    for the existing keys, one for the users and preferences and one insert.
    """
    if not _publicly_visible(page):
        return 0
    now = now or timezone.now()
    recipients = set(user_ids)
    if followers:
        recipients |= follower_ids(page)
    created = 0
    at_once = []
    for chunk in _chunks(sorted(recipients)):
        told = set(
            Notification.objects.filter(key=key, user_id__in=chunk).values_list(
                "user_id", flat=True
            )
        )
        users = (
            get_user_model()
            .objects.filter(pk__in=[pk for pk in chunk if pk not in told], is_active=True)
            .select_related("notification_preference")
            .only("pk", "email", "phone", "phone_verified", "notification_preference")
        )
        rows = []
        for user in users:
            preference = preference_for(user)
            delivery = preference.delivery(event)
            if delivery == Delivery.OFF:
                continue
            rows.append(
                Notification(
                    user=user,
                    event=event,
                    key=key,
                    page_id=page.pk,
                    delivery=delivery,
                    wants_mail=bool(
                        mail and preference.by_mail and user.email and user.pk not in mailed
                    ),
                    wants_sms=bool(preference.by_sms and user.phone and user.phone_verified),
                )
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        _forget_unread(row.user_id for row in rows)
        created += len(rows)
        at_once += [row.user_id for row in rows if row.delivery == Delivery.AT_ONCE]
    if at_once:
        _deliver_at_once(key, at_once, now)
    return created


def _deliver_at_once(key, user_ids, now):
    for chunk in _chunks(user_ids):
        rows = Notification.objects.filter(
            key=key, user_id__in=chunk, delivery=Delivery.AT_ONCE, mailed_at__isnull=True
        ).select_related("user", "page")
        for notification in rows:
            if not notification.wants_mail:
                continue
            # Claim it first: two callers never both mail it.
            if Notification.objects.filter(pk=notification.pk, mailed_at__isnull=True).update(
                mailed_at=now
            ):
                _mail(notification.user, [notification], "consultations/notifications/mail/single")
        send_pending_texts(now=now, user_ids=chunk)


def _mail(user, notifications, template):
    def context(language):
        with translation.override(language):
            return {
                "user": user,
                "items": [
                    {
                        "event": Event(n.event).label,
                        "title": n.page.title,
                        "url": absolute_url(n.page.url or "/"),
                    }
                    for n in notifications
                ],
                "inbox_url": absolute_url(reverse("notifications:inbox")),
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_url(user),
            }

    return send_templated_mail(
        template,
        context,
        [user.email],
        language=user.preferred_language or settings.LANGUAGE_CODE,
        headers=unsubscribe_headers(user),
    )


def _local_day_start(now):
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def send_digests(now=None):
    """One mail per person and day with every notification they chose to get in a digest.

    Safe to run twice (a unique digest per person and day; a notification joins one digest
    only); never sends an empty digest (only people with something new get one). Queries
    grow with the number of recipients in batches of 1,000, not with followers or events.
    Returns the number of mails queued.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    run_started = timezone.now()
    pending = Notification.objects.filter(
        wants_mail=True,
        delivery=Delivery.DIGEST,
        digest__isnull=True,
        created_at__lte=now,
        page__live=True,
    )
    user_ids = list(pending.values_list("user_id", flat=True).distinct().order_by("user_id"))
    sent = 0
    for chunk in _chunks(user_ids):
        with transaction.atomic():
            Digest.objects.bulk_create(
                [Digest(user_id=pk, date=today) for pk in chunk], ignore_conflicts=True
            )
            mine = dict(
                Digest.objects.filter(
                    user_id__in=chunk, date=today, created_at__gte=run_started
                ).values_list("user_id", "pk")
            )
            if not mine:
                continue
            rows = list(
                pending.filter(user_id__in=list(mine))
                .select_related("page", "user")
                .order_by("user_id", "created_at", "pk")
            )
            pending.filter(pk__in=[row.pk for row in rows]).update(
                digest=Subquery(
                    Digest.objects.filter(user_id=OuterRef("user_id"), date=today).values("pk")[:1]
                )
            )
            per_user = defaultdict(list)
            for row in rows:
                per_user[row.user_id].append(row)
            for items in per_user.values():
                _mail(items[0].user, items, "consultations/notifications/mail/digest")
                sent += 1
    return sent


def quiet_hours(now):
    local = timezone.localtime(now).time()
    return local >= QUIET_START or local < QUIET_END


def send_pending_texts(now=None, user_ids=None):
    """One short text per person with what is waiting for them, at most one a day, never
    at night (then nothing is sent and the texts wait for the next run in the morning).
    Returns the number of texts queued."""
    now = now or timezone.now()
    if quiet_hours(now):
        return 0
    pending = Notification.objects.filter(
        wants_sms=True, texted_at__isnull=True, page__live=True
    ).exclude(delivery=Delivery.OFF)
    if user_ids is not None:
        pending = pending.filter(user_id__in=user_ids)
    texted_today = Notification.objects.filter(texted_at__gte=_local_day_start(now))
    waiting = list(
        pending.exclude(user_id__in=texted_today.values("user_id"))
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for chunk in _chunks(waiting):
        rows = list(
            pending.filter(user_id__in=chunk)
            .select_related("user", "page")
            .order_by("user_id", "created_at", "pk")
        )
        per_user = defaultdict(list)
        for row in rows:
            per_user[row.user_id].append(row)
        for items in per_user.values():
            user = items[0].user
            claimed = Notification.objects.filter(
                pk__in=[item.pk for item in items], texted_at__isnull=True
            ).update(texted_at=now)
            if not claimed:
                continue
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                body = _("%(count)s new: %(title)s. %(url)s") % {
                    "count": len(items),
                    "title": items[-1].page.title[:30],
                    "url": absolute_url(reverse("notifications:inbox")),
                }
            send_sms(user.phone, body)
            sent += 1
    return sent


# --- reminders (dates pass without anyone saving) -----------------------------------------

CLOSING_SOON_DAYS = 2


def send_reminders(today=None):
    """Input opening today, input closing in two days, a hearing session tomorrow: each an
    event for the followers (and, for a hearing, the people registered). Idempotent (the
    keys carry the date); run daily. Returns the number of notifications written."""
    from consultations.models import ConsultationPage, HearingSession, Registration

    today = today or timezone.localdate()
    written = 0
    live = ConsultationPage.objects.live()
    for consultation in live.filter(input_opens=today):
        written += notify(Event.INPUT, consultation, f"input-opens:{consultation.pk}:{today}")
    closing = today + timedelta(days=CLOSING_SOON_DAYS)
    for consultation in live.filter(input_closes=closing):
        written += notify(Event.INPUT, consultation, f"input-closes:{consultation.pk}:{closing}")
    tomorrow = today + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    sessions = HearingSession.objects.filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(days=1), page__live=True
    ).select_related("page")
    for session in sessions:
        registered = set(
            Registration.objects.filter(session=session, user__isnull=False)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("user_id", flat=True)
        )
        # The registered get the hearings' own reminder mail; here their inbox and text.
        written += notify(
            Event.HEARING,
            session.page,
            f"hearing:{session.pk}:{tomorrow}",
            user_ids=registered,
            mailed=registered,
        )
    return written
