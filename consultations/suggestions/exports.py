"""The suggestions queue as a spreadsheet (consultations/exports.py): the same rows as the
list with its filters, each suggestion's answers to its form's fields, and the answer."""

from django.utils.translation import gettext_lazy as _

from consultations.exports import Sheet
from consultations.suggestions.models import SuggestionFormPage


def suggestion_sheet(suggestions, form_labels):
    """`suggestions` as the queue shows them; `form_labels` {page id: "consultation – form"}.

    A column per form field of the forms concerned, matched by the field's name, so one
    form's export has exactly its own fields.
    """
    suggestions = list(suggestions)
    pages = SuggestionFormPage.objects.filter(
        pk__in={s.page_id for s in suggestions}
    ).prefetch_related("form_fields")
    form_fields = {}
    for page in sorted(pages, key=lambda p: p.pk):
        for form_field in page.form_fields.all():
            form_fields.setdefault(form_field.clean_name, form_field.label)
    columns = [
        ("pk", _("Number")),
        ("submit_time", _("Submitted")),
        ("author", _("Author")),
        ("email", _("Email")),
        ("show_name", _("Name shown")),
        ("form", _("Suggestion form")),
        *[(f"data.{name}", label) for name, label in form_fields.items()],
        ("attachment_name", _("Attachment")),
        ("get_status_display", _("Status")),
        ("rejection_reason", _("Reason for rejection")),
        ("merged_into_id", _("Merged into")),
        ("answer_label", _("Answer")),
        ("answer", _("Explanation")),
        ("answered_at", _("Answered")),
        ("support_count", _("Supporters")),
        ("assisted", _("Submitted at the office")),
    ]

    def rows():
        for s in suggestions:
            data = s.form_data or {}
            yield {
                "pk": s.pk,
                "form": form_labels.get(s.page_id, ""),
                "submit_time": s.submit_time,
                "author": s.roster_person.full_name
                if s.roster_person_id
                else (s.user.get_full_name() if s.user else ""),
                "email": s.user.email if s.user else "",
                "show_name": bool(s.show_name),
                "data": {name: data.get(name, "") for name in form_fields},
                "attachment_name": s.attachment_name,
                "get_status_display": s.get_status_display(),
                "rejection_reason": s.rejection_reason,
                "merged_into_id": s.merged_into_id or "",
                "answer_label": s.get_answer_status_display() if s.answer_status else "",
                "answer": s.answer,
                "answered_at": s.answered_at,
                "support_count": s.support_count,
                "assisted": s.assisted_by_id is not None,
            }

    return Sheet(_("Suggestions"), columns, rows())
