"""Outcomes: one function per operation, called by views, admin, commands and the demo.

The policy (三(五)) asks that outcomes are disclosed within a set deadline, carried out,
reported back to participants and residents, and checked for lawfulness. These functions
install the publishing workflow, compute what is overdue, record the implementation
record and the feedback events, and send the daily mails.
"""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from consultations.errors import ConsultationError
from consultations.hearings import operations as hearings
from consultations.notifications import operations as notifications
from consultations.notifications.models import Event
from consultations.permissions import can_override_legal_review, visible_page_q, visible_pages
from consultations.polls import operations as polls
from consultations.suggestions import operations as suggestions
from home.mail import send_templated_mail

LEGAL_REVIEWERS_GROUP = "法律审核人员"
LEGAL_REVIEW_TASK_NAME = "法律审核"

# The capabilities that know who took part in a consultation: each has one
# `participant_user_ids(consultation)` returning a set of user ids.
PARTICIPANT_SOURCES = (
    suggestions.participant_user_ids,
    hearings.participant_user_ids,
    polls.participant_user_ids,
)


class OutcomeError(ConsultationError):
    """A rule of the outcome refused the operation; `message` is shown to the person."""

    code = "outcome_refused"


# --- publishing workflow ---------------------------------------------------------------


def refuse_unreviewed_publication(page, revision, *, user=None, scheduled=False):
    """Record that a version of `page` nobody confirmed was about to go live.

    A schedule on that version is cleared, so it is not tried again every minute.
    """
    with transaction.atomic():
        if scheduled:
            type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
        log(
            instance=page,
            action="consultations.outcomes.publish_refused",
            user=user,
            revision=revision,
            data={"revision": revision.pk, "scheduled": scheduled},
        )


def publish_with_legal_override(page, *, user, reason):
    """A superuser publishes the latest version without the legal review, saying why.

    The exception is stored with the version (`LegalReviewOverride`), audit-logged as
    `consultations.outcomes.override_legal_review`, and shown on the public page.
    """
    from consultations.models import LegalReviewOverride

    if not can_override_legal_review(user, page):
        raise OutcomeError(
            _("Only a superuser may publish a version without the legal review."), status=403
        )
    reason = (reason or "").strip()
    if not reason:
        raise OutcomeError(_("Say why the legal review is skipped."))
    with transaction.atomic():
        revision = page.get_latest_revision() or page.save_revision(user=user)
        LegalReviewOverride.objects.get_or_create(
            revision=revision, defaults={"page": page, "user": user, "reason": reason}
        )
        log(
            instance=page,
            action="consultations.outcomes.override_legal_review",
            user=user,
            revision=revision,
            data={"reason": reason, "revision": revision.pk},
        )
        revision.publish(user=user, skip_permission_checks=True)
    return revision


def ensure_legal_reviewers_group():
    """The group whose members confirm that an outcome is lawful (idempotent)."""
    group, _created = Group.objects.get_or_create(name=LEGAL_REVIEWERS_GROUP)
    permission = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if permission:
        group.permissions.add(permission)
    return group


def legal_review_task():
    """The shared legal review task, created once (idempotent)."""
    from consultations.models import LegalReviewTask

    task = LegalReviewTask.objects.filter(name=LEGAL_REVIEW_TASK_NAME).first()
    if task is None:
        task = LegalReviewTask.objects.create(
            name=LEGAL_REVIEW_TASK_NAME, reviewers=ensure_legal_reviewers_group()
        )
    return task


def _outcome_place(consultation_or_place):
    """The community (or township/county) whose outcome workflow applies."""
    from consultations.models import CommunityIndexPage, CommunityPage

    if isinstance(consultation_or_place, (CommunityPage, CommunityIndexPage)):
        return consultation_or_place
    return consultation_or_place.community or consultation_or_place.area


