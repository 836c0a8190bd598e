"""Admin page forms: the slug may be left empty and is then made from the title.

With unicode slugs off (portal/settings.py) the admin's title→slug sync leaves the slug
of a Chinese title empty (or with only its Latin part); the page makes a pinyin slug on
save (`home.slugs.PinyinSlugMixin`), so the field is optional and says so.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

SLUG_HELP = _(
    "The last part of the page's address, in lower-case letters, digits and hyphens. "
    "Leave it empty to make a short one from the title (pinyin for Chinese)."
)


class PinyinSlugFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP


class PortalPageForm(PinyinSlugFormMixin, WagtailAdminPageForm):
    """The admin form of portal pages without a form of their own."""


class PortalFormPageForm(PinyinSlugFormMixin, WagtailAdminFormPageForm):
    """The admin form of form-builder pages (suggestion forms, hearings)."""
