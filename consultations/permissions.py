"""Who may do what, on which object: the one place the portal decides it.

Every rule is a small predicate taking the user (and the object), built on Wagtail's page
permissions (`page.permissions_for_user(user)`, `PagePermissionPolicy`) and on the staff
groups that `consultations.communities.operations` grants on the page tree. Views, admin
views, exports, feeds, template tags and admin hooks ask these predicates; none decides on
its own.

The roles:

* Anonymous visitors read what is published; they may not submit, vote or register.
* Residents (`is_verified_resident`): signed in and linked to their community's roster
  (or, where a community keeps no roster yet, with a confirmed email address). They
  submit suggestions, vote, register for hearings and read their own attachments and
  registrations.
* Community editors: add and change pages below their CommunityPage. That is enough to
  moderate and answer the suggestions of those pages, manage hearing registrations, run
  polls (codes, paper tallies, assisted votes, dashboard, exports) and record the
  implementation of outcomes.
* Community reviewers: everything editors may, plus publish (ordinary pages, and poll
  results).
* Area officials (township, street, county): add, change, publish, lock and unlock
  everything below their CommunityIndexPage. They approve outcome announcements in the
  workflow (and unpublish them); only the legal review's confirmation publishes one.
  Only they see the deadline reports.
* Legal reviewers: members of the group of the legal review task; they confirm an
  outcome is lawful, and their confirmation publishes it when it is the final step.
* Superusers may do everything but publish an outcome past its legal review; they may
  override it explicitly, with a reason that is logged and shown on the public page.

Refusals in the Wagtail admin follow Wagtail's own convention: `refuse_unless` raises
PermissionDenied, which the admin turns into a redirect to the dashboard with an error
message (and a 403 for scripts sending X-Requested-With). Every portal admin view refuses
this way.

This module imports models only, never views, forms or admin code.
"""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from wagtail.models import GroupApprovalTask, GroupPagePermission, PageViewRestriction
from wagtail.permission_policies.pages import PagePermissionPolicy

from consultations.communities.models import CommunityIndexPage, CommunityPage
from consultations.consultation_pages.models import ConsultationPage
from consultations.roster.models import PersonStatus, RosterLink, RosterPerson
from consultations.suggestions.models import Suggestion, SuggestionFormPage

# --- refusing in the admin ---------------------------------------------------------------


def refuse_unless(allowed):
    """Refuse the current admin request unless `allowed` (Wagtail's admin refusal)."""
    if not allowed:
        raise PermissionDenied


