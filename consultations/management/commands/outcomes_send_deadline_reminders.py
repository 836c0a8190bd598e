"""Remind the responsible editors of the outcome disclosure deadline (三(五)).

Run once a day (cron/systemd timer), e.g. at 08:00:

    python manage.py outcomes_send_deadline_reminders [--days-before 3] [--repeat-every 7]

Mails the community's editors (the township officials for a township-level consultation)
`--days-before` days before a consultation's "outcome due" date, the day after it has
passed without a published outcome and then every `--repeat-every` days, and likewise
for decision items past their due date and not done. Idempotent per day.
"""

from django.core.management.base import BaseCommand

from consultations.outcomes.operations import send_deadline_reminders


class Command(BaseCommand):
    help = "Mail reminders before and after outcome disclosure and implementation deadlines."

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=3)
        parser.add_argument("--repeat-every", type=int, default=7)

    def handle(self, *args, **options):
        sent = send_deadline_reminders(
            days_before=options["days_before"], repeat_every=options["repeat_every"]
        )
        self.stdout.write(f"Deadline reminders sent: {sent}")