def _approval_tasks(place):
    """Community review then township approval, from the consultation workflows (issue 3)."""
    from consultations.communities import operations as workflows
    from consultations.models import CommunityPage

    if isinstance(place, CommunityPage):
        tasks = [workflows.community_review_task(place)]
        area = workflows.CommunityIndexPage.objects.ancestor_of(place).order_by("-depth").first()
    else:
        # A cross-community matter: the communities below the township review first.
        tasks = [workflows.area_review_task(place)]
        area = place
    if area is not None:
        tasks.append(workflows.township_approval_task(area))
    return tasks


def outcome_workflow_name(consultation_or_place):
    from consultations.communities.operations import outcome_workflow_name as name_of

    return name_of(_outcome_place(consultation_or_place))


def ensure_place_outcome_workflow(place):
    """The outcome workflow a community or area owns (its `outcome_workflow` key), made or
    renamed with the place's setup: community review → township approval → legal review.
    Idempotent; returns it whether or not an administrator has deactivated it."""
    from consultations.communities.operations import outcome_workflow_name as name_of
    from consultations.communities.operations import owned_workflow

    with transaction.atomic():
        return owned_workflow(
            place,
            "outcome_workflow",
            name_of(place),
            [*_approval_tasks(place), legal_review_task()],
        )


def ensure_outcome_workflow(consultation_or_place):
    """The active outcome workflow for a consultation's community (or township), made if
    missing (idempotent; for setup code, never for a request). None if deactivated."""
    place = _outcome_place(consultation_or_place)
    if place is None:
        return None
    workflow = ensure_place_outcome_workflow(place)
    return workflow if workflow.active else None


def outcome_workflow(consultation):
    """The active outcome workflow of the consultation's place, read by key; no writes.

    None when the place has none (setup has not run: `consultations_install_workflows`)
    or an administrator deactivated it.
    """
    from wagtail.models import Workflow

    place = _outcome_place(consultation)
    if place is None:
        return None
    key = type(place).objects.filter(pk=place.pk).values_list("outcome_workflow_id", flat=True)
    return Workflow.objects.filter(pk__in=key, active=True).first()


# --- deadlines -------------------------------------------------------------------------


def _live_outcome_parent_paths():
    from consultations.models import OutcomePage

    steplen = OutcomePage.steplen
    return {path[:-steplen] for path in OutcomePage.objects.live().values_list("path", flat=True)}


def overdue_consultations(today=None):
    """Live consultations past their outcome due date without a live outcome (三(五))."""
    from consultations.models import ConsultationPage

    today = today or timezone.localdate()
    return (
        ConsultationPage.objects.live()
        .filter(outcome_due__lt=today)
        .exclude(path__in=_live_outcome_parent_paths())
        .select_related("category")
        .order_by("outcome_due", "path")
    )


def unfinished_item_filter():
    from consultations.outcomes.models import FINISHED_IMPLEMENTATION

    return ~Q(implementation__in=FINISHED_IMPLEMENTATION)


def overdue_items(today=None):
    """Decision items of live outcomes past their due date and not done."""
    from consultations.models import DecisionItem

    today = today or timezone.localdate()
    return (
        DecisionItem.objects.filter(page__live=True, due_date__lt=today)
        .filter(unfinished_item_filter())
        .select_related("page", "page__consultation_page")
        .order_by("due_date", "pk")
    )


# --- participation ---------------------------------------------------------------------


def participant_user_ids(consultation):
    """Everyone who took part: suggested, registered for a hearing, voted.

    Only *that* someone took part is used, never what they said or voted (a secret
    ballot stays secret: docs/architecture.md, "Integrity rules").
    """
    user_ids = set()
    for participant_user_ids_of in PARTICIPANT_SOURCES:
        user_ids.update(uid for uid in participant_user_ids_of(consultation) if uid)
    return user_ids


def participation_figures(consultation):
    """Figures for "how the consultation was held": the ledger's figures, the one source."""
    from consultations.ledger.figures import consultation_figure_rows

    return consultation_figure_rows(consultation)


