"""Advisory polls (民意征询): one resident, one secret ballot, results back on the pages.

The policy lets residents weigh options before the committee decides (三(三), online
consultation platform). Three rules shape the models here:

* One ballot per voter per poll is a database rule: `VoterRegister` has unique
  constraints on (poll, user) and on the voting code; a second cast fails in the database,
  whatever arrives at once.
* The register of *who* voted is stored apart from *what* was voted. A `Ballot` has a
  random UUID key, the poll, the chosen option ids and the day — no user, no code, no time
  of day and no sequential key, so rows of the two tables cannot be matched up.
* Results are aggregated into counters (`OptionTally`, `PollTurnout`), so showing the
  results of a poll never counts ballots. Turnout is counted by the cast; in a secret poll
  the choices wait sealed in `SealedBallot` and a flush (`operations.flush_ballot_pool`)
  writes ballots and option counts for many voters at once, in shuffled order, so that
  PostgreSQL's system columns (xmin, ctid) and row order do not match the two tables
  (docs/secrecy.md, "Database readers").
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.search import index

from consultations.consultation_pages.models import ConsultationChildPage, Stage  # noqa: F401
from consultations.lazy import FormClassPath


class Eligibility(models.TextChoices):
    COMMUNITY = "community", _("Verified residents of the communities the consultation covers")
    ANY_RESIDENT = "any", _("Any verified resident")
    CODES = "codes", _("Holders of a one-time voting code")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("Live, while the poll is open")
    AFTER_VOTING = "after_voting", _("To each voter after they have voted, to all after closing")
    AFTER_CLOSE = "after_close", _("After the poll closes")
    AFTER_PUBLISH = "after_publish", _("After staff publish them")


class RosterResidence(models.TextChoices):
    ANY = "any", _("Registered and non-registered residents")
    REGISTERED = "registered", _("Registered residents (户籍) only")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class PollOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Option"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False)
    image = ImageChooserBlock(label=_("Image"), required=False)

    class Meta:
        icon = "radio-empty"
        label = _("Option")


class PollQuestionBlock(blocks.StructBlock):
    """A question with its options.

    Options live in a ListBlock: every item keeps a stable UUID in the stored JSON, which
    is the key ballots and tallies refer to, so relabelling an option keeps its votes.
    """

    text = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.TextBlock(label=_("Explanation"), required=False)
    kind = blocks.ChoiceBlock(
        label=_("Kind of question"), choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    min_choices = blocks.IntegerBlock(
        label=_("Minimum choices"),
        min_value=1,
        default=1,
        help_text=_("For multiple choice: how many options a voter must choose at least."),
    )
    max_choices = blocks.IntegerBlock(
        label=_("Maximum choices"),
        min_value=1,
        required=False,
        help_text=_("For multiple choice: at most this many (empty: no limit)."),
    )
    options = blocks.ListBlock(PollOptionBlock(), label=_("Options"), min_num=2)

    class Meta:
        icon = "list-ul"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        if value["kind"] == QuestionKind.MULTIPLE:
            max_choices = value.get("max_choices")
            if max_choices and max_choices < value["min_choices"]:
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "max_choices": ValidationError(
                            _("The maximum cannot be below the minimum.")
                        )
                    }
                )
        return value


class PollPage(RoutablePageMixin, ConsultationChildPage):
    """An advisory poll (民意征询) attached to a consultation.

    Residents weigh the options before the committee decides; the result is advisory.
    Editors set who may vote, whether the ballot is secret (the default) and when the
    results are shown. Staff print voting codes, enter paper tallies and record assisted
    votes from the poll's admin dashboard (the "Poll" button on the page).
    """

    card_template = "consultations/polls/poll_card.html"
    template = "consultations/polls/poll_page.html"
    base_form_class = FormClassPath("home.forms.PortalPageForm")

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    questions = StreamField(
        [("question", PollQuestionBlock())],
        verbose_name=_("questions"),
        min_num=1,
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    eligibility = models.CharField(
        _("who may vote"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.COMMUNITY,
    )
    secret = models.BooleanField(
        _("secret ballot"),
        default=True,
        help_text=_(
            "Untick for an open (named) vote: each voter's choice is then recorded with "
            "their name, and the page says so before voting."
        ),
    )
    results_visibility = models.CharField(
        _("results are shown"),
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    electorate = models.PositiveIntegerField(
        _("residents entitled to vote"),
        null=True,
        blank=True,
        help_text=_(
            "From the household register: how many residents may vote in all, online or on "
            "paper. Paper tallies cannot count more voters than are left."
        ),
    )
    results_published = models.BooleanField(_("results published"), default=False)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    # The voter roll from the community roster (居民名册): one voice per roster person.
    uses_roster = models.BooleanField(
        _("the roster is the voter roll"),
        default=False,
        help_text=_(
            "Voters are the people on the roster of the covered communities: each has one "
            "voice whether they vote online, with a voting code, at the office or at the "
            "meeting, and turnout is counted against the roster."
        ),
    )
    roster_residence = models.CharField(
        _("residents who may vote"),
        max_length=20,
        choices=RosterResidence.choices,
        default=RosterResidence.ANY,
    )
    roster_group = models.CharField(
        _("villager group or building"),
        max_length=60,
        blank=True,
        help_text=_("Only the residents of this group or building (empty: everyone)."),
    )
    roster_min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Empty: no age rule.")
    )
    one_vote_per_household = models.BooleanField(
        _("one vote per household"),
        default=False,
        help_text=_("Only each household's representative (户代表) votes."),
    )

    content_panels = ConsultationChildPage.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("eligibility"),
                FieldPanel("electorate"),
                FieldPanel("secret"),
                FieldPanel("results_visibility"),
            ],
            heading=_("Voting rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("uses_roster"),
                FieldPanel("roster_residence"),
                FieldPanel("roster_group"),
                FieldPanel("roster_min_age"),
                FieldPanel("one_vote_per_household"),
            ],
            heading=_("Voter roll"),
        ),
    ]

    search_fields = ConsultationChildPage.search_fields + [index.SearchField("introduction")]

    # Open data: the questions, and the results only once results_visible_to() lets an
    # anonymous visitor see them (detail view only: portal/api.py).
    api_fields = [
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("results_visibility"),
        APIField("questions", serializer=serializers.JSONField(source="question_texts")),
        APIField("results", serializer=serializers.JSONField(source="public_results")),
    ]

    @property
    def question_texts(self):
        return [
            {
                "id": question["id"],
                "text": question["text"],
                "options": [{"id": o["id"], "label": o["label"]} for o in question["options"]],
            }
            for question in self.question_list
        ]

    @property
    def public_results(self):
        """The published figures when the public may see them, else None."""
        from django.contrib.auth.models import AnonymousUser

        from consultations.polls.results import poll_results, results_visible_to
        from consultations.polls.views import results_payload

        if not results_visible_to(self, AnonymousUser()):
            return None
        return results_payload(self, poll_results(self))

    class Meta:
        verbose_name = _("advisory poll")
        verbose_name_plural = _("advisory polls")

    # --- the questions -----------------------------------------------------------------

    @cached_property
    def question_list(self):
        """Questions as plain dicts with string ids: what forms, results and exports use."""
        questions = []
        for block in self.questions:
            value = block.value
            options = [
                {
                    "id": str(item.id),
                    "label": item.value["label"],
                    "description": item.value.get("description") or "",
                    "image": item.value.get("image"),
                }
                for item in value["options"].bound_blocks
            ]
            multiple = value["kind"] == QuestionKind.MULTIPLE
            max_choices = value.get("max_choices") if multiple else 1
            questions.append(
                {
                    "id": str(block.id),
                    "text": value["text"],
                    "help_text": value.get("help_text") or "",
                    "kind": value["kind"],
                    "multiple": multiple,
                    "min_choices": value.get("min_choices") or 1 if multiple else 1,
                    "max_choices": min(max_choices or len(options), len(options)),
                    "options": options,
                }
            )
        return questions

    def option_ids(self):
        return {option["id"] for q in self.question_list for option in q["options"]}

    def ensure_unique_ids(self):
        """Give every question and option of the poll its own id; returns how many changed.

        Ballots, tallies and the paper-tally form refer to option ids, so two options with
        one id would merge their votes. The admin's "Insert a block" or "Duplicate", or a
        pasted block, can bring an id that is already in use: the first holder keeps it,
        later ones get a fresh one. Run on every clean, save and revision, so no stored
        version of a poll has duplicates (`polls_repair_option_ids` fixes older ones).
        """
        raw = self.questions.get_prep_value()
        seen, changed = set(), 0
        for question in raw:
            for node in [question, *(question.get("value", {}).get("options") or [])]:
                if not node.get("id") or node["id"] in seen:
                    node["id"] = str(uuid.uuid4())
                    changed += 1
                seen.add(node["id"])
        if changed:
            self.questions = raw
            self.__dict__.pop("question_list", None)
        return changed

    def full_clean(self, *args, **kwargs):
        self.ensure_unique_ids()
        return super().full_clean(*args, **kwargs)

    def serializable_data(self):
        # What a revision stores (drafts, scheduled versions, copies).
        self.ensure_unique_ids()
        return super().serializable_data()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "questions" in update_fields:
            self.ensure_unique_ids()
        return super().save(*args, **kwargs)

    def accepts_codes(self):
        """Voting codes only make sense for a poll whose ballot takes them."""
        return self.eligibility == Eligibility.CODES

    # --- time --------------------------------------------------------------------------

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    def consultation_stage(self, today):
        # The poll is one of several ways to give input; the consultation's dates lead.
        return None

    def roster_rules(self):
        """The eligibility rules of a roster-based poll (consultations.roster.eligibility)."""
        from consultations.roster.eligibility import ParticipationRules

        return ParticipationRules(
            registered_only=self.roster_residence == RosterResidence.REGISTERED,
            group=self.roster_group.strip(),
            min_age=self.roster_min_age or None,
            household_representatives_only=self.one_vote_per_household,
        )

    def clean(self):
        super().clean()
        if self.uses_roster and self.eligibility == Eligibility.ANY_RESIDENT:
            raise ValidationError(
                {
                    "uses_roster": _(
                        "A roster-based poll is for the covered communities: choose their "
                        "residents, or code holders, under who may vote."
                    )
                }
            )
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Voting must close after it opens.")})
        if self.pk and Ballot.objects.filter(poll_id=self.pk).exists():
            # Ballots refer to option ids: removing an option would orphan its votes.
            live_options = type(self).objects.get(pk=self.pk).option_ids()
            missing = live_options - self.option_ids()
            if missing:
                raise ValidationError(
                    {
                        "questions": _(
                            "Ballots have been cast: options can be edited but not removed."
                        )
                    }
                )

    # --- routes ------------------------------------------------------------------------

    @path("")
    def vote(self, request):
        from consultations.polls.views import poll_page

        return poll_page(request, self)

    @path("results/csv/")
    def results_csv(self, request):
        from consultations.polls.views import results_download

        return results_download(request, self, "csv")

    @path("results/json/")
    def results_json(self, request):
        from consultations.polls.views import results_download

        return results_download(request, self, "json")


class CodeBatch(models.Model):
    """A numbered batch of one-time voting codes, printed for residents without an account.

    Duties kept apart: the sheet is printed once (`printed_at`); a reprint needs a second
    staff member's approval (`reprint_approved_by`); who distributes the slips is recorded;
    the sheet never says which codes were used. Each act is audit-logged.
    """

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="code_batches"
    )
    number = models.PositiveIntegerField(_("batch number"), default=0)
    label = models.CharField(_("label"), max_length=100, blank=True)
    distributed_to = models.CharField(
        _("distributed by"),
        max_length=200,
        blank=True,
        help_text=_("Who hands the slips out, e.g. the leader of villager group 3."),
    )
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prints = models.PositiveIntegerField(_("times printed"), default=0)
    reprint_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reprint approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The community whose residents receive these codes (for the breakdown)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("voting code batch")
        verbose_name_plural = _("voting code batches")
        ordering = ["created_at", "pk"]

    def __str__(self):
        number = str(_("Batch %(number)s") % {"number": self.number or self.pk})
        return f"{number} · {self.label}" if self.label else number

    def may_print(self):
        """Never printed yet, or a reprint approved by a second staff member."""
        return self.printed_at is None or self.reprint_approved_by_id is not None


class VotingCode(models.Model):
    """A one-time code: whoever holds it may vote once in its poll."""

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="voting_codes"
    )
    batch = models.ForeignKey(
        CodeBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    used = models.BooleanField(_("used"), default=False)
    voided = models.BooleanField(
        _("voided"), default=False, help_text=_("Withdrawn before use (a slip never issued).")
    )
    roster_person = models.ForeignKey(
        "consultations.RosterPerson",
        verbose_name=_("issued to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "roster_person"],
                condition=Q(roster_person__isnull=False),
                name="poll_code_one_per_roster_person",
            )
        ]

    def __str__(self):
        return self.code


class VoterRegister(models.Model):
    """That someone voted in a poll — never what. One row per voter per poll.

    The unique constraints are the "one resident, one ballot" rule (docs/architecture.md,
    "Integrity rules").
    """

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="register"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="poll_register_entries",
    )
    voting_code = models.OneToOneField(
        VotingCode,
        verbose_name=_("voting code"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="register_entry",
    )
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assisted = models.BooleanField(_("assisted at the community office"), default=False)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voted_on = models.DateField(_("voted on"))
    # Roster-based polls: the person who voted, whatever the channel, and their household
    # under the one-vote-per-household rule. Both are unique per poll.
    roster_person = models.ForeignKey(
        "consultations.RosterPerson",
        verbose_name=_("roster person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household_key = models.CharField(_("household"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("voter register entry")
        verbose_name_plural = _("voter register")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=Q(user__isnull=False),
                name="poll_register_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["poll", "voting_code"],
                condition=Q(voting_code__isnull=False),
                name="poll_register_one_per_code",
            ),
            models.UniqueConstraint(
                fields=["poll", "roster_person"],
                condition=Q(roster_person__isnull=False),
                name="poll_register_one_per_roster_person",
            ),
            models.UniqueConstraint(
                fields=["poll", "household_key"],
                condition=~Q(household_key=""),
                name="poll_register_one_per_household",
            ),
        ]
        indexes = [models.Index(fields=["poll", "voted_on"], name="poll_register_day_idx")]

    def __str__(self):
        return f"{self.poll_id}: {self.voted_on}"


def random_ballot_id():
    return uuid.uuid4()


class Ballot(models.Model):
    """What was voted, with nothing that says who: a random key, the options and a day.

    For a secret ballot the day is that of the flush that wrote it, never of the cast."""

    id = models.UUIDField(primary_key=True, default=random_ballot_id, editable=False)
    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="ballots"
    )
    choices = models.JSONField(_("chosen options"), default=list)
    cast_on = models.DateField(_("cast on"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(self.id)


class SealedBallot(models.Model):
    """A secret ballot waiting in the pool: its choices sealed, nothing else.

    The cast writes the register entry and this row in one transaction, so they share
    PostgreSQL's `xmin`; what links them is unreadable without the key derived from
    `SECRET_KEY` (`polls.sealing`). A flush (`operations.flush_ballot_pool`) opens many of
    them at once, writes their `Ballot` rows and counter updates in shuffled order in its
    own transaction and deletes them. A random key, no time and no sequence.
    """

    id = models.UUIDField(primary_key=True, default=random_ballot_id, editable=False)
    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="sealed_ballots"
    )
    sealed = models.BinaryField(_("sealed choices"))

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self):
        return str(self.id)


class NamedVote(models.Model):
    """For an open (named) vote only: the voter's choice, recorded with their name."""

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="named_votes"
    )
    register_entry = models.OneToOneField(
        VoterRegister,
        verbose_name=_("voter register entry"),
        on_delete=models.CASCADE,
        related_name="named_vote",
    )
    choices = models.JSONField(_("chosen options"), default=list)

    class Meta:
        verbose_name = _("named vote")
        verbose_name_plural = _("named votes")

    def __str__(self):
        return f"{self.poll_id}: {self.register_entry_id}"


