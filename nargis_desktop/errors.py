"""Errors with stable codes; one place turns them into what a person reads."""

from __future__ import annotations


class NargisError(Exception):
    """Base of every error Nargis reports to a person.

    `code` is stable (scripts and tests match on it); `message` is plain words.
    `exit_code` is what the CLI exits with.
    """

    code = "nargis-error"
    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InputError(NargisError):
    """Something a person typed or a file they gave cannot be used."""

    code = "bad-input"
    exit_code = 2


class DateParseError(InputError):
    code = "bad-date"


class RecurrenceError(InputError):
    code = "bad-recurrence"


class NotFoundError(InputError):
    code = "not-found"


class ImportFileError(InputError):
    code = "bad-import-file"


class StoreError(NargisError):
    """The encrypted store cannot be opened or used."""

    code = "store-error"
    exit_code = 2


class WrongKeyError(StoreError):
    code = "store-wrong-key"


class NotAStoreError(StoreError):
    code = "store-not-a-store"


class KeyUnavailableError(StoreError):
    code = "store-key-unavailable"


class ModelError(NargisError):
    """A model cannot be found, fetched, verified or unpacked."""

    code = "model-error"
    exit_code = 3


class ManifestError(ModelError):
    code = "manifest-invalid"
    exit_code = 2


class DownloadError(ModelError):
    code = "download-failed"


class ChecksumError(DownloadError):
    code = "download-checksum-mismatch"


class DownloadCancelledError(DownloadError):
    code = "download-cancelled"


class UnsafeArchiveError(ModelError):
    code = "archive-unsafe"


class SheetsError(NargisError):
    """Google Sheets sync cannot connect, read or write."""

    code = "sheets-error"
    exit_code = 4


class SheetsOfflineError(SheetsError):
    """Google cannot be reached now; local changes wait for the next sync."""

    code = "sheets-offline"


class SyncError(NargisError):
    """Syncing with the server failed; local data is untouched and changes stay queued."""

    code = "sync-error"
    exit_code = 4


class SyncOfflineError(SyncError):
    code = "sync-offline"


class SyncAuthError(SyncError):
    """The server refused this device: wrong password, revoked device, expired session."""

    code = "sync-auth"


class SyncKeyError(SyncError):
    """A payload did not decrypt: the sync key (recovery phrase) differs from the one that wrote it."""

    code = "sync-wrong-key"


class SyncClockError(SyncError):
    code = "sync-clock-skew"


class SyncProtocolError(SyncError):
    code = "sync-protocol"


class SyncNotConfiguredError(SyncError):
    code = "sync-not-configured"


def user_message(error: BaseException, *, with_code: bool = False) -> str:
    """The one place an error becomes text for a person; the stable code only when asked (-v, logs)."""
    if isinstance(error, NargisError):
        return f"error: {error.message}" + (f" [{error.code}]" if with_code else "")
    return f"error: unexpected {type(error).__name__}: {error}" + (" [internal-error]" if with_code else "")
