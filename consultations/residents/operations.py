"""The residents' own side: what I took part in, my profile, my data (issue 14).

Reads gather a resident's records from every capability in a fixed number of queries,
whatever their number; writes (profile, account deletion) each run in one transaction and
are audit-logged. `PERSONAL_DATA` is the registry of every field that ties a record to an
account: how it is exported and how it is erased (docs/privacy.md). A test walks all
models and fails when a field pointing to the user model is missing here.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page

from consultations.hearings.models import Registration
from consultations.hearings.operations import purge_personal_data as purge_registrations
from consultations.notifications.models import Digest, Follow, Notification, NotificationPreference
from consultations.outcomes.models import FeedbackDigest, OutcomePage
from consultations.polls.models import VoterRegister
from consultations.roster.models import LinkChallenge, RosterLink, RosterPerson
from consultations.suggestions import operations as suggestion_operations
from consultations.suggestions.models import Suggestion, Support

# --- reading: my participation -------------------------------------------------------------


def _parents(pages):
    """{child page pk: its parent Page (the consultation)}, in one query."""
    paths = {page.path[: -page.steplen] for page in pages}
    parents = {p.path: p for p in Page.objects.filter(path__in=paths)} if paths else {}
    return {page.pk: parents.get(page.path[: -page.steplen]) for page in pages}


def participation(user, now=None):
    """Everything `user` took part in, grouped for the "My participation" page.

    Ten queries whatever the numbers: one per kind of record, one for the consultations,
    one for the outcomes. Items newer than the last visit carry `is_new`.
    """
    now = now or timezone.now()
    seen = user.participation_seen_at
    suggestions = list(
        Suggestion.objects.filter(user=user)
        .select_related("page", "merged_into")
        .order_by("-submit_time", "-pk")
    )
    supports = list(
        Support.objects.filter(user=user)
        .select_related("suggestion__page")
        .order_by("-created_at", "-pk")
    )
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("session__page")
        .order_by("-session__starts_at", "-pk")
    )
    votes = list(
        VoterRegister.objects.filter(user=user).select_related("poll").order_by("-voted_on", "-pk")
    )
    follows = list(Follow.objects.filter(user=user).select_related("page").order_by("pk"))
    child_pages = (
        [s.page for s in suggestions]
        + [s.suggestion.page for s in supports]
        + [r.session.page for r in registrations]
        + [v.poll for v in votes]
    )
    consultations = _parents(child_pages)
    for item in suggestions:
        item.consultation = consultations.get(item.page_id)
        item.is_new = bool(seen and item.answered_at and item.answered_at > seen)
    for item in supports:
        item.consultation = consultations.get(item.suggestion.page_id)
        answered = item.suggestion.answered_at
        item.is_new = bool(seen and answered and answered > seen)
    for item in registrations:
        item.consultation = consultations.get(item.session.page_id)
    for item in votes:
        item.consultation = consultations.get(item.poll_id)
    outcomes = []
    consultation_paths = {c.path for c in consultations.values() if c is not None}
    if consultation_paths:
        below = Q()
        for path in consultation_paths:
            below |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
        outcomes = list(
            OutcomePage.objects.live().filter(below).order_by("-last_published_at", "-pk")
        )
        parents = {c.path: c for c in consultations.values() if c is not None}
        for outcome in outcomes:
            outcome.consultation = parents.get(outcome.path[: -outcome.steplen])
            changed = outcome.last_published_at
            outcome.is_new = bool(seen and changed and changed > seen)
    cancelled = [r for r in registrations if r.status == Registration.Status.CANCELLED]
    active = [r for r in registrations if r.status != Registration.Status.CANCELLED]
    return {
        "suggestions": suggestions,
        "supports": supports,
        "upcoming": [r for r in reversed(active) if not r.session.is_over(now)],
        "past": [r for r in active if r.session.is_over(now)],
        "cancelled": cancelled,
        "registration_count": len(registrations),
        "votes": votes,
        "follows": follows,
        "outcomes": outcomes,
        "seen": seen,
        "new_count": sum(
            1 for item in [*suggestions, *supports, *outcomes] if getattr(item, "is_new", False)
        ),
    }


def record_visit(user, now=None):
    """Remember when `user` opened "My participation" (one UPDATE)."""
    now = now or timezone.now()
    get_user_model().objects.filter(pk=user.pk).update(participation_seen_at=now)
    user.participation_seen_at = now


# --- writing: the profile ---------------------------------------------------------------------


def update_profile(user, form):
    """Save the profile form; a change of community is logged (from, to) and, where the new
    community keeps a roster, the resident is asked to verify again there.

    Returns True when re-verification is needed. The roster link of the old community ends
    on save (roster/signals.py, `end_link_on_move`).
    """
    before = (
        get_user_model().objects.filter(pk=user.pk).values_list("community_id", flat=True).first()
    )
    with transaction.atomic():
        user = form.save()
        if before != user.community_id:
            log(
                user,
                "consultations.residents.change_community",
                user=user,
                data={"from": before, "to": user.community_id},
            )
    if before == user.community_id or user.community_id is None:
        return False
    linked = RosterLink.objects.filter(user=user, person__community_id=user.community_id)
    keeps_roster = RosterPerson.objects.filter(community_id=user.community_id).exists()
    return keeps_roster and not linked.exists()


# --- the personal-data registry ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """How one field tying a record to an account is exported and erased.

    `export` names the section of the JSON download (None: not exported, with `why`);
    `erase` is what deleting the account does to the record: "delete", "anonymise" (the
    record stays, the link and the personal fields go), "keep" (the record stays unlinked:
    Django's SET_NULL) — `why` says why.
    """

    export: str | None
    erase: str
    why: str = ""


# (app_label.Model, field name) of every field pointing at the user model.
PERSONAL_DATA = {
    ("accounts.User", "self"): PersonalData("account", "delete"),
    ("account.EmailAddress", "user"): PersonalData("email_addresses", "delete"),
    ("consultations.Suggestion", "user"): PersonalData(
        "suggestions", "anonymise", "kept for the record, shown as by a former resident"
    ),
    ("consultations.Support", "user"): PersonalData(
        "supports", "delete", "withdrawn, so the counts stay exact"
    ),
    ("consultations.Registration", "user"): PersonalData(
        "hearing_registrations", "anonymise", "attendance figures stay, phone and answers go"
    ),
    ("consultations.VoterRegister", "user"): PersonalData(
        "poll_participation",
        "keep",
        "that someone voted stays counted; the entry loses the account; never what was voted",
    ),
    ("consultations.Follow", "user"): PersonalData("follows", "delete"),
    ("consultations.NotificationPreference", "user"): PersonalData(
        "notification_preferences", "delete"
    ),
    ("consultations.Notification", "user"): PersonalData("notifications", "delete"),
    ("consultations.Digest", "user"): PersonalData("notification_digests", "delete"),
    ("consultations.FeedbackDigest", "user"): PersonalData("feedback_digests", "delete"),
    ("consultations.RosterLink", "user"): PersonalData("roster_link", "delete"),
    ("consultations.LinkChallenge", "user"): PersonalData(None, "delete", "a code, kept minutes"),
    ("mfa.Authenticator", "user"): PersonalData(
        "two_factor", "delete", "the kind and dates only: secrets are never exported"
    ),
}

# Fields that name the member of staff who did something (answered, checked in, printed,
# imported…). They are the office's record of its own work: on deletion Django sets them to
# NULL; they are not the staff member's personal contributions and are not exported.
STAFF_FIELDS = {
    ("consultations.Registration", "checked_in_by"),
    ("consultations.Registration", "assisted_by"),
    ("consultations.Suggestion", "answered_by"),
    ("consultations.Suggestion", "assisted_by"),
    ("consultations.VoterRegister", "assisted_by"),
    ("consultations.LegalReviewOverride", "user"),
    ("consultations.ProgressUpdate", "created_by"),
    ("consultations.CodeBatch", "printed_by"),
    ("consultations.CodeBatch", "reprint_approved_by"),
    ("consultations.CodeBatch", "created_by"),
    ("consultations.PaperTally", "entered_by"),
    ("consultations.PaperTally", "confirmed_by"),
    ("consultations.RosterLink", "verified_by"),
    ("consultations.RosterImport", "uploaded_by"),
}
# Every Wagtail page's `owner` and `locked_by` are staff fields too.
STAFF_PAGE_FIELDS = {"owner", "locked_by"}


# --- export ---------------------------------------------------------------------------------


def _page_ref(page, consultation=None):
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.full_url,
        "consultation": consultation.title if consultation else None,
    }


def export_personal_data(user):
    """Everything held about `user`, as JSON-ready data (docs/privacy.md lists the fields)."""
    data = participation(user)
    link = RosterLink.objects.filter(user=user).select_related("person__community").first()
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "community": user.community.title if user.community_id else None,
            "residence_status": user.residence_status,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "roster_link": (
            {
                "community": link.person.community.title,
                "name_on_roster": link.person.full_name,
                "verified_by": link.method,
                "verified_at": link.verified_at,
            }
            if link
            else None
        ),
        "suggestions": [
            {
                "id": s.pk,
                "form": _page_ref(s.page, s.consultation),
                "submitted": s.submit_time,
                "fields": s.form_data,
                "show_name": s.show_name,
                "attachment_name": s.attachment_name,
                "status": s.status,
                "rejection_reason": s.rejection_reason,
                "answer_status": s.answer_status,
                "answer": s.answer,
                "answered_at": s.answered_at,
                "supporters": s.support_count,
            }
            for s in data["suggestions"]
        ],
        "supports": [
            {
                "suggestion": s.suggestion_id,
                "title": s.suggestion.title,
                "form": _page_ref(s.suggestion.page, s.consultation),
                "supported_at": s.created_at,
            }
            for s in data["supports"]
        ],
        "hearing_registrations": [
            {
                "code": r.code,
                "hearing": _page_ref(r.session.page, r.consultation),
                "session_starts": r.session.starts_at,
                "place": r.session.place,
                "category": r.category,
                "phone": r.phone,
                "wishes_to_speak": r.wishes_to_speak,
                "speech_summary": r.speech_summary,
                "extra_answers": r.extra_answers,
                "status": r.status,
                "registered_at": r.created_at,
                "cancelled_at": r.cancelled_at,
                "checked_in_at": r.checked_in_at,
            }
            for r in data["upcoming"] + data["past"] + data["cancelled"]
        ],
        # That the resident voted, and when: the portal does not know what (secret ballot).
        "poll_participation": [
            {"poll": _page_ref(v.poll, v.consultation), "voted_on": v.voted_on}
            for v in data["votes"]
        ],
        "follows": [
            {"page": f.page.title, "url": f.page.url, "since": f.created_at}
            for f in data["follows"]
        ],
        "notification_preferences": list(
            NotificationPreference.objects.filter(user=user).values(
                "events", "by_mail", "by_sms", "updated_at"
            )
        ),
        "notifications": [
            {
                "event": n.event,
                "page": n.page.title,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "mailed_at": n.mailed_at,
            }
            for n in Notification.objects.filter(user=user).select_related("page").order_by("pk")
        ],
        "notification_digests": list(Digest.objects.filter(user=user).values("date", "created_at")),
        "feedback_digests": list(
            FeedbackDigest.objects.filter(user=user).values(*_digest_fields())
        ),
        "two_factor": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user)
        ],
        "profile_history": [
            {"action": entry.action, "at": entry.timestamp, "data": entry.data}
            for entry in _profile_log(user)
        ],
    }


def _digest_fields():
    return [
        f.name
        for f in FeedbackDigest._meta.concrete_fields
        if f.name not in ("id", "user") and not f.is_relation
    ]


def _profile_log(user):
    return ModelLogEntry.objects.filter(
        content_type__app_label="accounts",
        object_id=str(user.pk),
        action__startswith="consultations.residents.",
    ).order_by("timestamp")


# --- erase ------------------------------------------------------------------------------------


def delete_account(user):
    """Delete `user`'s account by the rules of PERSONAL_DATA, in one transaction.

    Suggestions stay (under "a former resident"), supports are withdrawn (counts stay
    exact), hearing registrations are anonymised, the voter register keeps the entry
    without the account (the one-ballot rule; the sealed pool is not touched), and the
    account with its addresses, follows, digests and roster link is deleted.
    """
    with transaction.atomic():
        for support in Support.objects.filter(user=user).select_related("suggestion"):
            suggestion_operations.withdraw_support(support.suggestion, user)
        Suggestion.objects.filter(user=user).update(user=None, show_name=False)
        Registration.objects.filter(user=user).update(
            user=None,
            phone="",
            speech_summary="",
            extra_answers={},
            personal_data_purged_at=timezone.now(),
        )
        VoterRegister.objects.filter(user=user).update(user=None)
        LinkChallenge.objects.filter(user=user).delete()
        # The log entries of the account's own profile changes go with it.
        _profile_log(user).delete()
        user.delete()


# --- retention ----------------------------------------------------------------------------------


def purge_expired(now=None):
    """Erase what PORTAL_RETENTION no longer allows to keep; {kind: how many}."""
    now = now or timezone.now()
    days = settings.PORTAL_RETENTION

    def before(kind):
        return now - timedelta(days=days[kind])

    done = {
        "hearing_registration_details": purge_registrations(
            before("hearing_registration_details"), now=now
        ),
        "roster_link_challenges": LinkChallenge.objects.filter(
            expires_at__lt=before("roster_link_challenges")
        ).delete()[0],
        "feedback_digests": FeedbackDigest.objects.filter(
            sent_at__lt=before("feedback_digests")
        ).delete()[0],
        "notifications": Notification.objects.filter(
            created_at__lt=before("notifications")
        ).delete()[0],
        "notification_digests": Digest.objects.filter(
            created_at__lt=before("notifications")
        ).delete()[0],
    }
    cutoff = before("unverified_accounts")
    stale = (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False, phone_verified=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(emailaddress__verified=True)
        .exclude(roster_link__isnull=False)
    )
    count = 0
    for user in stale:
        delete_account(user)
        count += 1
    done["unverified_accounts"] = count
    return done