# --- the implementation record and its events -------------------------------------------


def _refresh_consultation_stage(outcome):
    consultation = outcome.consultation
    refresh = getattr(consultation, "refresh_stage", None)
    if callable(refresh):
        refresh()


def record_outcome_published(outcome):
    """Tell participants and followers once, on first publication (三(五): feedback)."""
    from consultations.outcomes.models import OutcomeEvent

    if not OutcomeEvent.objects.filter(outcome=outcome, kind=OutcomeEvent.Kind.PUBLISHED).exists():
        OutcomeEvent.objects.create(outcome=outcome, kind=OutcomeEvent.Kind.PUBLISHED)
    _refresh_consultation_stage(outcome)


def record_item_status_change(item, old_status):
    """A decision item's status changed in a published announcement."""
    from consultations.outcomes.models import OutcomeEvent

    outcome = item.page
    announced = OutcomeEvent.objects.filter(
        outcome_id=item.page_id, kind=OutcomeEvent.Kind.PUBLISHED
    ).exists()
    if outcome.live and announced:
        OutcomeEvent.objects.create(
            outcome_id=item.page_id,
            item=item,
            kind=OutcomeEvent.Kind.STATUS,
            old_status=old_status,
            new_status=item.status,
        )


@transaction.atomic
def record_progress(item, *, text, user=None, date=None, new_status="", image=None, document=None):
    """Add a dated progress update; a status change moves the item and tells people."""
    from consultations.outcomes.models import (
        DecisionItem,
        DecisionStatus,
        ImplementationStatus,
        OutcomeEvent,
        ProgressUpdate,
    )

    item = DecisionItem.objects.select_for_update().get(pk=item.pk)
    if new_status and new_status not in ImplementationStatus.values:
        raise OutcomeError(_("Choose one of the implementation statuses."))
    if new_status == item.implementation:
        new_status = ""
    if new_status and item.status == DecisionStatus.NOT_ADOPTED:
        new_status = ""
    update = ProgressUpdate.objects.create(
        item=item,
        text=text,
        date=date or timezone.localdate(),
        new_status=new_status,
        image=image,
        document=document,
        created_by=user if user and user.is_authenticated else None,
    )
    if new_status:
        old_status = item.implementation
        DecisionItem.objects.filter(pk=item.pk).update(implementation=new_status)
        item.implementation = new_status
        OutcomeEvent.objects.create(
            outcome_id=item.page_id,
            item=item,
            kind=OutcomeEvent.Kind.PROGRESS,
            old_status=old_status,
            new_status=new_status,
        )
        _refresh_consultation_stage(item.page)
    log(
        instance=item.page,
        action="consultations.outcomes.progress",
        user=update.created_by,
        data={"item": item.pk, "update": update.pk, "new_status": new_status},
    )
    return update


# --- following a community -------------------------------------------------------------


def follow_community(user, community):
    """Kept for the outcomes demo and tests: following is the notifications capability's."""
    from consultations.notifications.operations import follow

    return follow(user, community)


def unfollow_community(user, community):
    from consultations.notifications.operations import unfollow

    unfollow(user, community)


def follower_user_ids(consultation):
    """Who follows the consultation, its communities or the areas above them."""
    from consultations.notifications.operations import follower_ids

    return follower_ids(consultation)


# --- daily feedback digests --------------------------------------------------------------

DIGEST_LOOKBACK_DAYS = 14


