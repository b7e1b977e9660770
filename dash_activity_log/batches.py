"""Choose the batch id that groups an activity with the others of its occasion.

The first of these that applies wins: an explicit ``batch()`` block, the
request (with ``ActivityLogMiddleware``), the management command run, and
finally the database transaction. A write outside any transaction is its
own batch.

A transaction has no id of its own, so its batch is kept on the connection
together with a commit hook registered when the batch began. Django drops
that hook when the transaction, or the savepoint it was registered in, rolls
back, and runs and forgets it on commit; the batch is current only while the
hook is still waiting. Note: this reads ``connection.run_on_commit``, which
Django does not document but has kept since 1.9. Hooks are only appended,
and a rollback removes the hooks after a point, never before one, so the
hook's position is enough to find it again without scanning the list. The
hook does nothing but forget the batch; tests that count commit hooks
(``captureOnCommitCallbacks``) see one more per transaction that logs.
"""

from __future__ import annotations

import threading
import uuid
import weakref

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from dash_activity_log.context import Scope

__all__ = ["batch_for"]

_lock = threading.Lock()
_command_batches: weakref.WeakKeyDictionary[BaseCommand, uuid.UUID] = (
    weakref.WeakKeyDictionary()
)


# The current transaction batch is kept on the connection itself: Django
# gives each thread its own connection, so no lock is needed, and it goes
# away with the connection.
_ATTRIBUTE = "_dash_activity_log_batch"


class _TransactionBatch:
    """A transaction's batch id, and the commit hook that shows it is current."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.id = uuid.uuid4()
        self.connection = weakref.ref(connection)
        self.position = len(connection.run_on_commit)

    def is_current(self, connection: BaseDatabaseWrapper) -> bool:
        hooks = connection.run_on_commit
        return self.position < len(hooks) and self in hooks[self.position]

    def __call__(self) -> None:
        connection = self.connection()
        if connection is not None and getattr(connection, _ATTRIBUTE, None) is self:
            delattr(connection, _ATTRIBUTE)


def batch_for(
    connection: BaseDatabaseWrapper, scope: Scope, command: BaseCommand | None
) -> uuid.UUID:
    """Return the batch of an activity written now through ``connection``.

    ``scope`` is the current context's and ``command`` the running
    management command, as ``dash_activity_log.context`` finds them. Call it
    before opening the savepoint the activity is written in, so that a
    transaction's batch outlives that savepoint.
    """
    if scope.batch is not None:
        return scope.batch
    if command is not None:
        with _lock:
            return _command_batches.setdefault(command, uuid.uuid4())
    return _transaction_batch(connection)


def _transaction_batch(connection: BaseDatabaseWrapper) -> uuid.UUID:
    if not connection.in_atomic_block:
        return uuid.uuid4()
    current: _TransactionBatch | None = getattr(connection, _ATTRIBUTE, None)
    if current is not None and current.is_current(connection):
        return current.id
    fresh = _TransactionBatch(connection)
    transaction.on_commit(fresh, using=connection.alias)
    setattr(connection, _ATTRIBUTE, fresh)
    return fresh.id
