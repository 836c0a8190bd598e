"""Admin registration: snippets for the catalogue; capabilities add their own hooks."""

from wagtail.snippets.models import register_snippet

from .models import Category, Format, ParticipantGroup

register_snippet(Category)
register_snippet(ParticipantGroup)
register_snippet(Format)

from .hearings import wagtail_hooks as _hearings_hooks  # noqa: E402, F401
from .polls import wagtail_hooks as _polls_hooks  # noqa: E402, F401
from .consultation_pages import wagtail_hooks as _consultation_pages_hooks  # noqa: E402, F401
from .suggestions import wagtail_hooks as _suggestions_hooks  # noqa: E402, F401
from .outcomes import wagtail_hooks as _outcomes_hooks  # noqa: E402, F401