def admin_view_requires(test):
    """Decorate an admin view so that users failing `test(user)` are refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            refuse_unless(test(request.user))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AdminViewRequiresMixin:
    """For class-based admin views: `user_is_allowed(user)` decides, refusing the same way."""

    def user_is_allowed(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        refuse_unless(self.user_is_allowed(request.user))
        return super().dispatch(request, *args, **kwargs)


# --- roles -------------------------------------------------------------------------------


def _signed_in(user):
    return bool(user and user.is_authenticated)


def _account_facts(user):
    """What the role checks of nearly every page ask of the signed-in account, in one query:
    whether it is in any group, linked to a living roster entry, or has a confirmed email
    address. Kept on the user object, i.e. for one request."""
    facts = getattr(user, "_portal_account_facts", None)
    if facts is None:
        facts = user.__class__._default_manager.filter(pk=user.pk).values(
            in_a_group=Exists(Group.objects.filter(user=OuterRef("pk"))),
            roster_linked=Exists(
                RosterLink.objects.filter(user=OuterRef("pk"), person__status=PersonStatus.LIVING)
            ),
            email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        ).first() or {"in_a_group": False, "roster_linked": False, "email_verified": False}
        user._portal_account_facts = facts
    return facts


def is_verified_resident(user):
    """Signed in and verified: linked to a living entry of a community roster, or with a
    mobile number confirmed by SMS code, or a confirmed email address (allauth's)."""
    if not _signed_in(user):
        return False
    if getattr(user, "phone_verified", False) and user.phone:
        return True
    facts = _account_facts(user)
    return facts["roster_linked"] or facts["email_verified"]


def is_resident_of(user, community_ids, *, linked_person=None):
    """Lives in one of `community_ids` (ids of CommunityPages), as far as the portal knows.

    A community that keeps a roster counts only accounts linked to a living entry of its
    roster (居民名册): the roster decides, not what the profile says. A community without a
    roster yet keeps the earlier rule, the community on a verified account's profile, so
    that a community can start consulting before its office has imported the roster.
    `linked_person`: the roster entry the account is linked to, when the caller has it
    already (a living entry of the account's community answers without a query).
    """
    if not _signed_in(user) or user.community_id is None:
        return False
    if isinstance(community_ids, int):
        community_ids = {community_ids}
    if user.community_id not in community_ids:
        return False
    if (
        linked_person is not None
        and linked_person.status == PersonStatus.LIVING
        and linked_person.community_id == user.community_id
    ):
        return True
    if RosterPerson.objects.filter(community_id=user.community_id).exists():
        return RosterLink.objects.filter(
            user=user, person__community_id=user.community_id, person__status=PersonStatus.LIVING
        ).exists()
    return True


def is_official(user):
    """Township/street or county staff: publish rights on a county or township page."""
    if not _signed_in(user) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return GroupPagePermission.objects.filter(
        group__user=user,
        permission__codename="publish_page",
        page__in=CommunityIndexPage.objects.all(),
    ).exists()


def is_official_above(user, page):
    """Publish rights on the nearest county/township/street page above `page`."""
    if not _signed_in(user) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    area = CommunityIndexPage.objects.ancestor_of(page).order_by("-depth").first()
    if area is None:
        return False
    return "publish" in area.permissions_for_user(user).permissions


def is_legal_reviewer(user, task):
    """A member of the reviewers' group of `task` (a LegalReviewTask)."""
    return user.is_superuser or user.groups.filter(pk=task.reviewers_id).exists()


# --- page view restrictions --------------------------------------------------------------


def hidden_page_paths(request=None):
    """Tree paths of the restricted sections (password, login, groups) that the visitor of
    `request` has not passed; every restricted section when there is no request (feeds,
    mail, caches shared by everyone). Computed once per request; the restrictions
    themselves are remembered under the page-cache version, which saving or deleting one,
    or changing its groups, replaces (home/page_cache.py)."""
    from home.page_cache import remembered

    if request is not None and hasattr(request, "_hidden_page_paths"):
        return request._hidden_page_paths
    restrictions = remembered(
        "view-restrictions",
        lambda: list(PageViewRestriction.objects.select_related("page").prefetch_related("groups")),
    )
    paths = [
        restriction.page.path
        for restriction in restrictions
        if request is None or not restriction.accept_request(request)
    ]
    if request is not None:
        request._hidden_page_paths = paths
    return paths


def visibility_key(request=None):
    """A short key naming what the visitor of `request` may see of the page tree: equal for
    two visitors exactly when they have passed the same view restrictions. Shared caches
    of listings (home/page_cache.py, `{% cache %}` fragments) vary on it."""
    import hashlib

    paths = sorted(hidden_page_paths(request))
    return hashlib.sha256("|".join(paths).encode()).hexdigest()[:16]


def visible_page_q(field=None, request=None):
    """A Q keeping live pages outside the hidden sections: on a page queryset itself
    (`field=None`) or on records of a page (`field="page"`, `"outcome"`, `"session__page"`).

    The one mechanism by which every listing, feed, home section, search, tracker and
    mail honours Wagtail's view restrictions of a page and of its ancestors (the page
    itself is guarded by Wagtail's `serve`, routes included).
    """
    prefix = f"{field}__" if field else ""
    q = Q(**{f"{prefix}live": True})
    for path in hidden_page_paths(request):
        q &= ~Q(**{f"{prefix}path__startswith": path})
    return q


def visible_pages(queryset, request=None):
    """`queryset` (of pages) without drafts and without the sections `request` may not see."""
    return queryset.filter(visible_page_q(request=request))


# --- pages in general --------------------------------------------------------------------


def pages_user_can_change(user):
    """Pages below which `user` has change rights (all pages for a superuser)."""
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def pages_user_may_administer(user):
    """Pages `user` holds any page right on (all pages for a superuser): what the admin's
    reports and confirmations may count and name to them. Another community's drafts are
    outside it (the page types usage report, the move confirmation, bulk actions)."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["add", "change", "publish", "lock", "unlock", "bulk_delete"]
    )


def can_move_page_to(user, page, destination):
    """Move `page` below `destination`: Wagtail's own rule (rights on both ends)."""
    return bool(_signed_in(user) and page.permissions_for_user(user).can_move_to(destination))


def staff_page_scope(user):
    """A Q on page paths covering the pages `user` has any page permission on; None if none.

    For the consultations panel of the admin dashboard.
    """
    if user.is_superuser:
        return Q()
    paths = set(
        GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
            "page__path", flat=True
        )
    )
    if not paths:
        return None
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    return scope


