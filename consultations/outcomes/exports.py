"""An outcome's implementation record as a spreadsheet (consultations/exports.py): the
decision items on one sheet, every progress update on a second."""

from django.utils.translation import gettext_lazy as _

from consultations.exports import Sheet


def implementation_sheets(items):
    """`items`: the outcome's decision items with their updates prefetched."""
    decisions = Sheet(
        _("Decisions"),
        [
            ("number", _("No.")),
            ("decision", _("Decision")),
            ("get_status_display", _("Adoption")),
            ("reason", _("Reason")),
            ("responsible", _("Responsible")),
            ("due_date", _("Due")),
            ("get_implementation_display", _("Implementation status")),
        ],
        [{"number": i, "item": item} for i, item in enumerate(items, start=1)],
        row=lambda row: {
            "number": row["number"],
            "decision": row["item"].decision,
            "get_status_display": row["item"].get_status_display(),
            "reason": row["item"].reason,
            "responsible": row["item"].responsible,
            "due_date": row["item"].due_date,
            "get_implementation_display": row["item"].get_implementation_display(),
        },
    )
    progress = Sheet(
        _("Progress"),
        [
            ("number", _("No.")),
            ("date", _("Date")),
            ("text", _("What was done")),
            ("status", _("New status")),
        ],
        [
            {
                "number": i,
                "date": update.date,
                "text": update.text,
                "status": update.get_new_status_display() if update.new_status else "",
            }
            for i, item in enumerate(items, start=1)
            for update in item.updates.all()
        ],
    )
    return [decisions, progress]
