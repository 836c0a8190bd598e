"""Staff views in the Wagtail admin: the moderation queue, one suggestion, exports.

Staff see only suggestions of pages they may edit (their community's tree); a request
about any other suggestion is refused the Wagtail admin's way (consultations.permissions).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.models import Page

from consultations.errors import ConsultationError
from consultations.exports import PortalExportMixin, Spreadsheet
from consultations.permissions import (
    can_act_for_person,
    can_moderate_suggestions,
    may_assist_residents,
    refuse_unless,
    suggestions_user_can_moderate,
)
from consultations.suggestions.models import Suggestion, SuggestionFormPage

from . import operations
from .exports import suggestion_sheet
from .forms import AnswerForm, AssistedPersonForm, BulkModerationForm


def _selected_ids(values):
    ids = set()
    for value in values:
        refuse_unless(str(value).isdigit())
        ids.add(int(value))
    return ids


def _moderate(request, ids):
    """Apply the posted bulk action to `ids`; every id must be the user's to moderate."""
    allowed = suggestions_user_can_moderate(request.user)
    suggestions = list(allowed.filter(pk__in=ids).select_related("page", "user"))
    refuse_unless(ids and len(suggestions) == len(ids))
    form = BulkModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    action = form.cleaned_data["action"]
    target = None
    if action == "merge":
        target = allowed.filter(pk=form.cleaned_data["merge_into"]).first()
        if target is None:
            messages.error(request, _("There is no suggestion with that number that you manage."))
            return False
    try:
        # One transaction for the whole batch: refused as a whole, nothing changed.
        done = operations.moderate_suggestions(
            action,
            suggestions,
            request.user,
            reason=form.cleaned_data["reason"],
            target=target,
        )
    except ConsultationError as error:
        messages.error(request, error.message)
        return False
    messages.success(
        request,
        ngettext("%(count)d suggestion updated.", "%(count)d suggestions updated.", done)
        % {"count": done},
    )
    return True


def _with_consultation_titles(pages):
    """Label each suggestion form "consultation – form" with one query for all parents."""
    parent_paths = {page.path[: -page.steplen] for page in pages}
    titles = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
    for page in pages:
        parent = titles.get(page.path[: -page.steplen])
        page.form_label = f"{parent} – {page.title}" if parent else page.title
    return pages


def queue(request):
    """Pending (or any) suggestions of the user's communities, with filters and bulk actions."""
    if request.method == "POST":
        ids = _selected_ids(request.POST.getlist("selected"))
        if not ids:
            messages.error(request, _("Select at least one suggestion."))
        else:
            _moderate(request, ids)
        return redirect(request.get_full_path())

    suggestions = (
        suggestions_user_can_moderate(request.user)
        .select_related("page", "user", "merged_into", "assisted_by", "roster_person")
        .order_by("-submit_time", "-pk")
    )
    # "Most supported first" helps editors answer what many residents back.
    order = request.GET.get("order", "")
    if order == "support":
        suggestions = suggestions.order_by("-support_count", "-submit_time", "-pk")
    else:
        order = ""
    status = request.GET.get("status", Suggestion.Status.PENDING)
    if status in Suggestion.Status.values:
        suggestions = suggestions.filter(status=status)
    else:
        status = ""
    answer = request.GET.get("answer", "")
    if answer == operations.AWAITING:
        suggestions = suggestions.filter(status=Suggestion.Status.PUBLISHED, answer_status="")
    elif answer in Suggestion.Answer.values:
        suggestions = suggestions.filter(answer_status=answer)
    else:
        answer = ""
    pages = _with_consultation_titles(list(operations.pages_with_counts(request.user)))
    page_id = request.GET.get("page_id", "")
    if page_id.isdigit() and int(page_id) in {p.pk for p in pages}:
        suggestions = suggestions.filter(page_id=int(page_id))
    else:
        page_id = ""
    labels = {p.pk: p.form_label for p in pages}
    # The export is the list as filtered, every page of it (consultations/exports.py).
    spreadsheet = Spreadsheet(request, "suggestions")
    if spreadsheet.is_export:
        return spreadsheet.response([suggestion_sheet(suggestions, labels)])
    page_obj = Paginator(suggestions, 50).get_page(request.GET.get("p"))
    for suggestion in page_obj.object_list:
        suggestion.form_label = labels.get(suggestion.page_id, suggestion.page.title)
    return TemplateResponse(
        request,
        "consultations/suggestions/admin/queue.html",
        {
            "header_title": _("Suggestions"),
            "page_title": _("Suggestions"),
            "header_icon": "comment",
            "page_obj": page_obj,
            "suggestions": page_obj.object_list,
            "statuses": Suggestion.Status.choices,
            "answers": Suggestion.Answer.choices,
            "awaiting": operations.AWAITING,
            "pages": pages,
            "status": status,
            "answer": answer,
            "page_id": page_id,
            "can_assist": may_assist_residents(request.user),
            "bulk_form": BulkModerationForm(),
            "spreadsheet": spreadsheet,
        },
    )


