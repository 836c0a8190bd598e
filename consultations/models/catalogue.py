"""The consultation catalogue (协商目录, policy 三(一)) and its companions.

Categories, participant groups (协商主体, 三(二)) and formats (协商形式, 三(三)) are
snippets: officials add to each in the admin. The policy's own lists are seeded by a
data migration. Each has a Chinese name (the policy's words) and an English one.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class CatalogueEntry(index.Indexed, models.Model):
    name = models.CharField(_("name (Chinese)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_en")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name in the reader's language, falling back to the policy's Chinese."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Category(CatalogueEntry):
    """A topic category of the consultation catalogue (协商目录)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("topic category")
        verbose_name_plural = _("topic categories")


class ParticipantGroup(CatalogueEntry):
    """A consulting party (协商主体): who takes part in a consultation."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("participant group")
        verbose_name_plural = _("participant groups")


class Format(CatalogueEntry):
    """A consultation format (协商形式): assembly, hearing, online consultation…"""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("consultation format")
        verbose_name_plural = _("consultation formats")
