"""Outcome announcements and their implementation record (三(五)).

The policy asks that the outcome of a consultation is adopted and carried out, disclosed
within a set deadline on the notice board and online, reported back to participants and
residents, explained to those who disagreed, reported to the government for commissioned
matters, and corrected by the government when unlawful. The OutcomePage records the
announcement; its DecisionItems carry the implementation record, one dated ProgressUpdate
at a time; the LegalReviewTask is the lawfulness check in its publishing workflow.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PagePermissionTester, Revision, Task, TaskState
from wagtail.search import index

from consultations.consultation_pages.models import ConsultationChildPage, Stage
from consultations.errors import ConsultationError
from consultations.lazy import FormClassPath


class LegalReviewRequired(ConsultationError, PermissionDenied):
    """An outcome revision was about to go live without a completed legal review.

    Also a PermissionDenied, so that Wagtail's admin and Django answer it as a refusal
    (never a 500) wherever a caller did not expect it.
    """

    default_message = _(
        "An outcome announcement goes live only after the legal review has confirmed this version."
    )
    code = "legal_review_required"
    status = 403


class DecisionStatus(models.TextChoices):
    """What became of a decision item (三(五): adoption; 三(四): referral to the assembly)."""

    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    REFERRED = "referred", _("Referred to the residents' assembly")
    REPORTED = "reported", _("Reported to the township or government")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Items that nobody has to carry out are finished from the start.
FINISHED_IMPLEMENTATION = (ImplementationStatus.DONE, ImplementationStatus.NOT_APPLICABLE)


class AssemblyResult(models.TextChoices):
    PENDING = "", _("Not yet decided")
    APPROVED = "approved", _("Approved by the assembly")
    REJECTED = "rejected", _("Rejected by the assembly")
    NO_QUORUM = "no_quorum", _("No decision: quorum not met")


# --- the legal review task -----------------------------------------------------------


class LegalReviewTask(Task):
    """A lawfulness check before an outcome goes live (三(五): unlawful outcomes are corrected).

    Members of the reviewer group either confirm the outcome is lawful, or send it back
    with the correction needed (a comment is required).
    """

    reviewers = models.ForeignKey(
        Group,
        verbose_name=_("legal reviewers"),
        on_delete=models.PROTECT,
        related_name="legal_review_tasks",
        help_text=_("Members of this group confirm that an outcome is lawful."),
    )

    admin_form_fields = Task.admin_form_fields + ["reviewers"]

    class Meta:
        verbose_name = _("legal review task")
        verbose_name_plural = _("legal review tasks")

    def _is_reviewer(self, user):
        from consultations.permissions import is_legal_reviewer

        return is_legal_reviewer(user, self)

    def user_can_access_editor(self, obj, user):
        return self._is_reviewer(user)

    def locked_for_user(self, obj, user):
        return not self._is_reviewer(user)

    def get_actions(self, obj, user):
        if not self._is_reviewer(user):
            return []
        return [
            ("reject", _("Send back with the correction needed"), True),
            ("approve", _("Confirm lawful"), False),
            ("approve", _("Confirm lawful with comment"), True),
        ]

    def get_form_for_action(self, action):
        from .forms import LegalReviewRejectForm, LegalReviewTaskStateForm

        return LegalReviewRejectForm if action == "reject" else LegalReviewTaskStateForm

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise ValidationError(_("Say which correction is needed."))
        if action_name == "approve":
            # Only legal reviewers may edit during this step (locked_for_user), and
            # Wagtail publishes the latest revision when the workflow finishes: the
            # confirmation is recorded on the version the reviewer has in front of them.
            latest_id = (
                Revision.objects.filter(
                    base_content_type_id=task_state.revision.base_content_type_id,
                    object_id=task_state.revision.object_id,
                )
                .order_by("-created_at", "-id")
                .values_list("pk", flat=True)
                .first()
            )
            if latest_id and latest_id != task_state.revision_id:
                task_state.revision_id = latest_id
                task_state.save(update_fields=["revision"])
        redirect_url = super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            # The workflow is done and the outcome live: the reviewer, who may no longer
            # edit it, lands on the published outcome (Wagtail's workflow action view
            # redirects to what this returns), not on a permission error.
            page = Page.objects.filter(pk=task_state.revision.object_id, live=True).first()
            if page is not None:
                return page.get_url() or redirect_url
        return redirect_url

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self._is_reviewer(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("A legal reviewer confirms the outcome is lawful or sends it back for correction")


# --- the outcome announcement --------------------------------------------------------


class OutcomePermissionTester(PagePermissionTester):
    """Page permissions for an outcome: only officials of the area may publish it.

    Community reviewers can publish ordinary consultation pages; an outcome announcement
    is published by the township/street (三(五)), or goes live through its workflow.
    The roles are defined in consultations.permissions (`can_publish_outcome` asks this).
    """

    def _is_official(self):
        from consultations.permissions import is_official_above

        return is_official_above(self.user, self.page)

    def _is_final_legal_reviewer(self):
        """The legal reviewer's confirmation is the last step, and it publishes the page."""
        from wagtail.models import WorkflowState

        state = (
            WorkflowState.objects.for_instance(self.page)
            .select_related("current_task_state")
            .order_by("-created_at", "-pk")
            .first()
        )
        task_state = state.current_task_state if state else None
        if task_state is None:
            return False
        task = task_state.task.specific
        if not isinstance(task, LegalReviewTask) or not task._is_reviewer(self.user):
            return False
        # The workflow has just finished on the reviewer's approval and is publishing.
        # (While the review is in progress the reviewer approves; a "Publish" pressed
        # instead would publish a version nobody has confirmed.)
        return (
            state.status == WorkflowState.STATUS_APPROVED
            and task_state.status == TaskState.STATUS_APPROVED
            and task_state.finished_by_id == self.user.pk
            and self.page.has_unpublished_changes
        )

    def can_publish(self):
        """Only the legal reviewer's confirmation publishes an outcome, for every role.

        Officials, reviewers and superusers approve their steps of the workflow; none of
        them may press Publish, which would cancel the workflow before the legal review
        (bulk publish and scheduling ask this too). A superuser's exception is the
        explicit, logged override (`operations.publish_with_legal_override`).
        """
        return bool(self.user.is_active and self._is_final_legal_reviewer())

    def can_unpublish(self):
        return super().can_unpublish() and self._is_official()

    def can_move(self):
        # A live announcement belongs to its consultation; moving it would publish it
        # under another one without review. Unpublish it first.
        return super().can_move() and not self.page.live

    def can_move_to(self, destination):
        return super().can_move_to(destination) and not self.page.live


