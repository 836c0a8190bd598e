"""What each role gets at each address: the authorization matrix's expectations.

`EXPECT[key]` is a profile (role → outcome) for every case of the pattern, or `by_label`
of profiles where A's object and B's differ. Outcomes: a status code, or LOGIN (sent to
sign in), REFUSED (the admin's refusal: back to the dashboard with a message), REDIRECT
(any other redirect). Profiles are built from a few defaults:

- `public()`: everyone gets the same (200 unless said otherwise);
- `signed_in()`: anonymous visitors are sent to sign in, everyone else gets 200;
- `admin(...)`: the admin sends anonymous visitors and residents to sign in; staff get
  200 unless refused (`only=` the roles allowed, the rest REFUSED);
- `keepers(A)` / `keepers(B)`: the admin screens of one community's records: its
  editors, reviewers, the township's officials, A's clerk (for A) and superusers.

A new URL: add its case to `urls.CASES` and its profile here, e.g.
`"myapp_admin:report": admin(only=OFFICIALS)`.
"""

LOGIN, REFUSED, REDIRECT = "login", "refused", "redirect"
OK = 200

ROLES = (
    "anonymous",
    "unverified",
    "resident",
    "resident_b",
    "editor_a",
    "editor_b",
    "reviewer_a",
    "official",
    "legal_reviewer",
    "clerk",
    "superuser",
)
RESIDENTS = ("unverified", "resident", "resident_b")
STAFF = ("editor_a", "editor_b", "reviewer_a", "official", "legal_reviewer", "clerk", "superuser")
SUPERUSER = ("superuser",)
OFFICIALS = ("official", "superuser")
# Staff with page rights somewhere in the tree (everyone but the legal reviewer).
PAGE_STAFF = ("editor_a", "editor_b", "reviewer_a", "official", "clerk", "superuser")
KEEPERS = {
    "A": ("editor_a", "reviewer_a", "official", "clerk", "superuser"),
    "B": ("editor_b", "official", "superuser"),
}
# Publish rights (reviewers and officials), for workflow and privacy screens.
PUBLISHERS = {"A": ("reviewer_a", "official", "superuser"), "B": ("official", "superuser")}


def profile(default, **by_role):
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def public(status=OK, **by_role):
    return profile(status, **by_role)


def signed_in(status=OK, **by_role):
    return profile(status, **{"anonymous": LOGIN, **by_role})


def admin(status=OK, *, only=STAFF, refused=REFUSED, **by_role):
    """An admin screen: sign-in for visitors and residents; `status` for `only`, else
    `refused`."""
    values = {role: (status if role in only else refused) for role in STAFF}
    values.update(dict.fromkeys(("anonymous", *RESIDENTS), LOGIN))
    values.update(by_role)
    return profile(None, **values)


def keepers(letter, status=OK, **by_role):
    return admin(status, only=KEEPERS[letter], **by_role)


def by_community(make, *args, **kwargs):
    """The same rule for A's object and B's: `make(letter, ...)` per community."""
    return by_label({letter: make(letter, *args, **kwargs) for letter in ("A", "B")})


class by_label(dict):  # noqa: N801 - reads as a table entry
    """Profiles per case label (e.g. "A", "B", "draft")."""


def expected(key, label, role):
    entry = EXPECT[key]
    if isinstance(entry, by_label):
        entry = entry[label]
    return entry[role]


# A resident's own record at a code URL: the owner, and staff who manage the hearing.
def own_registration(letter):
    owner = "resident" if letter == "A" else "resident_b"
    allowed = (owner, *KEEPERS[letter])
    return profile(404, anonymous=LOGIN, **dict.fromkeys(allowed, OK))


# A suggestion's private attachment: the author and the page's moderators; another
# signed-in person is refused (403).
def attachment(letter):
    owner = "resident" if letter == "A" else "resident_b"
    allowed = (owner, *KEEPERS[letter])
    return profile(403, anonymous=LOGIN, **dict.fromkeys(allowed, OK))


