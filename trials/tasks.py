"""Celery tasks: the scheduled syncs (see CELERY_BEAT_SCHEDULE). The work is in trials.sync."""

import logging

from celery import shared_task

from trials.models import SyncRun
from trials.sync import SyncAlreadyRunning, run_sync

logger = logging.getLogger(__name__)


@shared_task
def full_sync() -> int | None:
    return _sync(SyncRun.Kind.FULL)


@shared_task
def incremental_sync() -> int | None:
    return _sync(SyncRun.Kind.INCREMENTAL)


def _sync(kind: str) -> int | None:
    """The SyncRun's id; None when another run holds the lock (it does the same work)."""
    try:
        return run_sync(kind).pk
    except SyncAlreadyRunning:
        logger.info("Skipped a %s sync: another sync or import is running", kind)
        return None