class OutcomePage(RoutablePageMixin, ConsultationChildPage):
    """The outcome announcement of a consultation (协商成果公告), published by officials.

    It states the consultation opinion, how the consultation was held, the explanation
    to residents who disagreed, and the decision items with their implementation record.
    It is printed for the notice board (村务公开栏) from its print view.
    """

    # Never reviewed together with its consultation: it has its own legal review.
    reviewed_with_consultation = False

    opinion = RichTextField(
        _("consultation opinion (协商意见)"),
        features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        help_text=_("The opinion the consultation arrived at."),
    )
    held_from = models.DateField(_("consultation held from"), null=True, blank=True)
    held_until = models.DateField(_("consultation held until"), null=True, blank=True)
    how_held = models.TextField(
        _("how the consultation was held"),
        blank=True,
        help_text=_(
            "Format, participants and anything the figures below do not say "
            "(e.g. an offline meeting). Figures from the hearing, poll and suggestions "
            "are added automatically."
        ),
    )
    dissent_explanation = RichTextField(
        _("explanation to those who disagreed"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Why views that were not followed were not followed (三(五))."),
    )
    consultation_page = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The parent consultation, kept for the tracker's filters."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("opinion"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("held_from"), FieldPanel("held_until")]),
                FieldPanel("how_held"),
            ],
            heading=_("How it was held"),
        ),
        FieldPanel("dissent_explanation"),
        InlinePanel("decision_items", label=_("Decision items"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("opinion"),
        index.SearchField("dissent_explanation"),
    ]

    # Open data: the opinion and every decision item with its status and progress.
    api_fields = [
        APIField("opinion"),
        APIField("held_from"),
        APIField("held_until"),
        APIField("how_held"),
        APIField("decision_items", serializer=serializers.JSONField(source="api_decision_items")),
    ]

    @classmethod
    def api_queryset(cls, queryset):
        return queryset.prefetch_related("decision_items")

    @property
    def api_decision_items(self):
        return [
            {
                "decision": item.decision,
                "status": item.status,
                "status_label": str(item.get_status_display()),
                "implementation": item.implementation,
                "implementation_label": str(item.get_implementation_display()),
                "responsible": item.responsible,
                "due_date": item.due_date.isoformat() if item.due_date else None,
            }
            for item in self.decision_items.all()
        ]

    max_count_per_parent = 1
    base_form_class = FormClassPath("consultations.outcomes.forms.OutcomePageForm")
    template = "consultations/outcomes/outcome_page.html"
    card_template = "consultations/outcomes/outcome_card.html"

    class Meta:
        verbose_name = _("outcome announcement")
        verbose_name_plural = _("outcome announcements")

    def save(self, *args, **kwargs):
        if self.path:
            parent = self.get_parent()
            self.consultation_page_id = parent.pk if parent is not None else None
        self._keep_legal_review(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    # --- legal review: the last line ------------------------------------------------------

    def legal_clearance(self, revision_id):
        """How `revision_id` may be live: "reviewed", "override" or None (it may not)."""
        if not revision_id:
            return None
        reviewed = TaskState.objects.filter(
            revision_id=revision_id,
            status=TaskState.STATUS_APPROVED,
            task__in=LegalReviewTask.objects.all(),
        ).exists()
        if reviewed:
            return "reviewed"
        if LegalReviewOverride.objects.filter(revision_id=revision_id).exists():
            return "override"
        return None

    def _keep_legal_review(self, update_fields):
        """Refuse to store a live version that the legal review has not confirmed.

        Every way of going live ends in this save: the Publish action and bulk publish,
        scheduled publishing (`publish_scheduled`), revert-and-publish, a workflow's end,
        scripts. A new page saved live (a copy with "keep live") is stored as a draft.
        """
        if not self.live:
            return
        if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
            return
        if self._state.adding or not self.pk:
            # A new page has no reviewed revision of its own (a copy carries the
            # original's): it starts as a draft.
            self.live = False
            self.has_unpublished_changes = True
            self.live_revision = None
            self.first_published_at = None
            self.last_published_at = None
            return
        stored = type(self).objects.filter(pk=self.pk).values("live", "live_revision_id").first()
        if stored and stored["live"] and stored["live_revision_id"] == self.live_revision_id:
            return  # already live with this version (a save that publishes nothing new)
        if self.legal_clearance(self.live_revision_id) is None:
            raise LegalReviewRequired

    def publish(self, revision, user=None, log_action=True, **kwargs):
        """Publish `revision` only if the legal review confirmed it (or a logged override).

        Scheduled publishing of a version nobody confirmed is refused quietly (the
        schedule is cleared and the refusal logged), so that the command goes on with
        the other pages; every other caller gets LegalReviewRequired.
        """
        if self.legal_clearance(revision.pk) is None:
            from consultations.outcomes.operations import refuse_unreviewed_publication

            scheduled = log_action == "wagtail.publish.scheduled"
            refuse_unreviewed_publication(self, revision, user=user, scheduled=scheduled)
            if scheduled:
                return None
            raise LegalReviewRequired
        return super().publish(revision, user=user, log_action=log_action, **kwargs)

    def move(self, target, pos=None, user=None):
        if self.live:
            parent = self.get_parent()
            new_parent = (
                target
                if pos in (None, "first-child", "last-child", "sorted-child")
                else (target.get_parent())
            )
            if parent is not None and new_parent is not None and parent.pk != new_parent.pk:
                raise LegalReviewRequired(
                    _("A published outcome announcement cannot be moved; unpublish it first.")
                )
        return super().move(target, pos=pos, user=user)

    def copy(self, *args, **kwargs):
        # A copy is a new announcement: a draft until its own legal review.
        kwargs["keep_live"] = False
        return super().copy(*args, **kwargs)

    @cached_property
    def legal_override(self):
        """The superuser's override under which the live version was published, if any."""
        if not self.live_revision_id:
            return None
        return (
            LegalReviewOverride.objects.filter(revision_id=self.live_revision_id)
            .select_related("user")
            .first()
        )

    # --- workflow and permissions -------------------------------------------------------

    def get_workflow(self):
        """The outcome workflow of its community/township, whatever the ancestors use.

        Read by key, never made here (this runs on GET): the community's setup makes it.
        """
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        from consultations.outcomes.operations import outcome_workflow

        consultation = self.consultation if self.path else None
        if consultation is None:
            return None
        return outcome_workflow(consultation)

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    def permissions_for_user(self, user):
        return OutcomePermissionTester(user, self)

    # --- stage ---------------------------------------------------------------------------

    def consultation_stage(self, today):
        """Outcome published → implementation while items are under way → closed when done."""
        if not self.live:
            return None
        statuses = [item.implementation for item in self.decision_items.all()]
        if statuses and all(s in FINISHED_IMPLEMENTATION for s in statuses):
            return Stage.CLOSED
        if any(
            s in (ImplementationStatus.IN_PROGRESS, ImplementationStatus.DONE) for s in statuses
        ):
            return Stage.IMPLEMENTATION
        return Stage.OUTCOME

    # --- public presentation -----------------------------------------------------------

    def participation_figures(self):
        """Counts from the attached hearing, poll and suggestion form, where they exist."""
        from consultations.outcomes.operations import participation_figures

        return participation_figures(self.consultation) if self.consultation else []

    def get_items(self):
        return (
            self.decision_items.all()
            .select_related("informed_by_poll")
            .prefetch_related("updates__image", "updates__document", "suggestions")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()

        def items():
            items = list(self.get_items())
            for item in items:
                item.is_overdue_flag = item.is_overdue(today)
            return items

        # Read only when the shared fragment of the page is not fresh (outcome_page.html).
        context["items"] = SimpleLazyObject(items)
        context["figures"] = SimpleLazyObject(self.participation_figures)
        context["consultation"] = SimpleLazyObject(lambda: self.consultation)
        context["print_path"] = self.reverse_subpage("print_view")
        return context

    @path("print/")
    def print_view(self, request):
        """A4 notice for the community notice board (村务公开栏), with a QR code."""
        return self.render(
            request,
            template="consultations/outcomes/outcome_print.html",
        )


class LegalReviewOverride(models.Model):
    """A superuser published an outcome version without the legal review, and said why.

    The only exception to "outcomes go live through legal review"; it is audit-logged
    (`consultations.outcomes.override_legal_review`) and the public page says so.
    """

    page = models.ForeignKey(
        OutcomePage,
        verbose_name=_("outcome announcement"),
        on_delete=models.CASCADE,
        related_name="legal_overrides",
    )
    revision = models.OneToOneField(
        Revision,
        verbose_name=_("revision"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication without legal review")
        verbose_name_plural = _("publications without legal review")

    def __str__(self):
        return f"{self.page_id}: {self.created_at:%Y-%m-%d}"


class DecisionItem(ClusterableModel, Orderable):
    """One decision of the outcome, and what became of it.

    The implementation status is not edited on the page: it follows the dated progress
    updates (in progress → done, with evidence), so that republishing an older revision
    of the announcement never rewinds the implementation record.
    """

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="decision_items")
    decision = models.TextField(_("decision"))
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.ADOPTED
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Required when the item is not adopted: the reason residents are given."),
    )
    implementation = models.CharField(
        _("implementation"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    responsible = models.CharField(_("responsible person or body"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    suggestions = ParentalManyToManyField(
        "consultations.Suggestion",
        verbose_name=_("suggestions it answers"),
        blank=True,
        related_name="decision_items",
    )
    informed_by_poll = models.ForeignKey(
        "consultations.PollPage",
        verbose_name=_("poll that informed it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="informed_decisions",
    )

    # Referral to the villagers'/residents' assembly (三(四)).
    assembly_date = models.DateField(_("assembly date"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    assembly_result = models.CharField(
        _("assembly result"),
        max_length=20,
        choices=AssemblyResult.choices,
        default=AssemblyResult.PENDING,
        blank=True,
    )

    panels = [
        FieldPanel("decision"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("due_date")]),
        FieldPanel("reason"),
        FieldPanel("responsible"),
        FieldPanel("suggestions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("informed_by_poll"),
        MultiFieldPanel(
            [
                FieldPanel("assembly_date"),
                FieldRowPanel(
                    [
                        FieldPanel("votes_for"),
                        FieldPanel("votes_against"),
                        FieldPanel("votes_abstain"),
                    ]
                ),
                FieldRowPanel([FieldPanel("attendance"), FieldPanel("quorum_met")]),
                FieldPanel("assembly_result"),
            ],
            heading=_("Referral to the residents' assembly"),
            classname="collapsed",
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("decision item")
        verbose_name_plural = _("decision items")

    def __str__(self):
        return self.decision[:80]

    def clean(self):
        super().clean()
        errors = {}
        if self.status == DecisionStatus.NOT_ADOPTED and not self.reason.strip():
            errors["reason"] = _("Give the reason why this item is not adopted.")
        votes = (self.votes_for or 0) + (self.votes_against or 0) + (self.votes_abstain or 0)
        if self.attendance is not None and votes > self.attendance:
            errors["attendance"] = _("There are more votes than people attending.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The record of progress is the source of truth for the implementation status.
        if self.status == DecisionStatus.NOT_ADOPTED:
            self.implementation = ImplementationStatus.NOT_APPLICABLE
        elif self.implementation == ImplementationStatus.NOT_APPLICABLE:
            self.implementation = ImplementationStatus.NOT_STARTED
        previous = None
        if self.pk:
            previous = DecisionItem.objects.filter(pk=self.pk).values("status").first()
            last = (
                ProgressUpdate.objects.filter(item_id=self.pk)
                .exclude(new_status="")
                .order_by("-date", "-pk")
                .values_list("new_status", flat=True)
                .first()
            )
            if last and self.status != DecisionStatus.NOT_ADOPTED:
                self.implementation = last
        super().save(*args, **kwargs)
        if previous and previous["status"] != self.status:
            from consultations.outcomes.operations import record_item_status_change

            record_item_status_change(self, previous["status"])

    @property
    def is_referred(self):
        return self.status == DecisionStatus.REFERRED

    @property
    def is_finished(self):
        return self.implementation in FINISHED_IMPLEMENTATION

    def is_overdue(self, today=None):
        """Past its due date and not done (三(五): carried out within the deadline)."""
        today = today or timezone.localdate()
        return bool(self.due_date and self.due_date < today and not self.is_finished)


class ProgressUpdate(models.Model):
    """A dated step in carrying out a decision item, with optional evidence."""

    item = models.ForeignKey(
        DecisionItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("item")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what was done"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    new_status = models.CharField(
        _("new implementation status"),
        max_length=20,
        choices=ImplementationStatus.choices,
        blank=True,
        help_text=_("Leave empty when the status does not change."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"


# --- feedback and deadlines ------------------------------------------------------------


class OutcomeEvent(models.Model):
    """Something participants and followers are told about in their daily digest (三(五))."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Outcome published")
        STATUS = "status", _("Decision status changed")
        PROGRESS = "progress", _("Implementation status changed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    outcome = models.ForeignKey(
        OutcomePage, on_delete=models.CASCADE, related_name="events", verbose_name=_("outcome")
    )
    item = models.ForeignKey(
        DecisionItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("decision item"),
    )
    old_status = models.CharField(_("old status"), max_length=20, blank=True)
    new_status = models.CharField(_("new status"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outcome event")
        verbose_name_plural = _("outcome events")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.outcome.title}"

    @cached_property
    def status_label(self):
        choices = dict(
            ImplementationStatus.choices
            if self.kind == self.Kind.PROGRESS
            else DecisionStatus.choices
        )
        return choices.get(self.new_status, "")


class FeedbackDigest(models.Model):
    """The one feedback mail a person gets on a day; its events are never sent again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outcome_digests",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    events = models.ManyToManyField(
        OutcomeEvent, related_name="digests", blank=True, verbose_name=_("events")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback digest")
        verbose_name_plural = _("feedback digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="unique_outcome_digest_per_day")
        ]

    def __str__(self):
        return f"{self.user} {self.day}"


class DeadlineReminder(models.Model):
    """A disclosure-deadline reminder that was sent; the key makes the daily job idempotent."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("consultation"),
    )
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")

    def __str__(self):
        return self.key
