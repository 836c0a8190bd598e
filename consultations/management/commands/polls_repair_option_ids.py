"""Give every question and option of every poll its own id (run once after upgrading).

Polls saved before ids were made unique at save time may have two options with one id
(an admin "Insert a block" or "Duplicate" could copy it). Polls without votes are
repaired, in the page and in every revision; polls with votes are listed for a person to
look at, since their votes for a shared id cannot be told apart.

    .venv/bin/python manage.py polls_repair_option_ids
"""

from django.core.management.base import BaseCommand

from consultations.models import PollPage
from consultations.polls.operations import PollError, repair_option_ids


class Command(BaseCommand):
    help = "Make the question and option ids of every poll unique (polls without votes)."

    def handle(self, *args, **options):
        repaired = 0
        for poll in PollPage.objects.order_by("path").iterator():
            try:
                changed = repair_option_ids(poll)
            except PollError as error:
                if poll.ensure_unique_ids():
                    self.stderr.write(f"{poll.pk} {poll.title}: {error.message}")
                continue
            if changed:
                repaired += 1
                self.stdout.write(f"{poll.pk} {poll.title}: {changed} ids changed")
        self.stdout.write(f"Polls repaired: {repaired}.")