def send_feedback_digests(today=None, now=None):
    """One mail per person per day with every outcome event they were not yet told about.

    Idempotent: a person gets at most one digest a day (a unique row per person and day),
    and an event is never in two digests of the same person. Returns the number of mails.
    """
    from consultations.outcomes.models import FeedbackDigest, OutcomeEvent

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    events = list(
        OutcomeEvent.objects.filter(
            visible_page_q("outcome"),  # followers are told of what everyone may read
            created_at__lte=now,
            created_at__gte=now - timedelta(days=DIGEST_LOOKBACK_DAYS),
        )
        .select_related("outcome", "item")
        .order_by("created_at", "pk")
    )
    if not events:
        return 0
    # Who is told about which event, and why (took part / follows); computed once per
    # consultation.
    per_user = defaultdict(list)
    reasons = defaultdict(dict)
    audiences = {}
    for event in events:
        consultation_id = event.outcome.consultation_page_id or event.outcome.get_parent().pk
        if consultation_id not in audiences:
            consultation = event.outcome.consultation
            audiences[consultation_id] = (
                consultation,
                participant_user_ids(consultation),
                follower_user_ids(consultation),
            )
        consultation, participants, followers = audiences[consultation_id]
        for user_id in participants | followers:
            per_user[user_id].append(event)
            reasons[user_id].setdefault(
                consultation.pk,
                {"consultation": consultation, "took_part": user_id in participants},
            )
    already = defaultdict(set)
    for user_id, event_id in FeedbackDigest.events.through.objects.filter(
        outcomeevent_id__in=[e.pk for e in events]
    ).values_list("feedbackdigest__user_id", "outcomeevent_id"):
        already[user_id].add(event_id)
    done_today = set(
        FeedbackDigest.objects.filter(day=today, user_id__in=per_user).values_list(
            "user_id", flat=True
        )
    )
    users = get_user_model().objects.in_bulk(list(per_user))
    # Whoever unsubscribed from notification mail, or from outcome news, gets no digest.
    muted = notifications.muted_user_ids(list(per_user), Event.OUTCOME)
    sent = 0
    for user_id, user_events in per_user.items():
        user = users.get(user_id)
        if user is None or not user.is_active or not user.email or user_id in done_today:
            continue
        if user_id in muted:
            continue
        fresh = [e for e in user_events if e.pk not in already[user_id]]
        if not fresh:
            continue
        with transaction.atomic():
            digest, created = FeedbackDigest.objects.get_or_create(user=user, day=today)
            if not created:
                continue
            digest.events.set(fresh)
            send_templated_mail(
                "consultations/outcomes/mail/feedback_digest",
                {
                    "user": user,
                    "events": fresh,
                    "consultations": list(reasons[user_id].values()),
                    "day": today,
                    "unsubscribe_url": notifications.unsubscribe_url(user, Event.OUTCOME),
                },
                [user.email],
                headers=notifications.unsubscribe_headers(user, Event.OUTCOME),
            )
        sent += 1
    return sent


# --- disclosure deadline reminders --------------------------------------------------------


