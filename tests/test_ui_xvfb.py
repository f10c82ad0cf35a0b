"""The window on a real X server (Xvfb, started here), and the event loop staying responsive."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

NARGIS = str(Path(sys.executable).parent / "nargis")
VIEWS = ["today", "tasks", "habits", "journal", "insights", "conversation"]


@pytest.fixture(scope="module")
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup installs it)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"  # Xvfb writes its display number once it is ready
    yield display
    server.terminate()
    server.wait()


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_renders_on_a_real_x_server(xvfb: str, tmp_path: Path, view: str) -> None:
    from PySide6.QtGui import QImage

    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM"} and not k.startswith("NARGIS_")}
    env.update(DISPLAY=xvfb, NARGIS_HOME=str(tmp_path / "home"), NARGIS_PASSPHRASE="pw")
    subprocess.run([NARGIS, "ask", "--no-llm", "add buy milk today"], env=env, check=True, capture_output=True)
    shot = tmp_path / f"{view}.png"
    result = subprocess.run(
        [NARGIS, "app", "--screenshot", str(shot), "--view", view],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
    assert image.width() >= 900 and len(colours) > 5


def test_the_event_loop_keeps_running_while_voice_models_load(paths: Any, qtbot: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from nargis_desktop.app import open_profile, speech_to_text, text_to_speech
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.assistant.voice import VoicePipeline
    from nargis_desktop.audio.wav_io import WavFileSource, WavSink
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import MainWindow

    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")

    def factory(act: Any) -> VoicePipeline:
        return VoicePipeline(
            WavFileSource(pcm16=b""), speech_to_text(paths, "whisper"), act, text_to_speech(paths), WavSink()
        )

    window = MainWindow(profile, lambda: datetime(2026, 11, 25, 9, 30), Assistant(profile.data), factory)
    qtbot.addWidget(window)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    window.press()  # builds the pipeline, then loads whisper and Piper on a worker thread
    qtbot.waitUntil(lambda: window.voice_warm, timeout=60000)
    timer.stop()
    stalls = [b - a for a, b in itertools.pairwise(ticks)]
    print(f"\nmax event-loop stall while loading: {max(stalls) * 1000:.1f} ms over {len(ticks)} ticks")
    assert len(ticks) > 20 and max(stalls) < 0.5  # loading on the main thread would stall for seconds
    profile.close()


@pytest.fixture
def hotkey_window(xvfb: str, paths: Any, qtbot: Any) -> Iterator[tuple[Any, list[str]]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the window itself; the key is grabbed on Xvfb
    from nargis_desktop.app import open_profile
    from nargis_desktop.assistant.assistant import Assistant
    from nargis_desktop.secrets import NoSecretStore
    from nargis_desktop.ui.main_window import MainWindow

    profile = open_profile(paths, NoSecretStore(), prompt=lambda _c: "pw")
    window = MainWindow(profile, lambda: datetime(2026, 11, 25, 9, 30), Assistant(profile.data), lambda _act: None)
    qtbot.addWidget(window)
    heard: list[str] = []
    window.press = lambda: heard.append("press")  # type: ignore[method-assign]
    window.release = lambda: heard.append("release")  # type: ignore[method-assign]
    yield window, heard
    window.close()
    profile.close()


def test_the_global_talk_key_works_while_another_window_has_the_focus(
    xvfb: str, hotkey_window: tuple[Any, list[str]], qtbot: Any
) -> None:
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed (scripts/setup installs it)")
    pytest.importorskip("Xlib")
    from Xlib import X, display

    from nargis_desktop.ui.global_hotkey import X11GlobalHotkey

    window, heard = hotkey_window
    window.start_global_hotkey(X11GlobalHotkey("F9", xvfb))
    other_app = display.Display(xvfb)  # another program's window, with the keyboard focus
    screen = other_app.screen()
    editor = screen.root.create_window(0, 0, 300, 200, 0, screen.root_depth, event_mask=X.KeyPressMask)
    editor.map()
    editor.set_input_focus(X.RevertToParent, X.CurrentTime)
    other_app.sync()
    assert other_app.get_input_focus().focus == editor
    env = {**os.environ, "DISPLAY": xvfb}
    subprocess.run(["xdotool", "keydown", "F9"], env=env, check=True)
    qtbot.waitUntil(lambda: heard == ["press"], timeout=5000)
    subprocess.run(["xdotool", "keyup", "F9"], env=env, check=True)
    qtbot.waitUntil(lambda: heard == ["press", "release"], timeout=5000)
    # Held for a while: X11 repeats the key as release + press pairs, which are not new turns.
    subprocess.run(["xdotool", "keydown", "F9", "sleep", "0.8", "keyup", "F9"], env=env, check=True)
    qtbot.waitUntil(lambda: len(heard) == 4, timeout=5000)
    assert heard == ["press", "release", "press", "release"]
    subprocess.run(["xdotool", "key", "a"], env=env, check=True)  # other keys still go to the focused app
    typed = other_app.next_event()
    while typed.type == X.MappingNotify:  # xdotool may announce a keyboard mapping first
        typed = other_app.next_event()
    assert typed.type == X.KeyPress and typed.window == editor
    assert len(heard) == 4
    other_app.close()


def test_a_global_talk_key_taken_by_another_program_is_explained(
    xvfb: str, hotkey_window: tuple[Any, list[str]]
) -> None:
    pytest.importorskip("Xlib")
    from Xlib import XK, X, display

    from nargis_desktop.ui.global_hotkey import X11GlobalHotkey

    window, _heard = hotkey_window
    other_app = display.Display(xvfb)
    keycode = other_app.keysym_to_keycode(XK.string_to_keysym("F10"))
    other_app.screen().root.grab_key(keycode, 0, True, X.GrabModeAsync, X.GrabModeAsync)
    other_app.sync()
    window.start_global_hotkey(X11GlobalHotkey("F10", xvfb))
    assert window.state.text() == "Ready (the global talk key is off: another program already uses F10 as a shortcut)"
    assert window.hotkey is None
    other_app.close()


def test_without_x11_the_global_talk_key_is_a_no_op_that_says_why() -> None:
    from nargis_desktop.ui.global_hotkey import NoGlobalHotkey, X11GlobalHotkey, global_hotkey_for

    wayland = global_hotkey_for("F9", "wayland", {"WAYLAND_DISPLAY": "wayland-0"})
    assert isinstance(wayland, NoGlobalHotkey) and "Wayland" in wayland.reason
    assert isinstance(global_hotkey_for("F9", "offscreen", {}), NoGlobalHotkey)
    assert isinstance(global_hotkey_for("F9", "xcb", {"DISPLAY": ":5"}), X11GlobalHotkey)
