"""Suggestion operations: one function per atomic step, called by views, admin and demo.

Submitting, publishing, rejecting, merging and answering each run in one transaction,
write their audit-log entry and queue their mail in it (home.mail), so a decision is never
recorded without its log line and a mail failure never loses the record (docs/architecture.md, "Integrity rules").
"""

import uuid
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext, log

from consultations.errors import ConsultationError
from consultations.notifications import operations as notifications
from consultations.notifications.models import Event
from consultations.permissions import (
    can_support,
    is_resident_of,
    is_verified_resident,
    may_support_on,
    pages_user_can_moderate,
)
from consultations.roster.models import PersonStatus, RosterLink, RosterPerson
from consultations.suggestions.models import Suggestion, SuggestionFormPage, Support
from home.links import absolute_url
from home.mail import send_templated_mail
from home.page_cache import forget, remembered

# Per-user and per-IP limits on submissions, in allauth's rate syntax ("amount/period/per").
# PORTAL_SUGGESTION_RATE_LIMITS overrides the default.
DEFAULT_RATE_LIMITS = "10/h/user,30/h/ip"
RATE_LIMIT_ACTION = "submit_suggestion"

MAIL_PREFIX = "consultations/suggestions/mail/"


class SuggestionRefused(ConsultationError):
    """A rule refused a submission or a moderation step; `message` says why, `status` is
    the HTTP status (403 by default: the resident may not submit now)."""

    code = "suggestion_refused"
    status = 403


def submission_refusal(page, user, today=None, *, roster_person=None):
    """Why `user` may not submit on `page` now, as a SuggestionRefused, or None.

    With `roster_person` (an assisted submission at the office) the person on the roster is
    checked instead of an account: living on the roster, of the community the form is
    restricted to, within the same per-resident limit.
    """
    window = page.window(today)
    if window["state"] == "upcoming":
        return SuggestionRefused(
            _("Suggestions can be submitted from %(date)s.")
            % {"date": formats.date_format(window["opens"], "DATE_FORMAT")}
        )
    if window["state"] == "closed":
        return SuggestionRefused(
            _("Suggestions closed on %(date)s.")
            % {"date": formats.date_format(window["closes"], "DATE_FORMAT")}
        )
    if not page.live:
        return SuggestionRefused(_("This suggestion form is not published."))
    if roster_person is not None:
        return _assisted_refusal(page, roster_person)
    if not is_verified_resident(user):
        return SuggestionRefused(
            _("Please confirm your email address before you submit a suggestion.")
        )
    if page.restrict_to_community_id and not is_resident_of(user, page.restrict_to_community_id):
        return SuggestionRefused(
            _("Only residents of %(community)s can submit suggestions here.")
            % {"community": page.restrict_to_community.title}
        )
    used = Suggestion.objects.filter(page=page, user=user).count()
    if used >= page.max_per_resident:
        return SuggestionRefused(
            _("You have already submitted %(count)s suggestions here, the most allowed.")
            % {"count": page.max_per_resident}
        )
    return None


def _assisted_refusal(page, person):
    if person.status != PersonStatus.LIVING:
        return SuggestionRefused(_("This person's roster entry is not marked as living here."))
    if page.restrict_to_community_id and person.community_id != page.restrict_to_community_id:
        return SuggestionRefused(
            _("Only residents of %(community)s can submit suggestions here.")
            % {"community": page.restrict_to_community.title}
        )
    # What the person submitted themself online counts too.
    mine = Q(roster_person=person)
    linked = RosterLink.objects.filter(person=person).values_list("user_id", flat=True).first()
    if linked:
        mine |= Q(user_id=linked)
    used = Suggestion.objects.filter(page=page).filter(mine).count()
    if used >= page.max_per_resident:
        return SuggestionRefused(
            _("This person has already submitted %(count)s suggestions here, the most allowed.")
            % {"count": page.max_per_resident}
        )
    return None


