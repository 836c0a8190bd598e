"""The database router: reads of listings go to a replica, everything else to default.

Only code that asks for it reads from the replica (`with replica_reads(): …`): consultation
listings, the tracker, search — pages that show what many published, where a second's
replication lag does no harm. A resident's own page after a vote or a registration reads
from the default database, so it always shows what they have just done; so does every
read inside a transaction (it may be part of a write). Turned on by DATABASE_REPLICA_URL
(`PORTAL_REPLICA_READS`); without it every alias is default.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reads = ContextVar("portal_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Reads inside this block may be served by the replica."""
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reads.get()
            and getattr(settings, "PORTAL_REPLICA_READS", False)
            and REPLICA in settings.DATABASES
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None  # Django's own choice: the default, or the alias an object came from

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