class OptionTally(models.Model):
    """Online votes per option (and community): by the cast of an open vote, by a flush otherwise."""

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="tallies"
    )
    option_id = models.CharField(_("option id"), max_length=36)
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    votes = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("option tally")
        verbose_name_plural = _("option tallies")
        constraints = [
            # Two partial constraints rather than nulls_distinct, which SQLite lacks.
            models.UniqueConstraint(
                fields=["poll", "option_id", "community"],
                condition=Q(community__isnull=False),
                name="poll_tally_unique",
            ),
            models.UniqueConstraint(
                fields=["poll", "option_id"],
                condition=Q(community__isnull=True),
                name="poll_tally_unique_no_community",
            ),
        ]

    def __str__(self):
        return f"{self.option_id}: {self.votes}"


class PollTurnout(models.Model):
    """Online voters per poll and community, incremented in the casting transaction."""

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="turnout"
    )
    community = models.ForeignKey(
        "consultations.CommunityPage",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    voters = models.PositiveIntegerField(_("voters"), default=0)

    class Meta:
        verbose_name = _("poll turnout")
        verbose_name_plural = _("poll turnout")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "community"],
                condition=Q(community__isnull=False),
                name="poll_turnout_unique",
            ),
            models.UniqueConstraint(
                fields=["poll"],
                condition=Q(community__isnull=True),
                name="poll_turnout_unique_no_community",
            ),
        ]

    def __str__(self):
        return f"{self.poll_id}: {self.voters}"


class PaperTally(models.Model):
    """Counts from an in-person vote, entered by staff with the minutes of the meeting."""

    poll = models.ForeignKey(
        PollPage, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="paper_tallies"
    )
    meeting_date = models.DateField(_("meeting date"))
    voters = models.PositiveIntegerField(_("paper ballots cast"))
    counts = models.JSONField(_("votes per option"), default=dict)
    minutes = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    # A second staff member confirms the counts against the minutes before they count.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        ordering = ["meeting_date", "pk"]

    def __str__(self):
        return f"{self.poll_id}: {self.meeting_date}"