def editors_tree(letter, status=OK):
    """Wagtail's page screens on a community's draft: page rights on that community."""
    return keepers(letter, status)


EXPECT = {
    # --- language-neutral: API, sitemap, files ------------------------------------------
    "wagtailapi:pages:listing": public(),
    "wagtailapi:pages:detail": by_label(live=public(), draft=public(404)),
    "wagtailapi:pages:find": by_label(live=public(REDIRECT), draft=public(404)),
    "wagtailapi:images:listing": public(),
    "wagtailapi:images:detail": public(),
    "wagtailapi:images:find": public(REDIRECT),
    "wagtailapi:documents:listing": public(),
    "wagtailapi:documents:detail": public(),
    "wagtailapi:documents:find": public(REDIRECT),
    "wagtailapi:ledger:listing": public(),
    "wagtailapi:ledger:detail": public(),
    "wagtailapi:ledger:find": public(REDIRECT),
    "sitemap": public(),
    "robots_txt": public(),
    "favicon": public(REDIRECT),
    "wagtaildocs_serve": public(),
    # --- the residents' own pages -------------------------------------------------------
    "residents:participation": signed_in(),
    "residents:profile": signed_in(),
    # Behind allauth's reauthentication (a redirect to it for everyone signed in).
    "residents:download": signed_in(REDIRECT),
    "residents:delete": signed_in(),
    "residents:privacy": public(),
    "text_size": public(405),  # POST only
    # --- allauth ------------------------------------------------------------------------
    "account_login": public(),
    "account_logout": signed_in(anonymous=REDIRECT),
    "account_inactive": public(),
    "account_signup": public(),
    "account_reauthenticate": signed_in(),
    "account_request_reauthentication_code": signed_in(unverified=REDIRECT),
    "account_confirm_reauthentication_code": signed_in(REDIRECT),
    "account_email": signed_in(),
    "account_email_verification_sent": public(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(REDIRECT),
    "account_reset_password": public(),
    "account_confirm_login_code": public(REDIRECT),
    "account_confirm_email": public(),  # a wrong key: the "link expired" page
    "account_verify_phone": signed_in(REDIRECT),
    "account_change_phone": signed_in(),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": public(),  # a wrong key: "bad token"
    "account_reset_password_done": public(),
    "account_request_login_code": public(),
    "mfa_index": signed_in(),
    "mfa_authenticate": signed_in(REDIRECT),
    "mfa_reauthenticate": signed_in(REDIRECT),
    "mfa_activate_totp": signed_in(REDIRECT),  # reauthentication first
    "mfa_deactivate_totp": signed_in(404),  # nobody has an authenticator
    "mfa_view_recovery_codes": signed_in(404),
    "mfa_generate_recovery_codes": signed_in(REDIRECT),
    "mfa_download_recovery_codes": signed_in(404),
    # --- the portal's public views ------------------------------------------------------
    "consultation_pages:search": public(),
    "consultation_pages:feed_rss": public(),
    "consultation_pages:feed_atom": public(),
    "consultation_pages:feed_rss_community": public(),
    "consultation_pages:feed_atom_community": public(),
    "hearings:registration": by_community(own_registration),
    "hearings:registration_calendar": by_community(own_registration),
    "hearings:cancel": public(405),  # POST only; see test_object_level
    "hearings:my_registrations": signed_in(),
    "suggestions:mine": signed_in(),
    "suggestions:support": public(405),  # POST only; see test_object_level
    "suggestions:attachment": by_community(attachment),
    "outcomes:tracker": public(),
    "outcomes:community_tracker": public(),
    "outcomes:atom": public(),
    "outcomes:rss": public(),
    "roster:verify": signed_in(),
    "roster:verify_code": signed_in(REDIRECT),  # no challenge started: back to step one
    "notifications:follow": signed_in(),  # the confirmation; following is a POST
    "notifications:inbox": signed_in(),
    "notifications:preferences": signed_in(),
    "notifications:unsubscribe": public(400),  # a tampered token
    "wagtailcore_login": public(),
    "wagtail_serve": by_label(
        {
            "home": public(),
            "consultation index": public(),
            "county": public(),
            "township": public(),
            "community A": public(),
            "community A record": public(),
            "community A record feed": public(),
            "community A record json": public(),
            "consultation A": public(),
            "consultation A print": public(),
            "suggestion form A": public(),
            "hearing A": public(),
            "hearing A register": public(405),  # POST only
            "poll A": public(),
            # Secret poll still open: nobody sees counts before voting closes.
            "poll A results csv": public(403),
            "poll A results json": public(403),
            "outcome A": public(),
            "outcome A print": public(),
            "draft B": public(404),
            "no such page": public(404),
        }
    ),
    # --- the admin: Wagtail's own screens -----------------------------------------------
    "admin_login_redirect": public(LOGIN),
    "wagtailadmin_home": admin(),
    "- admin/test404/": admin(),
    "wagtailadmin_api:pages:listing": admin(),
    "wagtailadmin_api:pages:detail": by_label(
        A=keepers("A", refused=404), **{"draft B": keepers("B", refused=404)}
    ),
    "wagtailadmin_api:pages:find": keepers("B", REDIRECT, refused=404),
    "wagtailadmin_api:pages:action": admin(405),
    "wagtailadmin_api:documents:listing": admin(),
    "wagtailadmin_api:documents:detail": admin(),
    "wagtailadmin_api:documents:find": admin(REDIRECT),
    "wagtailadmin_api:images:listing": admin(),
    "wagtailadmin_api:images:detail": admin(),
    "wagtailadmin_api:images:find": admin(REDIRECT),
    "wagtailadmin_error_test": admin(500),  # Wagtail's deliberate error page
    # Editors are sent from the root to their own part of the tree.
    "wagtailadmin_explore_root": admin(REDIRECT, superuser=OK, legal_reviewer=REFUSED),
    "wagtailadmin_explore": by_community(keepers, refused=REDIRECT, legal_reviewer=REFUSED),
    "wagtailadmin_explore_results": by_community(keepers, refused=REDIRECT, legal_reviewer=REFUSED),
    "wagtail_bulk_action": admin(),
    "wagtailadmin_pages:add": by_community(keepers),
    "wagtailadmin_pages:preview_on_add": by_community(keepers),
    "wagtailadmin_pages:type_use": admin(only=PAGE_STAFF),
    "wagtailadmin_pages:type_use_results": admin(only=PAGE_STAFF),
    # Editors of one community go straight to it; others choose where to add.
    "wagtailadmin_pages:choose_parent": admin(
        REDIRECT, official=OK, legal_reviewer=OK, superuser=OK
    ),
    "wagtailadmin_pages:usage": by_community(keepers),
    "wagtailadmin_pages:edit": by_community(keepers),
    "wagtailadmin_pages:preview_on_edit": by_community(keepers),
    "wagtailadmin_pages:view_draft": by_community(keepers),
    "wagtailadmin_pages:add_subpage": by_community(keepers),
    "wagtailadmin_pages:delete": by_community(keepers),
    "wagtailadmin_pages:unpublish": admin(REFUSED),  # a draft cannot be unpublished
    "wagtailadmin_pages:convert_alias": admin(404),  # not an alias
    "wagtailadmin_pages:search": admin(only=PAGE_STAFF),
    "wagtailadmin_pages:search_results": admin(only=PAGE_STAFF),
    "wagtailadmin_pages:move": by_community(keepers),
    # Rights on the page and on the destination (the township: officials only); Wagtail
    # checks them only on POST, the portal's before_move_page hook on GET too.
    "wagtailadmin_pages:move_confirm": admin(only=OFFICIALS),
    "wagtailadmin_pages:set_page_position": admin(405),
    "wagtailadmin_pages:copy": by_community(keepers),
    "wagtailadmin_pages:workflow_action": admin(only=PUBLISHERS["A"]),
    "wagtailadmin_pages:collect_workflow_action_data": admin(only=PUBLISHERS["A"]),
    # JSON "nothing to confirm" for a page without a workflow in progress.
    "wagtailadmin_pages:confirm_workflow_cancellation": admin(),
    "wagtailadmin_pages:workflow_preview": admin(only=PUBLISHERS["A"]),
    "wagtailadmin_pages:set_privacy": by_label(
        A=admin(only=PUBLISHERS["A"]), B=admin(only=PUBLISHERS["B"])
    ),
    "wagtailadmin_pages:lock": admin(405),
    "wagtailadmin_pages:unlock": admin(405),
    "wagtailadmin_pages:revisions_index": admin(REDIRECT),  # to the page's history
    "wagtailadmin_pages:revisions_view": by_community(keepers),
    "wagtailadmin_pages:revisions_revert": by_community(keepers),
    "wagtailadmin_pages:revisions_unschedule": by_label(
        A=admin(only=PUBLISHERS["A"]), B=admin(only=PUBLISHERS["B"])
    ),
    "wagtailadmin_pages:revisions_compare": by_community(keepers),
    "wagtailadmin_pages:workflow_history": by_community(keepers),
    "wagtailadmin_pages:workflow_history_detail": keepers("A"),
    "wagtailadmin_pages:history": by_community(keepers),
    "wagtailadmin_pages:history_results": by_community(keepers),
    "wagtailadmin_choose_page": admin(),
    "wagtailadmin_choose_page_child": admin(),
    "wagtailadmin_choose_page_search": admin(),
    "wagtailadmin_choose_page_chosen_multiple": admin(),
    "wagtailadmin_choose_page_external_link": admin(),
    "wagtailadmin_choose_page_email_link": admin(),
    "wagtailadmin_choose_page_phone_link": admin(),
    "wagtailadmin_choose_page_anchor_link": admin(),
    "wagtailadmin_tag_autocomplete": admin(),
    "wagtailadmin_tag_model_autocomplete": admin(404),  # documents have no tag model here
    "wagtailadmin_collections:index": admin(only=SUPERUSER),
    "wagtailadmin_collections:add": admin(only=SUPERUSER),
    "wagtailadmin_collections:edit": admin(only=SUPERUSER),
    "wagtailadmin_collections:delete": admin(only=SUPERUSER, refused=404),
    "wagtailadmin_collections:set_privacy": admin(only=SUPERUSER),
    "wagtailadmin_workflows:index": admin(only=SUPERUSER),
    "wagtailadmin_workflows:index_results": admin(only=SUPERUSER),
    "wagtailadmin_workflows:add": admin(only=SUPERUSER),
    "wagtailadmin_workflows:enable": admin(405),
    "wagtailadmin_workflows:disable": admin(only=SUPERUSER),
    "wagtailadmin_workflows:edit": admin(only=SUPERUSER),
    "wagtailadmin_workflows:usage": admin(only=SUPERUSER),
    "wagtailadmin_workflows:usage_results": admin(only=SUPERUSER),
    "wagtailadmin_workflows:remove admin/workflows/remove/<int:page_pk>/": admin(405),
    "wagtailadmin_workflows:remove admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": (
        admin(405)
    ),
    "wagtailadmin_workflows:add_task": admin(only=SUPERUSER),
    "wagtailadmin_workflows:select_task_type": admin(only=SUPERUSER),
    "wagtailadmin_workflows:task_index": admin(only=SUPERUSER),
    "wagtailadmin_workflows:task_index_results": admin(only=SUPERUSER),
    "wagtailadmin_workflows:edit_task": admin(only=SUPERUSER),
    "wagtailadmin_workflows:disable_task": admin(only=SUPERUSER),
    "wagtailadmin_workflows:enable_task": admin(405),
    "wagtailadmin_workflows:task_chooser": admin(),
    "wagtailadmin_workflows:task_chooser_results": admin(),
    "wagtailadmin_workflows:task_chooser_create": admin(),
    "wagtailadmin_workflows:task_chosen": admin(),
    # Reports: who may open them; what they list is checked by the draft-title probe.
    "wagtailadmin_reports:locked_pages": admin(only=OFFICIALS),
    "wagtailadmin_reports:locked_pages_results": admin(only=OFFICIALS),
    "wagtailadmin_reports:workflow": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:workflow_results": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:workflow_tasks": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:workflow_tasks_results": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:site_history": admin(),
    "wagtailadmin_reports:site_history_results": admin(),
    "wagtailadmin_reports:aging_pages": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:aging_pages_results": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:page_types_usage": admin(only=PAGE_STAFF),
    "wagtailadmin_reports:page_types_usage_results": admin(only=PAGE_STAFF),
    "portal_page_types_usage": admin(only=PAGE_STAFF),
    "portal_page_types_usage_results": admin(only=PAGE_STAFF),
    "wagtailadmin_account": admin(),
    "wagtailadmin_logout": admin(405),
    "wagtailadmin_dismissibles": admin(),
    "wagtailadmin_editing_sessions:ping": admin(405),
    "wagtailadmin_editing_sessions:release": admin(405),
    "wagtailadmin_block_preview": admin(404),  # no block named
    # --- the admin: the portal's screens ------------------------------------------------
    "consultations_new": admin(only=PAGE_STAFF),
    "hearings_admin:index": admin(),
    "hearings_admin:registrants": by_community(keepers),
    "hearings_admin:check_in": by_community(keepers),
    "hearings_admin:speakers": by_community(keepers),
    "hearings_admin:assisted_register": by_community(keepers),
    "consultations_ledgerentry_modeladmin_index": admin(only=PAGE_STAFF),
    "consultations_ledgerentry_modeladmin_create": admin(only=PAGE_STAFF),
    "consultations_ledgerentry_modeladmin_edit": by_community(keepers),
    "consultations_ledgerentry_modeladmin_delete": by_community(keepers),
    "consultations_ledgerentry_modeladmin_inspect": by_community(keepers),
    "consultations_ledgerentry_modeladmin_history": by_community(keepers),
    "ledger_admin:report": admin(only=OFFICIALS),
    "ledger_admin:report_results": admin(only=OFFICIALS),
    "ledger_admin:report_print": admin(only=OFFICIALS),
    # The old address sends to the ledger list's own ?export= (one export mechanism).
    "ledger_admin:export": admin(REDIRECT, only=PAGE_STAFF),
    "outcomes_admin:overdue": admin(only=OFFICIALS),
    "outcomes_admin:overdue_results": admin(only=OFFICIALS),
    "outcomes_admin:overdue_items": admin(only=OFFICIALS),
    "outcomes_admin:overdue_items_results": admin(only=OFFICIALS),
    "outcomes_admin:implementation": by_community(keepers),
    "outcomes_admin:item": admin(REDIRECT),  # to the implementation record
    # A live outcome needs no override (and only superusers may): refused for all.
    "outcomes_admin:override": admin(REFUSED),
    "polls_admin:dashboard": by_community(keepers),
    "polls_admin:new_code_batch": by_community(keepers),
    "polls_admin:code_sheet": admin(405),  # printing is a POST
    "polls_admin:approve_code_reprint": admin(405),
    "polls_admin:void_codes": by_community(keepers),
    "polls_admin:new_paper_tally": by_community(keepers),
    "polls_admin:confirm_paper_tally": admin(405),
    "polls_admin:assisted_vote": by_community(keepers),
    "polls_admin:roster_assisted_vote": by_community(keepers),
    "polls_admin:issue_person_codes": admin(405),
    # A secret poll still open: no counts for anyone, staff included.
    "polls_admin:export": admin(REFUSED),
    "polls_admin:publish": admin(405),
    "roster_admin:index": admin(only=PAGE_STAFF),
    "roster_admin:roster": by_community(keepers),
    "roster_admin:add": by_community(keepers),
    "roster_admin:edit": by_community(keepers),
    "roster_admin:link": by_community(keepers),
    "roster_admin:unlink": admin(405),  # POST only; see test_object_level
    "roster_admin:upload": by_community(keepers),
    "roster_admin:import_preview": by_community(keepers),
    "roster_admin:export": by_community(keepers),
    "suggestions_admin:queue": admin(),
    "suggestions_admin:detail": by_community(keepers),
    "suggestions_admin:assisted_submit": by_community(keepers),
    "suggestions_admin:export": by_community(keepers),
    "wagtailforms:index": admin(only=PAGE_STAFF),
    "wagtailforms:index_results": admin(only=PAGE_STAFF),
    "wagtailforms:list_submissions": by_community(keepers),
    "wagtailforms:list_submissions_results": by_community(keepers),
    "wagtailforms:delete_submissions": by_community(keepers),
    # --- the admin: Wagtail's contrib and settings (superusers only) --------------------
    "wagtailredirects:index": admin(only=SUPERUSER),
    "wagtailredirects:index_results": admin(only=SUPERUSER),
    "wagtailredirects:add": admin(only=SUPERUSER),
    "wagtailredirects:edit": admin(only=SUPERUSER),
    "wagtailredirects:delete": admin(only=SUPERUSER),
    "wagtailredirects:start_import": admin(only=SUPERUSER),
    "wagtailredirects:process_import": admin(only=SUPERUSER, superuser=405),
    # Without a site id: on to the default site's settings.
    "wagtailsettings:edit admin/settings/<slug:app_name>/<slug:model_name>/": admin(
        only=SUPERUSER, superuser=REDIRECT
    ),
    "wagtailsettings:edit admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": admin(
        only=SUPERUSER
    ),
    "wagtailsettings:preview_on_edit": admin(only=SUPERUSER, superuser=404),
    "wagtailsearchpromotions:index": admin(only=SUPERUSER),
    "wagtailsearchpromotions:index_results": admin(only=SUPERUSER),
    "wagtailsearchpromotions:add": admin(only=SUPERUSER),
    "wagtailsearchpromotions:edit": admin(only=SUPERUSER),
    "wagtailsearchpromotions:delete": admin(only=SUPERUSER),
    # The query chooser (search terms people typed, no names) serves every editor.
    "wagtailsearchpromotions:chooser": admin(),
    "wagtailsearchpromotions:chooserresults": admin(),
    "wagtailsearchpromotions:search_terms": admin(only=SUPERUSER),
    "wagtailsearchpromotions:search_terms_results": admin(only=SUPERUSER),
    "wagtailembeds:chooser": admin(),
    "wagtailembeds:chooser_upload": admin(),
    "wagtailsnippets:index": admin(only=SUPERUSER),
    "wagtaildocs:index": admin(only=SUPERUSER),
    "wagtaildocs:index_results": admin(only=SUPERUSER),
    "wagtaildocs:add": admin(only=SUPERUSER),
    "wagtaildocs:edit": admin(only=SUPERUSER),
    "wagtaildocs:delete": admin(only=SUPERUSER),
    "wagtaildocs:add_multiple": admin(only=SUPERUSER),
    "wagtaildocs:edit_multiple": admin(405),
    "wagtaildocs:delete_multiple": admin(405),
    "wagtaildocs:document_usage": admin(only=SUPERUSER),
    "wagtailimages:index": admin(only=SUPERUSER),
    "wagtailimages:index_results": admin(only=SUPERUSER),
    "wagtailimages:edit": admin(only=SUPERUSER),
    "wagtailimages:delete": admin(only=SUPERUSER),
    "wagtailimages:url_generator": admin(only=SUPERUSER, superuser=404),  # no WAGTAILIMAGES_SERVE
    "wagtailimages:url_generator_output": admin(only=SUPERUSER, superuser=404),
    "wagtailimages:preview": admin(only=SUPERUSER),
    "wagtailimages:add": admin(only=SUPERUSER),
    "wagtailimages:image_usage": admin(only=SUPERUSER),
    "wagtailimages:add_multiple": admin(only=SUPERUSER),
    "wagtailimages:edit_multiple": admin(405),
    "wagtailimages:delete_multiple": admin(405),
    "wagtailsites:index": admin(only=SUPERUSER),
    "wagtailsites:index_results": admin(only=SUPERUSER),
    "wagtailsites:add": admin(only=SUPERUSER),
    "wagtailsites:edit": admin(only=SUPERUSER),
    "wagtailsites:delete": admin(only=SUPERUSER),
    "wagtailsites:history": admin(only=SUPERUSER),
    "wagtailsites:history_results": admin(only=SUPERUSER),
    "wagtailsites:usage": admin(only=SUPERUSER),
    "wagtailsites:copy": admin(only=SUPERUSER),
    "wagtailusers_users:index": admin(only=SUPERUSER),
    "wagtailusers_users:index_results": admin(only=SUPERUSER),
    "wagtailusers_users:add": admin(only=SUPERUSER),
    "wagtailusers_users:edit": admin(only=SUPERUSER),
    "wagtailusers_users:delete": admin(only=SUPERUSER),
    "wagtailusers_users:history": admin(only=SUPERUSER),
    "wagtailusers_users:history_results": admin(only=SUPERUSER),
    "wagtailusers_users:usage": admin(only=SUPERUSER),
    "wagtailusers_users:copy": admin(only=SUPERUSER),
    "wagtailusers_groups:index": admin(only=SUPERUSER),
    "wagtailusers_groups:index_results": admin(only=SUPERUSER),
    "wagtailusers_groups:add": admin(only=SUPERUSER),
    "wagtailusers_groups:edit": admin(only=SUPERUSER),
    "wagtailusers_groups:delete": admin(only=SUPERUSER),
    "wagtailusers_groups:history": admin(only=SUPERUSER),
    "wagtailusers_groups:history_results": admin(only=SUPERUSER),
    "wagtailusers_groups:usage": admin(only=SUPERUSER),
    # Choosers list what the chooser may pick; documents and images belong to superusers.
    "wagtaildocs_chooser:choose": admin(),
    "wagtaildocs_chooser:choose_results": admin(),
    "wagtaildocs_chooser:chosen": admin(only=SUPERUSER),
    "wagtaildocs_chooser:chosen_multiple": admin(),
    "wagtaildocs_chooser:create": admin(only=SUPERUSER),
    "wagtailimages_chooser:choose": admin(),
    "wagtailimages_chooser:choose_results": admin(),
    "wagtailimages_chooser:chosen": admin(only=SUPERUSER),
    "wagtailimages_chooser:chosen_multiple": admin(),
    "wagtailimages_chooser:create": admin(only=SUPERUSER),
    "wagtailimages_chooser:select_format": admin(only=SUPERUSER),
    "wagtail_modeladmin:javascript_catalog": admin(),
    "wagtailadmin_sprite": public(),
    "wagtailadmin_login": public(LOGIN),  # on to allauth's sign-in
    "wagtailadmin_password_reset": public(),
    "wagtailadmin_password_reset_done": public(),
    "wagtailadmin_password_reset_confirm": public(),
    "wagtailadmin_password_reset_complete": public(),
    "wagtailadmin_javascript_catalog": public(),
    "- admin/^.*/$": admin(404),
}

# The catalogue snippets: superusers manage them; choosers serve every editor.
for _model in ("category", "participantgroup", "format"):
    for _view in (
        "list",
        "list_results",
        "add",
        "edit",
        "delete",
        "usage",
        "history",
        "history_results",
        "copy",
    ):
        EXPECT[f"wagtailsnippets_consultations_{_model}:{_view}"] = admin(only=SUPERUSER)
    for _view in ("choose", "choose_results", "chosen", "chosen_multiple", "create"):
        EXPECT[f"wagtailsnippetchoosers_consultations_{_model}:{_view}"] = (
            admin(only=SUPERUSER) if _view == "create" else admin()
        )
