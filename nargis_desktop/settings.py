"""The person's app settings, a frozen dataclass kept in settings.toml in the config folder."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from nargis_desktop.errors import InputError

THEMES = ("system", "light", "dark")
STT_ENGINES = ("default", "vosk", "whisper")


@dataclass(frozen=True)
class AppSettings:
    speaking_rate: float = 1.0  # 1.0 is the voice's own pace; 1.2 is 20 % faster
    stt_engine: str = "default"  # "default" follows `nargis models use stt …`
    theme: str = "system"
    show_latency: bool = True  # the per-turn latency readout next to the talk button
    talk_shortcut: str = "Space"
    click_to_toggle: bool = False  # one click starts listening and the next stops, instead of holding
    global_talk_enabled: bool = False  # hold `global_talk_key` to talk while another app has the focus (X11)
    global_talk_key: str = "F9"  # one key, as Qt names it; taken from every other app while Nargis runs
    language: str = "en"  # the person's language ("en", "ko", "de_DE"): models for it are picked by default

    def __post_init__(self) -> None:
        if not 0.5 <= self.speaking_rate <= 2.0:
            raise InputError(f"speaking rate {self.speaking_rate} is not between 0.5 and 2.0")
        if self.theme not in THEMES:
            raise InputError(f"theme {self.theme!r} is not one of {', '.join(THEMES)}")
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", self.language):
            raise InputError(f"language {self.language!r} is not a language code such as en, ko or de_DE")
        if self.stt_engine not in STT_ENGINES:
            raise InputError(f"speech engine {self.stt_engine!r} is not one of {', '.join(STT_ENGINES)}")

    @classmethod
    def load(cls, path: Path) -> AppSettings:
        if not path.exists():
            return cls()
        try:
            data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise InputError(f"{path}: {err}", code="bad-settings") from err
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: Path) -> None:
        import os

        import tomli_w

        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(tomli_w.dumps(asdict(self)), encoding="utf-8")
        os.replace(partial, path)

    def with_changes(self, **changes: Any) -> AppSettings:
        return replace(self, **changes)