def approval_tasks_for(user):
    """The active group approval tasks whose steps `user` may approve."""
    tasks = GroupApprovalTask.objects.filter(active=True)
    if not user.is_superuser:
        tasks = tasks.filter(groups__in=user.groups.all())
    return tasks


# --- suggestions -------------------------------------------------------------------------


def can_moderate_suggestions(user, page):
    """Moderate, answer and export the suggestions of `page` (a SuggestionFormPage):
    edit rights on the page, i.e. staff of its community's tree."""
    if not _signed_in(user) or not user.is_active:
        return False
    return page.permissions_for_user(user).can_edit()


def can_read_attachment(user, suggestion):
    """The author of the suggestion, or staff who may moderate it."""
    if not _signed_in(user):
        return False
    return suggestion.user_id == user.pk or can_moderate_suggestions(user, suggestion.page)


def may_support_on(user, page):
    """Support suggestions of `page` at all: a verified resident, of the community the form
    is restricted to if it is (the same residents who may submit there)."""
    if not is_verified_resident(user) or not user.is_active:
        return False
    return not page.restrict_to_community_id or is_resident_of(user, page.restrict_to_community_id)


def can_support(user, suggestion, *, eligible=None):
    """Support (附议) `suggestion`: a published suggestion of someone else, by a resident
    who `may_support_on` its page. `eligible` is that answer when the caller knows it
    already (a list of one page's suggestions asks once)."""
    if not _signed_in(user) or suggestion.status != Suggestion.Status.PUBLISHED:
        return False
    if suggestion.user_id == user.pk:
        return False
    return may_support_on(user, suggestion.page) if eligible is None else eligible


