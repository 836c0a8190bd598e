"""The one error base class of the consultation capabilities.

An operation that a rule refuses raises a subclass of `ConsultationError` (for example
`SuggestionRefused`, `HearingError`, `PollError`, `OutcomeError`). Its `message` is a
translatable text written for the resident or the staff member who asked, so views show
it as it is; `code` names the refusal for scripts and tests; `status` is the HTTP status
a view answers with when the refusal ends the request.
"""

from django.utils.translation import gettext_lazy as _


class ConsultationError(Exception):
    """An operation refused by a rule; `message` is safe to show to the person who asked."""

    default_message = _("This cannot be done now.")
    code = "refused"
    status = 400

    def __init__(self, message=None, *, code=None, status=None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        super().__init__(str(self.message))