def detail(request, pk):
    """One suggestion with its data, moderation buttons and the answering form."""
    suggestion = get_object_or_404(
        Suggestion.objects.select_related(
            "page", "user", "merged_into", "answered_by", "assisted_by", "roster_person"
        ),
        pk=pk,
    )
    refuse_unless(can_moderate_suggestions(request.user, suggestion.page))
    answer_form = AnswerForm(instance=suggestion)
    if request.method == "POST":
        if request.POST.get("action") == "answer":
            answer_form = AnswerForm(request.POST, instance=Suggestion.objects.get(pk=pk))
            if answer_form.is_valid():
                try:
                    operations.answer_suggestion(
                        suggestion,
                        request.user,
                        answer_form.cleaned_data["answer_status"],
                        answer_form.cleaned_data["answer"],
                    )
                except ConsultationError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("The answer is saved and the author is told."))
                    return redirect("suggestions_admin:detail", pk=pk)
        else:
            # Publish, reject or merge this one suggestion; messages say how it went.
            _moderate(request, {pk})
            return redirect("suggestions_admin:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "consultations/suggestions/admin/detail.html",
        {
            "header_title": suggestion.title,
            "page_title": _("Suggestion no. %(number)s") % {"number": suggestion.pk},
            "header_icon": "comment",
            "suggestion": suggestion,
            "answer_form": answer_form,
            "bulk_form": BulkModerationForm(),
            "queue_url": reverse("suggestions_admin:queue"),
        },
        status=status,
    )


def export(request, page_id, file_format):
    """One form's suggestions, every status: the queue's export of that form."""
    if file_format not in Spreadsheet.FORMATS:
        return HttpResponseBadRequest()
    page = get_object_or_404(SuggestionFormPage, pk=page_id)
    refuse_unless(can_moderate_suggestions(request.user, page))
    params = {"page_id": str(page.pk), "status": "all", "export": file_format}
    return queue(Spreadsheet.list_request(request, **params))


class SafeSubmissionsListView(PortalExportMixin, SubmissionsListView):
    """Wagtail's own submissions list (Forms menu), exported like every portal list."""

    export_sheet_title = _("Suggestions")


def assisted_submit(request, page_id):
    """At the office: a worker submits a suggestion for a person on the roster, through the
    same operation and checks as online. Needs the right to act for residents of the
    person's community (`can_act_for_person`); the suggestion is marked assisted."""
    page = get_object_or_404(SuggestionFormPage, pk=page_id)
    refuse_unless(can_moderate_suggestions(request.user, page))
    consultation = page.consultation
    community_ids = set(
        consultation.scope_communities().values_list("pk", flat=True) if consultation else ()
    )
    if page.restrict_to_community_id:
        community_ids.add(page.restrict_to_community_id)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    person_form = AssistedPersonForm(data, prefix="person", community_ids=community_ids)
    form = page.get_form_class()(data, files, page=page, user=request.user)
    status = 200
    if request.method == "POST":
        person_ok, form_ok = person_form.is_valid(), form.is_valid()
        if person_ok:
            refuse_unless(can_act_for_person(request.user, person_form.person))
        if person_ok and form_ok:
            person = person_form.person
            account = getattr(getattr(person, "link", None), "user", None)
            try:
                operations.submit_suggestion(
                    page, account, form, assisted_by=request.user, roster_person=person
                )
            except ConsultationError as error:
                person_form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The suggestion of %(name)s has been submitted and marked as assisted.")
                    % {"name": person.full_name},
                )
                return redirect(reverse("suggestions_admin:queue") + f"?page_id={page.pk}")
        status = 400
    return TemplateResponse(
        request,
        "consultations/suggestions/admin/assisted.html",
        {"page": page, "person_form": person_form, "form": form},
        status=status,
    )