def pages_user_can_moderate(user):
    """The suggestion forms whose suggestions `user` may moderate (change rights)."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return SuggestionFormPage.objects.filter(pk__in=pages.values("pk"))


def suggestions_user_can_moderate(user):
    if not _signed_in(user) or not user.is_active:
        return Suggestion.objects.none()
    if user.is_superuser:
        return Suggestion.objects.all()
    return Suggestion.objects.filter(page__in=pages_user_can_moderate(user))


def can_see_suggestion_queue(user):
    """The moderation queue in the admin menu and its dashboard panel."""
    return user.is_superuser or pages_user_can_moderate(user).exists()


# --- hearings ----------------------------------------------------------------------------


def can_manage_registrations(user, hearing_page):
    """See registrants (with phones and speech summaries), export them, check people in
    and arrange speakers: staff with edit rights on the hearing page."""
    return bool(
        _signed_in(user) and user.is_staff and hearing_page.permissions_for_user(user).can_edit()
    )


# --- polls -------------------------------------------------------------------------------


def _may_hold_page_rights(user):
    """Page rights and workflow tasks come from groups only (GroupPagePermission, a task's
    groups): an account in no group has none, and Wagtail's tester need not be asked.
    Remembered on the user object, i.e. for one request."""
    if user.is_superuser:
        return True
    return _account_facts(user)["in_a_group"]


def can_manage_poll(user, poll):
    """Codes, paper tallies, assisted votes, the dashboard and exports of a poll, and its
    results at any time: edit rights on the poll page."""
    return bool(
        _signed_in(user)
        and _may_hold_page_rights(user)
        and poll.permissions_for_user(user).can_edit()
    )


def can_manage_codes(user, poll):
    """Generate and print voting codes: a manager of a poll whose ballot takes codes, or of
    a roster-based poll (one code per person on the roll); slips for any other poll would
    send people to a page with nowhere to enter them."""
    return (poll.accepts_codes() or poll.uses_roster) and can_manage_poll(user, poll)


def can_publish_poll_results(user, poll):
    """Make the results public: a manager of the poll with publish rights on its page."""
    return can_manage_poll(user, poll) and poll.permissions_for_user(user).can_publish()


# --- consultations -----------------------------------------------------------------------


def can_publish_with_consultation(user, page):
    """Publish an attached page as part of its consultation's approval: the approver must
    have publish rights on that page too (reviewers and officials of its community do)."""
    return bool(
        _signed_in(user) and user.is_active and page.permissions_for_user(user).can_publish()
    )


def can_start_consultation(user, parent):
    """Create a consultation from a template below `parent`: add rights there, and
    consultations are allowed below it (a community, or a township/street/county page)."""
    if not (_signed_in(user) and user.is_active and parent is not None):
        return False
    parent = parent.specific
    return (
        ConsultationPage in parent.specific_class.allowed_subpage_models()
        and ConsultationPage.can_create_at(parent)
        and parent.permissions_for_user(user).can_add_subpage()
    )


def may_start_consultations(user):
    """Show "New consultation" in the admin menu: add rights on some page. Read from the
    page permissions Wagtail has already cached for the request (no query of its own);
    the screen then offers only the places of `consultation_places_for`."""
    if not (_signed_in(user) and user.is_active):
        return False
    return PagePermissionPolicy().user_has_permission(user, "add")


def consultation_places_for(user):
    """The communities and areas below which `user` may start a consultation (one query
    for the choices; `can_start_consultation` decides each)."""
    if not (_signed_in(user) and user.is_active):
        return CommunityPage.objects.none()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return pages.type(CommunityPage, CommunityIndexPage).order_by("path")


# --- outcomes ----------------------------------------------------------------------------


def can_publish_outcome(user, outcome_page):
    """Only the final legal review step, for every role; see OutcomePermissionTester."""
    return bool(_signed_in(user) and outcome_page.permissions_for_user(user).can_publish())


def can_override_legal_review(user, outcome_page):
    """Publish an outcome's latest version without the legal review: superusers only,
    explicitly and logged (`outcomes.operations.publish_with_legal_override`), when that
    version is not live yet. Nobody else ever publishes past the legal review."""
    if not (_signed_in(user) and user.is_active and user.is_superuser):
        return False
    return not (outcome_page.live and not outcome_page.has_unpublished_changes)


def can_record_progress(user, outcome_page):
    """The implementation record of an outcome: edit rights on the outcome page."""
    return bool(_signed_in(user) and outcome_page.permissions_for_user(user).can_edit())


def can_see_reports(user, page=None):
    """The deadline reports (overdue outcomes and decisions) are for officials; a page
    appears in them only if the official may also change it."""
    if not is_official(user):
        return False
    return page is None or pages_user_can_change(user).filter(pk=page.pk).exists()


def report_pages(user):
    """The pages whose entries `user` sees in the deadline reports and the overdue panel."""
    if not is_official(user):
        return pages_user_can_change(user).none()
    return pages_user_can_change(user)


# --- the ledger (台账) and the compliance report ------------------------------------------


def ledger_communities_for(user):
    """The communities whose ledger `user` keeps: change rights on the community page
    (its editors and reviewers, the officials above it, superusers)."""
    from consultations.communities.models import CommunityPage

    if not _signed_in(user) or not user.is_active:
        return CommunityPage.objects.none()
    if user.is_superuser:
        return CommunityPage.objects.all()
    return CommunityPage.objects.filter(pk__in=pages_user_can_change(user).values("pk"))


def ledger_areas_for(user):
    """The townships, streets and counties whose own (cross-community) entries `user` keeps."""
    if not _signed_in(user) or not user.is_active:
        return CommunityIndexPage.objects.none()
    if user.is_superuser:
        return CommunityIndexPage.objects.all()
    return CommunityIndexPage.objects.filter(pk__in=pages_user_can_change(user).values("pk"))


def _ledger_keeper_ids(user):
    """(community ids, area ids) whose ledger `user` keeps, once per user object.

    A request loads its user afresh, so this lives as long as one request; the admin's
    list asks for every row's buttons without a query each.
    """
    cached = getattr(user, "_ledger_keeper_ids", None)
    if cached is None:
        cached = (
            frozenset(ledger_communities_for(user).values_list("pk", flat=True)),
            frozenset(ledger_areas_for(user).values_list("pk", flat=True)),
        )
        if _signed_in(user):
            user._ledger_keeper_ids = cached
    return cached


def can_see_ledger(user):
    """The ledger in the admin: staff who keep the ledger of at least one community."""
    return bool(_signed_in(user) and user.is_staff and _ledger_keeper_ids(user)[0])


def ledger_entries_for(user):
    """Entries `user` may read: editors their community's (including township activities
    that cover it), officials every entry of their township or county."""
    from consultations.ledger.models import LedgerEntry

    if not can_see_ledger(user):
        return LedgerEntry.objects.none()
    if user.is_superuser:
        return LedgerEntry.objects.all()
    communities, areas = _ledger_keeper_ids(user)
    visible = LedgerEntry.objects.filter(
        Q(community__in=communities) | Q(communities__in=communities) | Q(area__in=areas)
    ).values("pk")
    return LedgerEntry.objects.filter(pk__in=visible)


def can_read_ledger_entry(user, entry):
    """Inspect an entry: one of `ledger_entries_for(user)`."""
    if not can_see_ledger(user):
        return False
    communities, areas = _ledger_keeper_ids(user)
    if user.is_superuser or entry.community_id in communities or entry.area_id in areas:
        return True
    return ledger_entries_for(user).filter(pk=entry.pk).exists()


def can_add_ledger_entry(user):
    return can_see_ledger(user)


def can_change_ledger_entry(user, entry):
    """Edit a manual entry, or correct a generated one: the keepers of its community, or
    for a township activity the officials of its area."""
    if not can_see_ledger(user):
        return False
    if user.is_superuser:
        return True
    communities, areas = _ledger_keeper_ids(user)
    if entry.community_id:
        return entry.community_id in communities
    return bool(entry.area_id and entry.area_id in areas)


def can_delete_ledger_entry(user, entry):
    """Only manual entries are deleted; a generated one follows its consultation."""
    return not entry.is_generated and can_change_ledger_entry(user, entry)


def can_see_compliance_report(user):
    """The yearly compliance report and its exports are for township and county officials."""
    return can_see_reports(user)


def compliance_communities_for(user):
    """The communities an official's compliance report and dashboard panel cover."""
    from consultations.communities.models import CommunityPage

    if not can_see_compliance_report(user):
        return CommunityPage.objects.none()
    if user.is_superuser:
        return CommunityPage.objects.all()
    return CommunityPage.objects.filter(pk__in=report_pages(user).values("pk"))


