"""Consultation pages: one topic each, with its timeline, stage and attached forms.

The procedure in the policy (三(四)) is: propose the topic, fix the participants, notify
them in advance with the content, consult, then carry out the outcome and report back.
A ConsultationPage records that procedure as dates; its stage is derived from them and
from its attached child pages (suggestion forms, hearings, polls, the outcome).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.locks import BaseLock
from wagtail.models import Page, WorkflowState
from wagtail.search import index

from consultations.communities.models import CommunityIndexPage, CommunityPage
from consultations.lazy import FormClassPath
from home.page_cache import RememberedViewRestrictionsMixin
from home.slugs import PinyinSlugMixin


class Stage(models.TextChoices):
    """Where a consultation stands (docs/architecture.md, "Stages"), in the order residents meet them."""

    DRAFT = "draft", _("Draft")
    NOTICE = "notice", _("Advance notice")
    OPEN = "open", _("Open for input")
    DELIBERATION = "deliberation", _("Deliberation")
    REFERRED = "referred", _("Referred to the residents' assembly")
    OUTCOME = "outcome", _("Outcome published")
    IMPLEMENTATION = "implementation", _("Implementation")
    CLOSED = "closed", _("Closed")


# The stages shown as steps on the timeline; "referred" replaces deliberation when set.
STAGE_ORDER = [
    Stage.DRAFT,
    Stage.NOTICE,
    Stage.OPEN,
    Stage.DELIBERATION,
    Stage.REFERRED,
    Stage.OUTCOME,
    Stage.IMPLEMENTATION,
    Stage.CLOSED,
]


# --- the catalogue ------------------------------------------------------------------
# The consultation catalogue (协商目录, policy 三(一)) and its companions.
#
# Categories, participant groups (协商主体, 三(二)) and formats (协商形式, 三(三)) are
# snippets: officials add to each in the admin. The policy's own lists are seeded by a
# data migration. Each has a Chinese name (the policy's words) and an English one.


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


CATALOGUE_CACHE_KEY = "consultations:catalogue"
CATALOGUE_CACHE_SECONDS = 300


def catalogue():
    """(categories, formats) for the listings' filters, from the cache.

    Emptied when an entry is saved or deleted (signals.py); the timeout bounds how stale
    another process's local memory cache may be (with Redis there is one copy).
    """
    from django.core.cache import cache

    cached = cache.get(CATALOGUE_CACHE_KEY)
    if cached is None:
        cached = (list(Category.objects.all()), list(Format.objects.all()))
        cache.set(CATALOGUE_CACHE_KEY, cached, CATALOGUE_CACHE_SECONDS)
    return cached


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "consultations/blocks/quote_block.html"


class ConsultationBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
    )
    image = ImageBlock(label=_("Image"))
    document = DocumentChooserBlock(
        label=_("Document"), template="consultations/blocks/document_block.html"
    )
    table = TableBlock(label=_("Table"))
    quote = QuoteBlock()


@register_setting(icon="date")
class ConsultationRules(BaseSiteSetting):
    """Minimum periods the portal enforces when a consultation is published (三(四))."""

    min_notice_days = models.PositiveSmallIntegerField(
        _("minimum days of advance notice"),
        default=3,
        help_text=_("Days between publishing the notice and the meeting or hearing."),
    )
    min_input_days = models.PositiveSmallIntegerField(
        _("minimum days open for input"),
        default=7,
        help_text=_("Days between input opening and input closing."),
    )

    class Meta:
        verbose_name = _("consultation rules")


# --- one consultation, one review ----------------------------------------------------------
# A consultation that has never gone live is reviewed together with its draft attached
# pages (the outcome excepted: it has its own legal review). Only the consultation's
# workflow runs; while it is in progress its bundled pages are locked to everyone but the
# reviewers of its current task, and its approval publishes them in the same transaction
# (consultation_pages/operations.py, called from signals.py). docs/architecture.md,
# "One consultation, one review".


class ReviewBundleLock(BaseLock):
    """The lock on an attached page while it is reviewed with its consultation.

    Like Wagtail's WorkflowLock, but the test is the consultation's current task: its
    reviewers may edit (and comment on) the page, everyone else waits for the review.
    """

    def __init__(self, object, consultation, task):
        super().__init__(object)
        self.consultation = consultation
        self.task = task

    def for_user(self, user):
        return self.task.locked_for_user(self.consultation, user)

    def get_message(self, user):
        if self.for_user(user):
            return _(
                "This page is being reviewed together with its consultation “%(title)s”. "
                "Only its reviewers can edit it until the review is finished."
            ) % {"title": self.consultation.get_admin_display_title()}
        return None

    def get_locked_by(self, user):
        return _("Locked by the consultation's review")

    def get_description(self, user):
        return _("Only the consultation's reviewers can edit it during the review.")


class ReviewBundlePanel(Panel):
    """On a consultation's edit view: the draft attached pages reviewed (and published)
    with it, with links to each one's preview and edit view (where comments are made)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultations/consultation_pages/admin/review_bundle_panel.html"

        @cached_property
        def pages(self):
            instance = self.instance
            if not getattr(instance, "pk", None) or not isinstance(instance, ConsultationPage):
                return []
            return instance.bundled_pages()

        def is_shown(self):
            return bool(self.pages)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["pages"] = self.pages
            context["in_review"] = self.instance.workflow_in_progress
            return context


