"""The administrative tree: counties, townships/streets, villages and communities.

The page tree mirrors it (docs/architecture.md, "The page tree") so that page permissions granted on a
CommunityPage give that community's editors their rights, and township officials'
rights on a CommunityIndexPage reach everything below it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultations.lazy import FormClassPath
from home.page_cache import RememberedViewRestrictionsMixin
from home.slugs import PinyinSlugMixin


def _owned(model, verbose_name):
    """A key to a staff group, task or workflow the page owns (see communities/operations).

    Set by the community setup, never by editors: hidden from the edit form, left out of
    page copies (a copy gets its own) and kept when an old revision is published.
    """
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


class OwnsSetupMixin:
    """Keys to owned groups, tasks and workflows belong to the page, not to a revision."""

    owned_setup_fields = ()

    @classmethod
    def owned_setup_attnames(cls):
        return [cls._meta.get_field(name).attname for name in cls.owned_setup_fields]

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for attname in self.owned_setup_attnames():
            setattr(obj, attname, getattr(self, attname))
        return obj


class CommunityIndexPage(OwnsSetupMixin, PinyinSlugMixin, RememberedViewRestrictionsMixin, Page):
    """A county, or a township or street: groups the communities below it.

    A consultation that spans several communities sits directly under a township page
    and is organised by the township (三(二)).
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("County / district (县市区)")
        TOWNSHIP = "township", _("Township (乡镇)")
        STREET = "street", _("Street (街道)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOWNSHIP)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Office, phone or email.")
    )

    # What the area's setup owns (consultations/communities/operations.py).
    officials_group = _owned("auth.Group", _("officials group"))
    approval_task = _owned("wagtailcore.GroupApprovalTask", _("approval task"))
    area_review_task = _owned("wagtailcore.GroupApprovalTask", _("community review task"))
    approval_workflow = _owned("wagtailcore.Workflow", _("approval workflow"))
    outcome_workflow = _owned("wagtailcore.Workflow", _("outcome workflow"))

    owned_setup_fields = (
        "officials_group",
        "approval_task",
        "area_review_task",
        "approval_workflow",
        "outcome_workflow",
    )
    exclude_fields_in_copy = list(owned_setup_fields)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("contact"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "consultations.CommunityIndexPage"]
    subpage_types = [
        "consultations.CommunityIndexPage",
        "consultations.CommunityPage",
        "consultations.ConsultationPage",
    ]

    template = "consultations/communities/community_index_page.html"
    base_form_class = FormClassPath("home.forms.PortalPageForm")

    class Meta:
        verbose_name = _("county or township page")
        verbose_name_plural = _("county and township pages")

    def get_context(self, request, *args, **kwargs):
        from consultations.permissions import visible_pages

        context = super().get_context(request, *args, **kwargs)
        areas = CommunityIndexPage.objects.child_of(self)
        context["areas"] = visible_pages(areas, request).order_by("path")
        communities = CommunityPage.objects.child_of(self)
        context["communities"] = visible_pages(communities, request).order_by("path")
        return context


class CommunityPage(
    RoutablePageMixin, OwnsSetupMixin, PinyinSlugMixin, RememberedViewRestrictionsMixin, Page
):
    """One village (村) or urban residential community (社区).

    Its editors and reviewers get their page permissions here; every consultation of the
    community sits below it.
    """

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village (村)")
        URBAN = "urban", _("Urban residential community (社区)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    registered_residents = models.PositiveIntegerField(
        _("registered residents (户籍人口)"), null=True, blank=True
    )
    non_registered_residents = models.PositiveIntegerField(
        _("non-registered residents (非户籍人口)"), null=True, blank=True
    )
    office_address = models.CharField(_("committee office address"), max_length=200, blank=True)
    office_phone = models.CharField(_("committee office phone"), max_length=40, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=120, blank=True)
    office_email = models.EmailField(_("committee email"), blank=True)

    # What the community's setup owns (consultations/communities/operations.py).
    editors_group = _owned("auth.Group", _("editors group"))
    reviewers_group = _owned("auth.Group", _("reviewers group"))
    review_task = _owned("wagtailcore.GroupApprovalTask", _("review task"))
    review_workflow = _owned("wagtailcore.Workflow", _("review workflow"))
    outcome_workflow = _owned("wagtailcore.Workflow", _("outcome workflow"))

    owned_setup_fields = (
        "editors_group",
        "reviewers_group",
        "review_task",
        "review_workflow",
        "outcome_workflow",
    )
    exclude_fields_in_copy = list(owned_setup_fields)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("households"),
                FieldPanel("registered_residents"),
                FieldPanel("non_registered_residents"),
            ],
            heading=_("Population"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("office_address"),
                FieldPanel("office_phone"),
                FieldPanel("office_hours"),
                FieldPanel("office_email"),
            ],
            heading=_("Committee office"),
        ),
        InlinePanel("committee_contacts", label=_("Committee contacts")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["consultations.CommunityIndexPage"]
    subpage_types = ["consultations.ConsultationPage"]

    template = "consultations/communities/community_page.html"
    base_form_class = FormClassPath("home.forms.PortalPageForm")

    class Meta:
        verbose_name = _("community page")
        verbose_name_plural = _("community pages")

    def get_context(self, request, *args, **kwargs):
        from consultations.consultation_pages.models import ConsultationPage

        context = super().get_context(request, *args, **kwargs)
        from consultations.permissions import visible_pages

        context["consultations"] = (
            visible_pages(ConsultationPage.objects.child_of(self), request)
            .select_related("category", "format")
            .order_by("-notice_date", "-first_published_at")
        )
        return context

    # The public consultation record (三(五), 三(六)): routes, so page privacy applies.

    @path("record/", name="record")
    @path("record/<year:year>/", name="record_year")
    def record_view(self, request, year=None):
        from consultations.ledger.views import record_page

        return record_page(self, request, year)

    @path("record/feed/", name="record_feed")
    def record_feed_view(self, request):
        from consultations.ledger.views import record_feed

        return record_feed(self, request)

    @path("record/json/", name="record_json")
    @path("record/<year:year>/json/", name="record_year_json")
    def record_json_view(self, request, year=None):
        from consultations.ledger.views import record_json

        return record_json(self, request, year)


class CommitteeContact(Orderable):
    """A named contact on the community committee (书记, 主任, 委员…)."""

    page = ParentalKey(CommunityPage, on_delete=models.CASCADE, related_name="committee_contacts")
    role = models.CharField(_("role"), max_length=60)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldPanel("role"), FieldPanel("name"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = _("committee contact")
        verbose_name_plural = _("committee contacts")

    def __str__(self):
        return f"{self.role} {self.name}"
