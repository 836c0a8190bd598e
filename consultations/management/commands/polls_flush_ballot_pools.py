"""Flush the sealed ballot pools of secret polls (docs/secrecy.md, "Database readers").

A secret ballot is first stored sealed; a flush opens many at once and writes them as
ballots and counts in shuffled order. An open poll's pool is flushed once it holds
`2 * POOL_KEEP` ballots (all but `POOL_KEEP`, chosen at random); a closed poll's pool
entirely. Casting already flushes when the pool is full; run this every few minutes so
that closed polls are flushed too (results count the pool either way):

    python manage.py polls_flush_ballot_pools
"""

from django.core.management.base import BaseCommand

from consultations.polls.operations import flush_all_ballot_pools


class Command(BaseCommand):
    help = "Write the sealed ballots of secret polls that are due as ballots and counts."

    def handle(self, *args, **options):
        flushed = flush_all_ballot_pools()
        for poll, n in flushed.items():
            self.stdout.write(f"{poll.pk} {poll.title}: {n} ballots flushed.")
        self.stdout.write(f"{sum(flushed.values())} ballots flushed in {len(flushed)} polls.")
