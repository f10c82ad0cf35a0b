"""Errors with stable codes; one place turns them into what a person reads.

`CODES` is the registry: every code Nargis raises is listed here with what it means, and a test
scans the source so a new code cannot slip in unregistered. Scripts and tests match on codes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from nargis_desktop.domain.errors import DomainError


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


class PastReminderError(InputError):
    """A reminder for a moment already gone: it could never ring."""

    code = "past-reminder"


class FutureCheckinError(InputError):
    """A check-in for a day that has not come yet."""

    code = "future-checkin"


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


class FeatureNotInstalledError(NargisError):
    """A feature needs an optional part of Nargis (an extra) that this install lacks."""

    code = "feature-not-installed"
    exit_code = 3

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(
            f"the optional '{extra}' part of Nargis ({feature}) is not installed here; "
            f'install it with: pip install "nargis-desktop[{extra}]"'
        )
        self.feature = feature
        self.extra = extra


class CrashError(NargisError):
    """Something went wrong that Nargis did not expect; a report file says what."""

    code = "internal-error"
    exit_code = 70  # EX_SOFTWARE


# The registry: every code Nargis raises and what it means. Codes of the classes above are here
# too; tests/test_error_codes.py fails when the source raises a code missing from this table.
CODES: dict[str, str] = {
    # General
    "nargis-error": "something went wrong (the base code)",
    "internal-error": "an unexpected failure; a crash report was written",
    "feature-not-installed": "an optional part (extra) of Nargis is not installed",
    "autostart-unsupported": "starting at login is not set up on this platform",
    # What a person typed or gave
    "bad-input": "a value cannot be used",
    "bad-date": "a date or time could not be read",
    "bad-recurrence": "a repeat could not be read",
    "past-reminder": "a reminder for a moment already gone",
    "future-checkin": "a check-in for a day that has not come",
    "bad-period": "a period (week, month) could not be read",
    "bad-encoding": "input bytes are not UTF-8",
    "bad-settings": "the settings file cannot be read",
    "bad-url": "not a server address",
    "bad-device-id": "not a device id of this account",
    "bad-phrase": "not a recovery phrase",
    "bad-import-file": "an import file cannot be read",
    "not-found": "no item with that name or id",
    "ambiguous-id": "several items match",
    "already-done": "the item is already done",
    "duplicate": "an item with that name exists",
    "empty-entry": "a journal entry without text",
    "empty-input": "nothing was said or typed",
    "file-exists": "the output file exists already",
    "invalid-text": "text Nargis cannot store (control characters)",
    "item-too-large": "an item over the size limit",
    "no-journal-search": "journal search is not set up",
    "tool-failed": "the assistant could not do what was asked",
    "data-folder-inside": "the new data folder is inside the current one",
    "data-folder-not-empty": "the new data folder is not empty",
    "data-folder-empty": "the folder holds no Nargis data",
    "data-folder-copy": "the copied data differs from the original",
    # The store
    "store-error": "the encrypted store cannot be used",
    "store-wrong-key": "the key or passphrase does not open the store",
    "store-not-a-store": "the file is not a Nargis store",
    "store-key-unavailable": "the store key cannot be obtained",
    "store-key-record": "the key record file is damaged",
    "store-bad-key-length": "a store key of the wrong length",
    "store-damaged": "the store file is damaged or unreadable",
    "store-empty": "a backup file holds no data",
    "store-open-failed": "the store file cannot be opened",
    "store-too-new": "the store was written by a newer Nargis",
    "analytics-failed": "the analytics engine could not start",
    # Models
    "model-error": "a model cannot be used",
    "manifest-invalid": "models.toml or the model choices are invalid",
    "model-unknown": "no model with that id",
    "model-bad-role": "a model of the wrong role",
    "model-not-installed": "the model is not downloaded",
    "model-bundled-broken": "a bundled model package holds no model",
    "model-bundled-only": "the model comes only as a package",
    "model-unverified": "a model file without a checksum",
    "model-missing-file": "a model file is missing",
    "model-unknown-format": "a model file of an unknown format",
    "model-bad-format": "a model file of the wrong format",
    "model-load-failed": "an engine could not load its model",
    "download-failed": "a download failed",
    "download-checksum-mismatch": "a download does not match its checksum",
    "download-cancelled": "a download was cancelled",
    "download-no-space": "not enough disk space for a download",
    "archive-bad": "a model archive is not a valid archive",
    "archive-unsafe": "a model archive would write outside its folder",
    # Audio and voice
    "audio-error": "audio cannot be read or played",
    "audio-no-portaudio": "PortAudio could not be loaded",
    "audio-no-input": "no microphone matches",
    "audio-no-output": "no speaker matches",
    "audio-device-lost": "the microphone stopped",
    "audio-mic-failed": "the microphone cannot be opened",
    "audio-speaker-failed": "the speaker cannot be opened",
    "audio-bad-shape": "audio of an unusable shape",
    "audio-not-audio": "a file that is not audio",
    "audio-unreadable": "an audio file cannot be read",
    "vad-unavailable": "voice activity detection cannot run",
    "stt-bad-rate": "audio at a sample rate the recogniser does not take",
    "stt-failed": "speech recognition failed",
    "tts-failed": "speech synthesis or playback failed",
    "voice-turn-failed": "a voice turn failed unexpectedly",
    # The app
    "hotkey-unknown-key": "the talk key is not a key on this keyboard",
    "hotkey-taken": "another program uses the talk key",
    "screenshot-only": "voice is off while rendering a screenshot",
    "screenshot-failed": "the screenshot could not be written",
    # Google Sheets
    "sheets-error": "Google Sheets sync failed",
    "sheets-offline": "Google cannot be reached now",
    "sheets-auth-failed": "Google refused the sign-in",
    "sheets-bad-credentials": "the Google credentials are invalid",
    "sheets-bad-credentials-file": "the Google credentials file cannot be read",
    "sheets-no-credentials": "no Google credentials given",
    "sheets-two-credentials": "two kinds of Google credentials given",
    "sheets-no-keyring": "no keyring to keep the Google token in",
    "sheets-not-connected": "Sheets sync is not connected",
    "sheets-rejected": "Google rejected a write",
    "sheets-unavailable": "Google Sheets is unavailable",
    "sheets-write-interrupted": "a Sheets write was interrupted",
    # Sync with the server (codes the server answers with arrive as sync-<its code>)
    "sync-error": "syncing failed",
    "sync-offline": "the sync server cannot be reached now",
    "sync-auth": "the server refused this device",
    "sync-wrong-key": "the sync key differs from the one that wrote the data",
    "sync-clock-skew": "this device's clock is too far off",
    "sync-protocol": "the server answered something unexpected",
    "sync-not-configured": "sync is not set up",
    "sync-logged-out": "this device has no sync session",
    "sync-change-too-large": "a change over the server's size limit",
    "sync-account-exists": "an account with that email exists",
    "sync-bad-credentials": "wrong email or password",
    "sync-bad-token": "the session token is not valid",
    "sync-bad-refresh-token": "the refresh token is not valid",
    "sync-refresh-reused": "a refresh token was used twice",
    "sync-no-token": "no session token was sent",
    "sync-device-revoked": "this device was removed from the account",
    "sync-device-limit": "the account has its most devices",
    "sync-device-mismatch": "the session belongs to another device",
    "sync-no-such-device": "no such device on the account",
    "sync-batch-id-reused": "a batch id was reused with other changes",
    "sync-change-id-conflict": "a change id was reused with other content",
    "sync-quota-exceeded": "the account is over its storage quota",
    "sync-rate-limited": "too many requests",
    "sync-busy": "the server is busy",
    "sync-body-too-large": "a request over the server's size limit",
    "sync-invalid-request": "the server could not read the request",
    "sync-http-error": "an HTTP error from the server",
}


def _check_class_codes() -> None:
    """The classes above have their codes registered (a typo fails at import); tests scan the rest."""
    pending: list[type[NargisError]] = [NargisError]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if kind.code not in CODES:
            raise RuntimeError(f"{kind.__name__}.code {kind.code!r} is not in nargis_desktop.errors.CODES")


_check_class_codes()

_INPUT_ERROR_BY_CODE: dict[str, type[InputError]] = {
    kind.code: kind for kind in (DateParseError, RecurrenceError, PastReminderError, FutureCheckinError, NotFoundError)
}


def from_domain(error: DomainError) -> InputError:
    """A value the domain refused, as the InputError a person reads (the class follows the code)."""
    kind = _INPUT_ERROR_BY_CODE.get(error.code, InputError)
    mapped = kind(error.message, code=error.code)
    mapped.__cause__ = error
    return mapped


@contextmanager
def domain_rules() -> Iterator[None]:
    """The service boundary: a DomainError raised inside leaves as an InputError with its cause."""
    try:
        yield
    except DomainError as err:
        raise from_domain(err) from err


ServiceClass = TypeVar("ServiceClass", bound=type)


def maps_domain_errors(service: ServiceClass) -> ServiceClass:
    """The service boundary, once per class: each public method's DomainError leaves as an InputError."""

    def mapping(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            with domain_rules():
                return method(*args, **kwargs)

        return call

    for name, member in list(vars(service).items()):
        if not name.startswith("_") and callable(member) and not isinstance(member, type):
            setattr(service, name, mapping(member))
    return service


# Modules of the optional extras (pyproject.toml): which extra brings each, and what needs it.
OPTIONAL_MODULES: dict[str, tuple[str, str]] = {
    "duckdb": ("insights", "statistics, insights and the weekly review"),
    "pyarrow": ("insights", "statistics, insights and the weekly review"),
    "vaderSentiment": ("insights", "the tone of journal entries"),
    "numpy": ("embeddings", "journal search by meaning"),
    "gspread": ("sync", "google Sheets sync"),
    "cryptography": ("sync", "sync"),
    "websockets": ("sync", "live sync"),
    "pydantic": ("sync", "sync"),
    "PySide6": ("desktop", "the app window"),
    "apscheduler": ("desktop", "reminders in the app"),
    "jeepney": ("desktop", "desktop notifications"),
    "Xlib": ("desktop", "the global talk key"),
    "sounddevice": ("voice", "voice"),
    "soundfile": ("voice", "voice"),
    "soxr": ("voice", "voice"),
    "vosk": ("voice", "speech recognition with Vosk"),
    "piper": ("voice", "speech with Piper"),
    "faster_whisper": ("voice", "speech recognition with Whisper"),
    "onnxruntime": ("voice", "voice activity detection"),
    "llama_cpp": ("llm", "the language model"),
}


def missing_feature(error: BaseException) -> FeatureNotInstalledError | None:
    """The FeatureNotInstalledError for an import of an optional extra that failed, else None."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    known = OPTIONAL_MODULES.get(error.name.split(".")[0])
    if known is None:
        return None
    extra, feature = known
    mapped = FeatureNotInstalledError(feature, extra)
    mapped.__cause__ = error
    return mapped


def as_nargis_error(error: BaseException) -> NargisError | None:
    """What Nargis can say about an error: its own, a domain rule, a missing extra; else None."""
    if isinstance(error, NargisError):
        return error
    if isinstance(error, DomainError):
        return from_domain(error)
    return missing_feature(error)


def user_message(error: BaseException, *, with_code: bool = False) -> str:
    """The one place an error becomes text for a person; the stable code only when asked (-v, logs)."""
    error = as_nargis_error(error) or error
    if isinstance(error, NargisError):
        return f"error: {error.message}" + (f" [{error.code}]" if with_code else "")
    return f"error: unexpected {type(error).__name__}: {error}" + (" [internal-error]" if with_code else "")
