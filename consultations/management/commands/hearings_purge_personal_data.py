"""The former name of `purge_personal_data`, kept so that existing timers keep working."""

from consultations.management.commands.purge_personal_data import Command as PurgeCommand


class Command(PurgeCommand):
    help = "Same as purge_personal_data (its former name)."