def consume_rate_limit(request):
    """Count one submission attempt against the per-user and per-IP limits.

    allauth's limiter keeps its counters in the cache (Redis in production, shared by all
    processes). Its public `consume` reads only allauth's own settings, so the internal
    one is used with this capability's configuration.
    """
    from allauth.core.internal import ratelimit

    config = {
        RATE_LIMIT_ACTION: getattr(settings, "PORTAL_SUGGESTION_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    }
    usage = ratelimit.consume(
        request,
        app="consultations.suggestions",
        action=RATE_LIMIT_ACTION,
        config=config,
        user=request.user,
    )
    return usage is not None


# --- submitting --------------------------------------------------------------------------


def find_resubmission(page, user, token):
    """The suggestion this resident (or this worker, at the office) already made with this
    form token, if any."""
    if not token or not user.is_authenticated:
        return None
    return (
        Suggestion.objects.filter(page=page, token=token)
        .filter(Q(user=user, assisted_by=None) | Q(assisted_by=user))
        .first()
    )


def _locked_person(person):
    return RosterPerson.objects.select_for_update().select_related("community").get(pk=person.pk)


def submit_suggestion(page, user, form, *, assisted_by=None, roster_person=None):
    """Store a suggestion from a valid form; returns (suggestion, created).

    A repeated post of the same rendered form (same token) returns the first suggestion:
    the unique (page, token) constraint decides, also when two posts race.

    At the office, a worker (`assisted_by`, who may act for the person: the admin view
    asks `can_act_for_person`) submits for `roster_person`; `user` is then the person's
    linked account, if any, else None. The same window, community and limit apply, the
    suggestion is marked assisted and the step is audit-logged.
    """
    assisted = roster_person is not None
    author = assisted_by if assisted else user
    token = form.cleaned_data["token"]
    existing = find_resubmission(page, author, token)
    if existing:
        return existing, False
    upload = form.cleaned_data.get("attachment")
    with transaction.atomic():
        # One resident's submissions queue up here, so the per-page limit holds under
        # concurrent posts (PostgreSQL row lock; SQLite serialises writers anyway).
        if assisted:
            roster_person = _locked_person(roster_person)
        else:
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = find_resubmission(page, author, token)
        if existing:
            return existing, False
        refusal = submission_refusal(page, user, roster_person=roster_person)
        if refusal:
            raise refusal
        suggestion = Suggestion(
            page=page,
            user=user,
            token=token,
            form_data=form.suggestion_data(),
            show_name=form.cleaned_data.get("show_name", False),
            assisted_by=assisted_by if assisted else None,
            roster_person=roster_person,
        )
        if upload:
            suggestion.attachment_name = upload.name[:255]
            suggestion.attachment_type = upload.sniffed_type
            suggestion.attachment = upload
        try:
            with transaction.atomic():
                suggestion.save()
        except IntegrityError:
            if suggestion.attachment:
                suggestion.attachment.delete(save=False)
            other = Suggestion.objects.filter(page=page, token=token).first()
            owner = other and (other.assisted_by_id if assisted else other.user_id)
            if other is None or owner != author.pk:
                raise SuggestionRefused(
                    _("The form expired. Please reload the page and retry."), status=409
                )
            return other, False
        if assisted:
            log(
                suggestion,
                "consultations.suggestions.assisted_submit",
                user=assisted_by,
                data={"roster_person": roster_person.pk, "page": page.pk},
            )
        else:
            log(suggestion, "consultations.suggestions.submit", user=user)
        if user is not None and user.email:
            # In the resident's preferred language (home.mail), with links in that language.
            send_templated_mail(
                MAIL_PREFIX + "received", partial(mail_context, suggestion), [user.email]
            )
        if page.to_address:
            page.send_mail(form)
    return suggestion, True


# --- moderating and answering --------------------------------------------------------------


def mail_context(suggestion, language):
    """Links in the mail point to the pages in the mail's language."""
    page = suggestion.page
    with translation.override(language):
        return {
            "suggestion": suggestion,
            "page": page,
            "consultation": page.consultation,
            "page_url": absolute_url(page.url or "/"),
            "my_suggestions_url": absolute_url(reverse("suggestions:mine")),
            "participation_url": absolute_url(reverse("residents:participation")),
        }


def _notify_author(suggestion, template):
    if suggestion.user_id and suggestion.user.email:
        send_templated_mail(
            MAIL_PREFIX + template, partial(mail_context, suggestion), [suggestion.user.email]
        )


def _locked(suggestion):
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("user", "page")
        .get(pk=suggestion.pk)
    )


def publish_suggestion(suggestion, user):
    """Make a suggestion public on its page and the consultation page."""
    with transaction.atomic():
        suggestion = _locked(suggestion)
        if suggestion.status == Suggestion.Status.PUBLISHED:
            return suggestion
        suggestion.status = Suggestion.Status.PUBLISHED
        suggestion.rejection_reason = ""
        suggestion.merged_into = None
        suggestion.moderated_at = timezone.now()
        suggestion.save()
        log(suggestion, "consultations.suggestions.publish", user=user)
        _notify_author(suggestion, "published")
    return suggestion


def reject_suggestion(suggestion, user, reason):
    """Keep a suggestion off the public pages; the author is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise SuggestionRefused(_("Give the reason for the rejection."), status=400)
    with transaction.atomic():
        suggestion = _locked(suggestion)
        suggestion.status = Suggestion.Status.REJECTED
        suggestion.rejection_reason = reason
        suggestion.merged_into = None
        suggestion.moderated_at = timezone.now()
        suggestion.save()
        log(suggestion, "consultations.suggestions.reject", user=user, data={"reason": reason})
        _notify_author(suggestion, "rejected")
    return suggestion


def merge_refusal(suggestion, target):
    """Why `suggestion` may not be merged into `target`, as a SuggestionRefused, or None."""
    if target.pk == suggestion.pk:
        return SuggestionRefused(_("A suggestion cannot be merged into itself."), status=400)
    if target.page.get_parent().pk != suggestion.page.get_parent().pk:
        return SuggestionRefused(
            _("Only suggestions of the same consultation can be merged."), status=400
        )
    if target.status in (Suggestion.Status.MERGED, Suggestion.Status.REJECTED):
        return SuggestionRefused(_("Merge into a published or pending suggestion."), status=400)
    return None


def merge_suggestion(suggestion, target, user):
    """Fold a suggestion into another of the same consultation; the target's answer
    answers both."""
    refusal = merge_refusal(suggestion, target)
    if refusal:
        raise refusal
    with transaction.atomic():
        suggestion = _locked(suggestion)
        suggestion.status = Suggestion.Status.MERGED
        suggestion.merged_into = target
        suggestion.moderated_at = timezone.now()
        suggestion.save()
        log(
            suggestion,
            "consultations.suggestions.merge",
            user=user,
            data={"merged_into": target.pk},
        )
        _notify_author(suggestion, "merged")
    return suggestion


def answer_suggestion(suggestion, user, answer_status, explanation):
    """Record the organisers' answer to a published suggestion (三(五): feedback)."""
    explanation = (explanation or "").strip()
    if answer_status not in Suggestion.Answer.values:
        raise SuggestionRefused(_("Choose one of the answers."), status=400)
    if answer_status == Suggestion.Answer.NOT_ADOPTED and not explanation:
        raise SuggestionRefused(_("Explain why the suggestion is not adopted."), status=400)
    with transaction.atomic():
        suggestion = _locked(suggestion)
        if suggestion.status != Suggestion.Status.PUBLISHED:
            raise SuggestionRefused(_("Only published suggestions can be answered."), status=400)
        suggestion.answer_status = answer_status
        suggestion.answer = explanation
        suggestion.answered_by = user
        suggestion.answered_at = timezone.now()
        suggestion.save()
        log(
            suggestion,
            "consultations.suggestions.answer",
            user=user,
            data={"answer_status": answer_status},
        )
        _notify_author(suggestion, "answered")
        # The author (mailed just above) and the supporters hear of it as they chose.
        notifications.notify(
            Event.ANSWER,
            suggestion.page,
            f"answer:{suggestion.pk}:{suggestion.answered_at:%Y%m%d%H%M%S}",
            user_ids=concerned_users(suggestion),
            followers=False,
            mailed={suggestion.user_id},
        )
    return suggestion


# --- support (附议) ---------------------------------------------------------------------------


def concerned_users(suggestion):
    """Ids of the users an answer to `suggestion` concerns: its author and its supporters.

    The policy asks organisers to explain themselves to those who disagree (三(五)), so the
    answer reaches everyone who backed the suggestion, not only its author.
    """
    ids = set(Support.objects.filter(suggestion=suggestion).values_list("user_id", flat=True))
    if suggestion.user_id:
        ids.add(suggestion.user_id)
    return ids


def support_suggestion(suggestion, user):
    """Add `user`'s support to `suggestion`; returns (suggestion, created).

    The suggestion row is locked, so simultaneous requests of one resident are one support
    and the stored count stays equal to the rows; the unique constraint is the last word.
    """
    with transaction.atomic():
        suggestion = _locked(suggestion)
        if not can_support(user, suggestion):
            raise SuggestionRefused(_("You cannot support this suggestion."))
        try:
            with transaction.atomic():
                Support.objects.create(suggestion=suggestion, user=user)
        except IntegrityError:
            return suggestion, False
        # Not audit-logged: the Support row is the record, and it goes with the account.
        Suggestion.objects.filter(pk=suggestion.pk).update(support_count=F("support_count") + 1)
        forget_board(suggestion.page_id)
    suggestion.refresh_from_db(fields=["support_count"])
    return suggestion, True


def withdraw_support(suggestion, user):
    """Take `user`'s support back; returns (suggestion, withdrawn)."""
    with transaction.atomic():
        suggestion = _locked(suggestion)
        deleted, _rows = Support.objects.filter(suggestion=suggestion, user=user).delete()
        if deleted:
            Suggestion.objects.filter(pk=suggestion.pk).update(support_count=F("support_count") - 1)
            forget_board(suggestion.page_id)
    suggestion.refresh_from_db(fields=["support_count"])
    return suggestion, bool(deleted)


MODERATION_ACTIONS = ("publish", "reject", "merge")


def moderate_suggestions(action, suggestions, user, *, reason="", target=None):
    """Publish, reject or merge a batch of suggestions in one transaction: all or none.

    Every rule is checked for the whole batch before anything is written, so a refused
    batch changes nothing and mails nobody. Returns the number of suggestions moderated.
    """
    suggestions = list(suggestions)
    if action not in MODERATION_ACTIONS:
        raise SuggestionRefused(_("Choose what to do with the suggestions."), status=400)
    if action == "reject" and not (reason or "").strip():
        raise SuggestionRefused(_("Give the reason for the rejection."), status=400)
    if action == "merge":
        if target is None:
            raise SuggestionRefused(_("Say which suggestion to merge into."), status=400)
        if any(suggestion.pk == target.pk for suggestion in suggestions):
            raise SuggestionRefused(
                _(
                    "Suggestion no. %(number)s is the one to merge into: leave it out of the "
                    "selection. Nothing was changed."
                )
                % {"number": target.pk},
                status=400,
            )
        for suggestion in suggestions:
            refusal = merge_refusal(suggestion, target)
            if refusal:
                raise refusal
    with transaction.atomic():
        for suggestion in suggestions:
            if action == "publish":
                publish_suggestion(suggestion, user)
            elif action == "reject":
                reject_suggestion(suggestion, user, reason)
            else:
                merge_suggestion(suggestion, target, user)
    return len(suggestions)


def record_deletion(suggestion, user=None):
    """Log a deleted suggestion and remove its attachment once the deletion is committed.

    Called for every deletion, however it happens (signals.py): Wagtail's own form
    submissions view, a suggestion form deleted with its suggestions, `delete_suggestion`.
    Without `user` the entry names the user of the admin request (Wagtail's log context).
    """
    log(
        suggestion,
        "consultations.suggestions.delete",
        user=user,
        data={"page": suggestion.page_id, "status": suggestion.status},
    )
    if suggestion.attachment:
        storage, name = suggestion.attachment.storage, suggestion.attachment.name
        # Only once the rows are gone: a rolled-back deletion keeps its file.
        transaction.on_commit(partial(storage.delete, name))


def delete_suggestion(suggestion, user):
    """Delete a suggestion (with its attachment), audit-logged with who did it."""
    with transaction.atomic(), LogContext(user=user):
        suggestion.delete()


# --- reading ---------------------------------------------------------------------------------

AWAITING = "awaiting"

# How a board may be ordered: newest published first, or most supported first.
SORTS = {
    "": {"label": _("Newest"), "order": ("-moderated_at", "-pk")},
    "support": {"label": _("Most supported"), "order": ("-support_count", "-moderated_at", "-pk")},
}


def answer_counts(page):
    """Counts of published suggestions on `page` by answer, in one query."""
    rows = (
        Suggestion.objects.filter(page=page, status=Suggestion.Status.PUBLISHED)
        .values("answer_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = {row["answer_status"]: row["n"] for row in rows}
    counts = {value: by_status.get(value, 0) for value in Suggestion.Answer.values}
    counts[AWAITING] = by_status.get("", 0)
    counts["total"] = sum(by_status.values())
    return counts


PUBLIC_FIELDS = [
    *(field.name for field in Suggestion._meta.concrete_fields),
    "user__id",
    "user__display_name",
    "user__first_name",
]


def _board_facts(page):
    """What every board of `page` shows whoever looks: the counts by answer and the field
    labels, plus a token naming this state of the board (the kept lists carry it)."""
    return {
        "counts": answer_counts(page),
        # Labels are read once for the whole list, not once per suggestion.
        "labels": {field.clean_name: field.display_label for field in page.form_fields.all()},
        "token": uuid.uuid4().hex,
    }


def forget_board(page_id):
    """The board of a suggestion form changed (a suggestion published, answered, merged,
    rejected or deleted, a support given or withdrawn): its next reader builds it afresh.
    Called by the support operations and the Suggestion signals."""
    forget(f"suggestion-board:{page_id}")


def suggestion_board(page, request, prefix="", per_page=10):
    """Published suggestions of `page`, filtered by answer and paginated, with counts.

    `prefix` namespaces the query parameters, so several boards can share one page.
    The counts and the listed suggestions are the same for every visitor: they are
    remembered (home/page_cache.py) until the board changes (`forget_board`) or the
    page-cache version is replaced. What is the visitor's own (which of them they support,
    whether they may) is asked on every request: one query, plus the eligibility.
    """
    answer_param, page_param = f"{prefix}answer", f"{prefix}page"
    sort_param = f"{prefix}sort"
    facts = remembered(f"suggestion-board:{page.pk}", lambda: _board_facts(page))
    counts, labels = facts["counts"], facts["labels"]
    chosen = request.GET.get(answer_param, "") if request else ""
    if chosen not in Suggestion.Answer.values and chosen != AWAITING:
        chosen = ""
    sort = request.GET.get(sort_param, "") if request else ""
    if sort not in SORTS:
        sort = ""
    suggestions = (
        Suggestion.objects.filter(page=page, status=Suggestion.Status.PUBLISHED)
        .select_related("user")
        .order_by(*SORTS[sort]["order"])
    )
    if chosen == AWAITING:
        suggestions = suggestions.filter(answer_status="")
    elif chosen:
        suggestions = suggestions.filter(answer_status=chosen)
    # The count is known already: it saves the paginator a COUNT query.
    total = counts[AWAITING] if chosen == AWAITING else counts.get(chosen, counts["total"])
    paginator = Paginator(suggestions, per_page)
    paginator.count = total
    page_obj = paginator.get_page(request.GET.get(page_param) if request else 1)
    listed = remembered(
        f"suggestion-list:{page.pk}:{facts['token']}:{chosen}:{sort}:{per_page}:{page_obj.number}",
        # Kept in the shared cache: of the authors, only what the board shows of them.
        lambda: list(page_obj.object_list.only(*PUBLIC_FIELDS)),
    )
    page_obj.object_list = listed

    def link(value, param=answer_param):
        query = request.GET.copy() if request else {}
        if hasattr(query, "pop"):
            query.pop(page_param, None)
            query.pop(param, None)
        if value:
            query[param] = value
        encoded = query.urlencode() if hasattr(query, "urlencode") else ""
        return f"?{encoded}#suggestions-{page.pk}"

    filters = [{"value": "", "label": _("All"), "count": counts["total"]}]
    filters += [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in Suggestion.Answer.choices
    ]
    filters.append({"value": AWAITING, "label": _("Awaiting an answer"), "count": counts[AWAITING]})
    for item in filters:
        item["url"] = link(item["value"])
        item["current"] = item["value"] == chosen
    user = getattr(request, "user", None)
    supported = set()
    eligible = False
    if user is not None and user.is_authenticated and listed:
        # One query for the whole page of suggestions, plus the page-level eligibility.
        supported = set(
            Support.objects.filter(user=user, suggestion__in=listed).values_list(
                "suggestion_id", flat=True
            )
        )
        eligible = may_support_on(user, page)
    for suggestion in listed:
        suggestion.field_labels = labels
        suggestion.supported_by_me = suggestion.pk in supported
        suggestion.may_support = can_support(user, suggestion, eligible=eligible)
    sorts = [
        {"value": value, "label": item["label"], "url": link(value, sort_param)}
        for value, item in SORTS.items()
    ]
    for item in sorts:
        item["current"] = item["value"] == sort
    return {
        "sorts": sorts,
        "page": page,
        "counts": counts,
        "filters": filters,
        "summary": [item for item in filters if item["value"] and item["count"]],
        "chosen": chosen,
        "page_obj": page_obj,
        "page_param": page_param,
        "suggestions": listed,
    }


def participant_user_ids(consultation):
    """Users who submitted suggestions to any suggestion form of `consultation`.

    Contract for outcomes (issue 7): they are told when the outcome is published.
    """
    return set(
        Suggestion.objects.filter(
            page__in=SuggestionFormPage.objects.child_of(consultation), user__isnull=False
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def pages_with_counts(user):
    """Suggestion forms `user` may moderate, with their pending numbers (admin filter)."""
    return (
        pages_user_can_moderate(user)
        .annotate(
            pending=Count("suggestions", filter=Q(suggestions__status=Suggestion.Status.PENDING))
        )
        .order_by("title")
    )
