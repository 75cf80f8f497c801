"""Ledger queries behind ``newsflow quarantine list|retry``."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.ledger import lock_file
from models.tables import ArticleOccurrence, FileItem, LedgerState, PageText, SourceFile

RETRYABLE = (LedgerState.QUARANTINED, LedgerState.FAILED)


def quarantined_files(session: Session, include_failed: bool = False) -> list[SourceFile]:
    states = RETRYABLE if include_failed else (LedgerState.QUARANTINED,)
    query = select(SourceFile).where(SourceFile.status.in_(states)).order_by(SourceFile.id)
    return list(session.scalars(query))


class NotRetryable(ValueError):
    pass


def reset_for_retry(session: Session, file_id: int) -> SourceFile:
    """Put a quarantined or failed file back to ``queued``, forgetting its partial work.

    Items parsed before are dropped (the retry may run a fixed segmenter), unless the file
    already has occurrences: then the articles it brought are kept and only states reset.
    """
    file = lock_file(session, file_id)
    if file is None or file.status not in RETRYABLE:
        state = "no such file" if file is None else f"its state is {file.status}"
        raise NotRetryable(f"file {file_id} cannot be retried: {state}")
    if not session.scalar(select(func.count()).where(ArticleOccurrence.file_id == file_id)):
        session.execute(delete(FileItem).where(FileItem.file_id == file_id))
        session.execute(delete(PageText).where(PageText.file_id == file_id))
        file.stage = None
    file.status, file.error_code, file.error_detail = LedgerState.QUEUED, None, None
    file.finished_at, file.attempts, file.updated_at = None, 0, func.now()
    return file
