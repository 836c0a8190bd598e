"""The home page and the site-wide settings editors manage in the admin."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.page_cache import RememberedViewRestrictionsMixin


class HomePage(RememberedViewRestrictionsMixin, Page):
    """The portal's front page: what is open now, what is coming, what became of it.

    Its sections are filled from the consultation pages below it; each shows a friendly
    note when there is nothing to show yet.
    """

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A few sentences welcoming residents and saying what they can do here."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["consultations.CommunityIndexPage", "consultations.ConsultationIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Every page of the site is reached through here: the route to it is remembered
        # (home/page_cache.py), so a deep page costs one query to find, not two per level.
        from home.page_cache import cached_route

        return cached_route(
            self,
            request,
            path_components,
            lambda: super(HomePage, self).route(request, path_components),
        )

    def get_context(self, request, *args, **kwargs):
        from home.sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(self, request)
        # Shown inside the shared "home-sections" fragment: looked up only when it is rendered.
        context["areas"] = SimpleLazyObject(self.areas)
        return context

    def areas(self):
        """The townships, streets and communities directly below: not the consultations
        index (a list of consultations, not an area) or other pages."""
        from consultations.models import CommunityIndexPage, CommunityPage

        return [
            page
            for page in self.get_children().live().specific()
            if isinstance(page, CommunityIndexPage | CommunityPage)
        ]


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Name, contact and footer shown on every page."""

    portal_name = models.CharField(_("portal name"), max_length=80, default="社区协商平台")
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=200, blank=True)
    footer_text = models.TextField(
        _("footer text"),
        blank=True,
        help_text=_("Shown at the bottom of every page, e.g. who runs the portal."),
    )

    panels = [
        FieldPanel("portal_name"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @classmethod
    def for_site(cls, site):
        # On every page (the header and footer): remembered under the page-cache version,
        # which saving the settings replaces (home/page_cache.py).
        from home.page_cache import remembered

        if site is None:
            return super().for_site(site)
        return remembered(
            f"portal-settings:{site.pk}", lambda: super(PortalSettings, cls).for_site(site)
        )