def public_record_pages(pages, user=None):
    """The consultations the public record may list: live, and without a view restriction
    (password, login or groups) on them or above them."""
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    for path in restricted:
        pages = pages.exclude(path__startswith=path)
    return pages.live()


# --- the roster --------------------------------------------------------------------------


def can_keep_roster(user, community):
    """View, change, import, export the roster of `community` (a CommunityPage) and link
    accounts to it at the office: active staff with edit rights on the community page,
    i.e. its editors and reviewers and the officials of the area above. Every such view
    and change is audit-logged by the roster's operations."""
    return bool(
        _signed_in(user)
        and user.is_active
        and user.is_staff
        and community.permissions_for_user(user).can_edit()
    )


def can_view_roster(user, community):
    """See the entries of a community's roster (each view is audit-logged)."""
    return can_keep_roster(user, community)


def can_change_roster(user, community):
    """Add, change and import entries."""
    return can_keep_roster(user, community)


def can_export_roster(user, community):
    """Download the roster as CSV or XLSX (audit-logged)."""
    return can_keep_roster(user, community)


def can_link_roster(user, community):
    """Link an account to a roster entry in person at the office, or unlink it."""
    return can_keep_roster(user, community)


def roster_communities(user):
    """The communities whose roster `user` may keep."""
    if not _signed_in(user) or not user.is_active or not user.is_staff:
        return CommunityPage.objects.none()
    if user.is_superuser:
        return CommunityPage.objects.all()
    return CommunityPage.objects.filter(pk__in=pages_user_can_change(user).values("pk"))


def may_assist_residents(user):
    """Holds the "act for a resident" right (`consultations.assist_resident`, granted to a
    group in the admin): the office screens for assisted participation are offered."""
    return bool(
        _signed_in(user) and user.is_active and user.has_perm("consultations.assist_resident")
    )


def can_see_rosters(user):
    """The roster index in the admin: staff who keep at least one community's roster."""
    return bool(_signed_in(user) and (user.is_superuser or roster_communities(user).exists()))


def can_act_for_person(user, person):
    """Act for a roster person at the office (assisted suggestion, registration, vote):
    keepers of the person's community roster who also hold the "act for a resident" right."""
    return can_keep_roster(user, person.community) and may_assist_residents(user)


# --- staff security ---------------------------------------------------------------------------


def must_use_two_factor(user):
    """Staff whose rights reach residents' personal data or the public record must sign in
    with a second factor when PORTAL_STAFF_MFA_REQUIRED is on: superusers, anyone who may
    publish a page, and the keepers of a roster (they also export it)."""
    if not _signed_in(user) or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser or can_see_rosters(user):
        return True
    return PagePermissionPolicy().instances_user_has_permission_for(user, "publish").exists()