def responsible_editor_emails(consultation):
    """The community's editors; for a township-level consultation, the area's officials."""
    from consultations.communities.operations import responsible_group

    group = responsible_group(consultation.community or consultation.area)
    if group is None:
        return []
    return sorted(
        get_user_model()
        .objects.filter(groups=group, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _remind_once(key, consultation, today, template, context, *, repeat_every=None):
    """Send a reminder unless one with this key (or, with `repeat_every`, with the same key
    prefix within that many days) was sent before."""
    from consultations.outcomes.models import DeadlineReminder

    recipients = responsible_editor_emails(consultation)
    if not recipients:
        return False
    with transaction.atomic():
        if repeat_every is not None:
            prefix = key.rsplit(":", 1)[0] + ":"
            if DeadlineReminder.objects.filter(
                key__startswith=prefix, sent_on__gt=today - timedelta(days=repeat_every)
            ).exists():
                return False
        _reminder, created = DeadlineReminder.objects.get_or_create(
            key=key, defaults={"consultation": consultation, "sent_on": today}
        )
        if not created:
            return False
        send_templated_mail(template, {"consultation": consultation, **context}, recipients)
    return True


def send_deadline_reminders(today=None, days_before=3, repeat_every=7):
    """Mail the responsible editors before and after the disclosure deadline.

    - once, within `days_before` days before the outcome is due;
    - once the deadline has passed without a published outcome, then again every
      `repeat_every` days while it stays overdue;
    - the same for decision items past their due date and not done.
    Idempotent: each reminder has a key, and a day that missed its run catches up on the
    next one.
    """
    from consultations.models import ConsultationPage

    today = today or timezone.localdate()
    repeat_every = max(repeat_every, 1)
    sent = 0
    soon = today + timedelta(days=days_before)
    upcoming = (
        ConsultationPage.objects.live()
        .filter(outcome_due__gte=today, outcome_due__lte=soon)
        .exclude(path__in=_live_outcome_parent_paths())
    )
    for consultation in upcoming:
        sent += _remind_once(
            f"before:{consultation.pk}:{consultation.outcome_due:%Y%m%d}",
            consultation,
            today,
            "consultations/outcomes/mail/deadline_before",
            {"due": consultation.outcome_due},
        )
    for consultation in overdue_consultations(today):
        sent += _remind_once(
            f"after:{consultation.pk}:{consultation.outcome_due:%Y%m%d}:{today:%Y%m%d}",
            consultation,
            today,
            "consultations/outcomes/mail/deadline_after",
            {"due": consultation.outcome_due, "days_late": (today - consultation.outcome_due).days},
            repeat_every=repeat_every,
        )
    by_consultation = defaultdict(list)
    for item in overdue_items(today):
        by_consultation[item.page.consultation_page_id].append(item)
    consultations = ConsultationPage.objects.in_bulk(list(by_consultation))
    for consultation_id, items in by_consultation.items():
        consultation = consultations.get(consultation_id)
        if consultation is None:
            continue
        sent += _remind_once(
            f"items:{consultation.pk}:{today:%Y%m%d}",
            consultation,
            today,
            "consultations/outcomes/mail/items_overdue",
            {"items": items, "today": today},
            repeat_every=repeat_every,
        )
    return sent


# --- public lists ------------------------------------------------------------------------


def recent_outcomes(limit=5):
    """The latest published outcome announcements, for the home page."""
    from consultations.models import OutcomePage

    return list(
        visible_pages(OutcomePage.objects.all())
        .select_related("consultation_page", "consultation_page__category")
        .prefetch_related("decision_items")
        .order_by("-first_published_at")[:limit]
    )


def tracker_items(
    *, community=None, category=None, status=None, year=None, today=None, request=None
):
    """Decision items of published outcomes for the implementation tracker, filtered.

    `status` is a decision status, an implementation status, or "overdue"; outcomes in a
    section `request` may not see are left out.
    """
    from consultations.models import DecisionItem
    from consultations.outcomes.models import DecisionStatus, ImplementationStatus

    today = today or timezone.localdate()
    items = DecisionItem.objects.filter(visible_page_q("page", request))
    if community is not None:
        items = items.filter(
            Q(page__path__startswith=community.path)
            | Q(page__consultation_page__covered_communities=community)
        )
    if category:
        items = items.filter(page__consultation_page__category__slug=category)
    if status == "overdue":
        items = items.filter(due_date__lt=today).filter(unfinished_item_filter())
    elif status in DecisionStatus.values:
        items = items.filter(status=status)
    elif status in ImplementationStatus.values:
        items = items.filter(implementation=status)
    if year:
        items = items.filter(page__first_published_at__year=year)
    return (
        items.distinct()
        .select_related("page", "page__consultation_page", "page__consultation_page__category")
        .prefetch_related("updates")
        .order_by("-page__first_published_at", "page__path", "sort_order", "pk")
    )


def tracker_years(request=None):
    from consultations.models import OutcomePage

    return sorted(
        {
            d.year
            for d in visible_pages(OutcomePage.objects.all(), request)
            .exclude(first_published_at=None)
            .values_list("first_published_at", flat=True)
        },
        reverse=True,
    )
