"""Admin registration: snippets for the catalogue, then each capability's own hooks."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .communities import wagtail_hooks as _communities_hooks  # noqa: F401
from .consultation_pages import wagtail_hooks as _consultation_pages_hooks  # noqa: F401
from .hearings import wagtail_hooks as _hearings_hooks  # noqa: F401
from .ledger import wagtail_hooks as _ledger_hooks  # noqa: F401
from .models import Category, Format, ParticipantGroup
from .outcomes import wagtail_hooks as _outcomes_hooks  # noqa: F401
from .polls import wagtail_hooks as _polls_hooks  # noqa: F401
from .residents import wagtail_hooks as _residents_hooks  # noqa: F401
from .roster import wagtail_hooks as _roster_hooks  # noqa: F401
from .suggestions import wagtail_hooks as _suggestions_hooks  # noqa: F401

register_snippet(Category)
register_snippet(ParticipantGroup)
register_snippet(Format)


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    """The portal's admin screens keep their styles in one file, none inline (CSP)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