class ConsultationChildPage(PinyinSlugMixin, RememberedViewRestrictionsMixin, Page):
    """Base for the pages attached to a consultation ("attached forms", docs/architecture.md).

    Each child renders a summary card on its consultation page (`card_template`, with
    the child as `child`) and may tell the consultation which stage it has reached.
    For Chinese search, keep `search_tokens` in a subclass's `search_fields`
    (`search_fields = ConsultationChildPage.search_fields + [...]`).
    """

    card_template = "consultations/includes/child_card.html"
    search_fields = Page.search_fields + [index.SearchField("search_tokens")]

    def search_tokens(self):
        from consultations.consultation_pages.search import page_search_text

        return page_search_text(self, "search_description", "intro", "body")

    parent_page_types = ["consultations.ConsultationPage"]
    subpage_types = []

    class Meta:
        abstract = True

    @cached_property
    def consultation(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def consultation_stage(self, today):
        """The stage this child puts its consultation in, or None to leave it to the dates."""
        return None

    # Whether a draft of this page is reviewed together with a consultation that has never
    # been live (the outcome announcement is not: it has its own legal review).
    reviewed_with_consultation = True

    def review_bundle_state(self):
        """The consultation's workflow state while this page is in review with it, else None."""
        if self.live or not self.reviewed_with_consultation:
            return None
        consultation = self.consultation
        if not isinstance(consultation, ConsultationPage) or not consultation.reviews_with_pages:
            return None
        state = consultation.current_workflow_state
        if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
            return None
        return state if state.current_task_state_id else None

    def get_lock(self):
        if lock := super().get_lock():
            return lock
        if state := self.review_bundle_state():
            return ReviewBundleLock(self, self.consultation, state.current_task_state.task.specific)
        return None


class ConsultationPage(RoutablePageMixin, PinyinSlugMixin, RememberedViewRestrictionsMixin, Page):
    """One consultation topic (协商议题): what is to be decided, by whom, and when.

    It sits under the community it concerns, or under a township page when the matter
    spans several communities. Residents take part through the pages attached below it:
    a suggestion form, a hearing, an advisory poll; the outcome announcement closes it.
    """

    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("Two or three sentences: what is proposed and why residents are asked."),
    )
    body = StreamField(ConsultationBodyBlock(), verbose_name=_("content"), blank=True)
    category = models.ForeignKey(
        "consultations.Category",
        verbose_name=_("topic category"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    organiser = models.CharField(
        _("organiser"),
        max_length=120,
        help_text=_("Who convenes the consultation, e.g. the village committee."),
    )
    participant_groups = ParentalManyToManyField(
        "consultations.ParticipantGroup",
        verbose_name=_("participant groups"),
        blank=True,
        related_name="consultations",
    )
    format = models.ForeignKey(
        "consultations.Format",
        verbose_name=_("consultation format"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    covered_communities = ParentalManyToManyField(
        "consultations.CommunityPage",
        verbose_name=_("communities covered"),
        blank=True,
        related_name="township_consultations",
        help_text=_("For a township-level consultation: the communities it concerns."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who residents can ask, and how.")
    )

    notice_date = models.DateField(_("notice published"), null=True, blank=True)
    input_opens = models.DateField(_("input opens"), null=True, blank=True)
    input_closes = models.DateField(_("input closes"), null=True, blank=True)
    meeting_at = models.DateTimeField(_("meeting or hearing"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    outcome_due = models.DateField(
        _("outcome due"),
        null=True,
        blank=True,
        help_text=_("The disclosure deadline for the outcome announcement (三(五))."),
    )
    referred_to_assembly = models.BooleanField(
        _("referred to the residents' assembly"),
        default=False,
        help_text=_(
            "Set when the matter is unresolved and goes to the villagers' or residents' assembly."
        ),
    )
    # A cache of derive_stage() so that listings and counts can filter in the database.
    # It is recomputed on every full save (publish, unpublish), when a child page is
    # published, unpublished or deleted, by refresh_stage(), and hourly by the command
    # `consultations_refresh_stages` (dates pass without anyone saving anything).
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.DRAFT,
        db_index=True,
        editable=False,
    )

    content_panels = Page.content_panels + [
        ReviewBundlePanel(heading=_("Reviewed and published together")),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("format"),
                FieldPanel("organiser"),
                FieldPanel("participant_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("covered_communities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("contact"),
            ],
            heading=_("Who and what"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("notice_date"), FieldPanel("outcome_due")]),
                FieldRowPanel([FieldPanel("input_opens"), FieldPanel("input_closes")]),
                FieldRowPanel([FieldPanel("meeting_at"), FieldPanel("meeting_place")]),
                FieldPanel("referred_to_assembly"),
            ],
            heading=_("Timeline"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("search_tokens"),
        index.FilterField("stage"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("organiser"),
        index.FilterField("category"),
        index.FilterField("format"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    # Open data (Wagtail API v2, `?type=consultations.ConsultationPage&fields=*`); the
    # listing's queries are fixed by `api_queryset` (portal/api.py asks for it).
    api_fields = [
        APIField("summary"),
        APIField("organiser"),
        APIField("community", serializer=serializers.JSONField(source="api_community")),
        APIField("category", serializer=serializers.StringRelatedField()),
        APIField("format", serializer=serializers.StringRelatedField()),
        APIField("stage"),
        APIField("notice_date"),
        APIField("input_opens"),
        APIField("input_closes"),
        APIField("meeting_at"),
        APIField("outcome_due"),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        """The API listing in a fixed number of queries: catalogue and parent joined in."""
        parent = Page.objects.filter(
            path=Substr(models.OuterRef("path"), 1, Length(models.OuterRef("path")) - Page.steplen)
        )
        return queryset.select_related("category", "format").annotate(
            api_parent_id=models.Subquery(parent.values("pk")[:1]),
            api_parent_title=models.Subquery(parent.values("title")[:1]),
        )

    @property
    def api_community(self):
        """The page it sits under (a community, or a township for a shared matter)."""
        if not hasattr(self, "api_parent_id"):
            parent = self.get_parent()
            self.api_parent_id, self.api_parent_title = parent.pk, parent.title
        return {"id": self.api_parent_id, "title": self.api_parent_title}

    # Under a village/community, or under a township, street or county page for a matter
    # that spans communities: the policy lets "乡镇、街道或县市区" organise those (三(二)).
    parent_page_types = ["consultations.CommunityPage", "consultations.CommunityIndexPage"]
    base_form_class = FormClassPath("consultations.consultation_pages.forms.ConsultationPageForm")
    # Attached pages register themselves here as their capabilities land.
    subpage_types = [
        "consultations.SuggestionFormPage",
        "consultations.PollPage",
        "consultations.HearingPage",
        "consultations.OutcomePage",
    ]

    template = "consultations/consultation_pages/consultation_page.html"

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    # --- where it sits -------------------------------------------------------------------

    @cached_property
    def community(self):
        """The CommunityPage it belongs to, or None for a township-level consultation."""
        parent = self.get_parent()
        return parent.specific if parent and parent.specific_class is CommunityPage else None

    @cached_property
    def area(self):
        """The nearest CommunityIndexPage above it (its township or street)."""
        return CommunityIndexPage.objects.ancestor_of(self).order_by("-depth").first()

    def scope_communities(self):
        """The communities whose residents this consultation concerns."""
        if self.community:
            return CommunityPage.objects.filter(pk=self.community.pk)
        if self.pk and self.covered_communities.exists():
            return self.covered_communities.all()
        if self.area:
            return CommunityPage.objects.descendant_of(self.area)
        return CommunityPage.objects.none()

    # --- the stage ---------------------------------------------------------------------

    def attached_pages(self):
        """Live child pages as their specific classes (one query per page type)."""
        return self.get_children().live().specific().order_by("path")

    @property
    def reviews_with_pages(self):
        """True until the consultation first goes live: its review takes its drafts along."""
        return not self.live and self.first_published_at is None

    def bundled_pages(self):
        """The draft attached pages reviewed and published with this consultation.

        Only while the consultation has never gone live: a page added to a live
        consultation goes through its own review.
        """
        if not self.reviews_with_pages:
            return []
        children = self.get_children().not_live().specific().order_by("path")
        return [child for child in children if getattr(child, "reviewed_with_consultation", False)]

    def derive_stage(self, today=None, children=None):
        """The stage on `today` (a date in the site's time zone).

        Attached pages speak first (a published outcome moves the consultation past
        deliberation); then the manual referral to the assembly; then the dates.
        """
        if not self.live:
            return Stage.DRAFT
        today = today or timezone.localdate()
        children = self.attached_pages() if children is None else children
        child_stages = [
            stage
            for child in children
            if (stage := getattr(child, "consultation_stage", lambda today: None)(today))
        ]
        if child_stages:
            return max(child_stages, key=STAGE_ORDER.index)
        if self.referred_to_assembly:
            return Stage.REFERRED
        if self.input_opens and today < self.input_opens:
            return Stage.NOTICE
        if self.input_opens and self.input_closes and today <= self.input_closes:
            return Stage.OPEN
        if self.input_opens and not self.input_closes:
            return Stage.OPEN
        if not self.input_opens and self.meeting_at and today < timezone.localdate(self.meeting_at):
            return Stage.NOTICE
        return Stage.DELIBERATION

    def search_tokens(self):
        """Title, summary and text in the form Chinese search needs (see search.py)."""
        from consultations.consultation_pages.search import page_search_text

        return page_search_text(self, "summary", "organiser", "meeting_place", "body")

    def refresh_stage(self, today=None):
        """Store derive_stage() in `stage` and return it.

        Call this after anything derive_stage() reads has changed (a child page's state,
        the date). It writes one column, without a revision, a log entry or signals.
        """
        if not self.pk:
            return self.stage
        stage = self.derive_stage(today=today)
        type(self).objects.filter(pk=self.pk).exclude(stage=stage).update(stage=stage)
        self.stage = stage
        return stage

    def save(self, *args, **kwargs):
        # A full save (create, publish, unpublish, edit of a draft) recomputes the cached
        # stage. Partial saves (save_revision of a live page) leave it: their in-memory
        # field values are the unpublished draft, not what the public sees.
        if kwargs.get("update_fields") is None:
            self.stage = self.derive_stage(children=None if self.pk else [])
        return super().save(*args, **kwargs)

    def timeline(self):
        """The dated steps shown on the page, in order."""
        return [
            {"label": _("Notice published"), "date": self.notice_date, "key": "notice"},
            {"label": _("Input opens"), "date": self.input_opens, "key": "open"},
            {"label": _("Input closes"), "date": self.input_closes, "key": "close"},
            {"label": _("Meeting or hearing"), "date": self.meeting_at, "key": "meeting"},
            {"label": _("Outcome due"), "date": self.outcome_due, "key": "outcome"},
        ]

    # --- rules -------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.input_opens and self.input_closes and self.input_closes < self.input_opens:
            errors["input_closes"] = _("Input cannot close before it opens.")
        if self.notice_date and self.input_opens and self.input_opens < self.notice_date:
            errors["input_opens"] = _("Input cannot open before the notice is published.")
        if errors:
            raise ValidationError(errors)

    def notice_rule_errors(self, rules, today=None):
        """Field errors for the advance-notice rules (三(四) "提前通报"), checked on publish.

        A missing notice date counts as the day of publication.
        """
        errors = {}
        notice = self.notice_date or today or timezone.localdate()
        if self.meeting_at and rules.min_notice_days:
            days = (timezone.localdate(self.meeting_at) - notice).days
            if days < rules.min_notice_days:
                errors["meeting_at"] = _(
                    "The meeting or hearing must be at least %(min)d days after the notice "
                    "is published (it is %(days)d). Residents must be told in advance."
                ) % {"min": rules.min_notice_days, "days": days}
        if self.input_opens and self.input_closes and rules.min_input_days:
            days = (self.input_closes - self.input_opens).days
            if days < rules.min_input_days:
                errors["input_closes"] = _(
                    "Input must stay open for at least %(min)d days (it is %(days)d)."
                ) % {"min": rules.min_input_days, "days": days}
        return errors

    def get_context(self, request, *args, **kwargs):
        from home.page_cache import remembered

        context = super().get_context(request, *args, **kwargs)
        # Changes only when a child is published, unpublished, moved or deleted, each of
        # which replaces the page-cache version: remembered, each request gets its own copy.
        children = remembered(f"attached-pages:{self.pk}", lambda: list(self.attached_pages()))
        for child in children:
            # Each card and stage asks its child for the consultation: it is this page, so
            # the summaries need no query to find it (fixed queries per page, not per card).
            child.__dict__["consultation"] = self
        context["attached_pages"] = children
        # "What you can do now" names only the ways of taking part this page offers.
        context["ways_to_take_part"] = {child._meta.model_name for child in children} & {
            "suggestionformpage",
            "hearingpage",
            "pollpage",
        }
        # Render the stage derived now; the stored copy (for listings) may lag behind a
        # date that has just passed. It is healed on save and by the hourly command
        # `consultations_refresh_stages`, never by a page view (no writes on GET).
        # Looked up only when a shared fragment showing them is rendered (lazy): a fresh
        # fragment needs neither the children's stages nor the community.
        context["stage"] = SimpleLazyObject(lambda: self.derive_stage(children=children))
        context["stage_order"] = [s for s in STAGE_ORDER if s != Stage.DRAFT]
        context["feeds"] = SimpleLazyObject(lambda: consultation_feed_links(self.community))
        context["print_url"] = (self.get_url(request) or "") + self.reverse_subpage("print")
        return context

    @path("print/", name="print")
    def print_view(self, request):
        """A4 notice for the village notice board (村务公开栏), with a QR code to this page."""
        return self.render(request, template="consultations/consultation_pages/print.html")


class ConsultationIndexPage(
    RoutablePageMixin, PinyinSlugMixin, RememberedViewRestrictionsMixin, Page
):
    """The site-wide list of consultations, with filters, search and a feed."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    template = "consultations/consultation_pages/consultation_index_page.html"

    class Meta:
        verbose_name = _("consultation index")

    def get_context(self, request, *args, **kwargs):
        from consultations.consultation_pages.listing import ConsultationListing

        context = super().get_context(request, *args, **kwargs)
        from consultations.permissions import visible_pages

        # Built when the template first asks: while the listing's shared fragment is fresh
        # (`{% cache %}` in listing.html), none of its queries run.
        context["listing"] = SimpleLazyObject(
            lambda: ConsultationListing(
                request,
                visible_pages(ConsultationPage.objects.all(), request),
                with_community_filter=True,
            )
        )
        context["feeds"] = consultation_feed_links(None)
        return context


def consultation_feed_links(community):
    """The feed addresses for <link rel="alternate">: one community's, or site-wide."""
    from django.urls import reverse

    kwargs = {"community_id": community.pk} if community else {}
    suffix = "_community" if community else ""
    return {
        "rss": reverse(f"consultation_pages:feed_rss{suffix}", kwargs=kwargs),
        "atom": reverse(f"consultation_pages:feed_atom{suffix}", kwargs=kwargs),
    }
