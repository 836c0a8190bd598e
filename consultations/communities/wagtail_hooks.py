"""Admin hooks for the page tree: no screen names a page outside the user's rights."""

from wagtail import hooks

from consultations.permissions import can_move_page_to, refuse_unless


@hooks.register("before_move_page")
def refuse_move_without_rights(request, page, destination):
    """Wagtail's move confirmation shows the page and its destination before checking any
    right (the move itself is checked on POST); refuse it as the admin refuses."""
    refuse_unless(can_move_page_to(request.user, page, destination))
