"""Hold-to-talk while another app has the focus: a key grabbed on the X11 root window.

`GlobalHotkey` is the interface; `X11GlobalHotkey` grabs the key with XGrabKey (python-xlib), so the
key goes to Nargis whichever window is focused; `NoGlobalHotkey` is used where that cannot work
(Wayland gives no app a global grab; no display at all) and says why. Callbacks come on the
listener's thread; the window relays them to the main thread.
"""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

_LOGGER = logging.getLogger(__name__)

# Qt's key names where X11's differ; others (F1…F35, Pause, Scroll_Lock, Insert, letters) match.
X11_NAMES = {"Space": "space", "ScrollLock": "Scroll_Lock", "Menu": "Menu", "Print": "Print"}


class GlobalHotkey(Protocol):
    available: bool
    reason: str  # why not, when not available

    def start(self, on_press: Callable[[], None], on_release: Callable[[], None]) -> None: ...

    def stop(self) -> None: ...


class NoGlobalHotkey:
    available = False

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def start(self, on_press: Callable[[], None], on_release: Callable[[], None]) -> None:
        return None

    def stop(self) -> None:
        return None


class X11GlobalHotkey:
    available = True
    reason = ""

    def __init__(self, key: str, display_name: str | None = None) -> None:
        self.key, self.display_name = key, display_name
        self._wake_read, self._wake_write = os.pipe()
        self._thread: threading.Thread | None = None
        self._display: Any = None

    def start(self, on_press: Callable[[], None], on_release: Callable[[], None]) -> None:
        """Grab the key now (a NargisError when another app holds it), then listen on a thread."""
        from Xlib import XK, X, display, error

        from nargis_desktop.errors import NargisError

        self._display = display.Display(self.display_name)
        keysym = XK.string_to_keysym(X11_NAMES.get(self.key, self.key))
        keycode = self._display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            raise NargisError(f"{self.key!r} is not a key on this keyboard", code="hotkey-unknown-key")
        root = self._display.screen().root
        caught = error.CatchError(error.BadAccess)
        for modifiers in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):  # with Caps / Num Lock on too
            root.grab_key(keycode, modifiers, True, X.GrabModeAsync, X.GrabModeAsync, onerror=caught)
        self._display.sync()
        if caught.get_error():
            self._display.close()
            raise NargisError(f"another program already uses {self.key} as a shortcut", code="hotkey-taken")
        self._thread = threading.Thread(
            target=self._listen, args=(keycode, on_press, on_release), name="global-hotkey", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        os.write(self._wake_write, b"x")
        self._thread.join(timeout=2)
        self._thread = None

    def _next_events(self, wait_s: float) -> list[Any]:
        display = self._display
        if not display.pending_events():
            select.select([display.fileno()], [], [], wait_s)
        return [display.next_event() for _ in range(display.pending_events())]

    def _listen(self, keycode: int, on_press: Callable[[], None], on_release: Callable[[], None]) -> None:
        from Xlib import X

        display, held = self._display, False
        try:
            while True:
                readable, _, _ = select.select([display.fileno(), self._wake_read], [], [])
                if self._wake_read in readable:
                    return
                events = [display.next_event() for _ in range(display.pending_events())]
                for index, event in enumerate(events):
                    if getattr(event, "detail", None) != keycode:
                        continue
                    if event.type == X.KeyPress and not held:
                        held = True
                        on_press()
                    elif event.type == X.KeyRelease:
                        if index == len(events) - 1:  # a repeat's press may be a moment behind
                            events += self._next_events(REPEAT_WAIT_S)
                        if not _is_auto_repeat(event, events[index + 1 :]):
                            held = False
                            on_release()
        except Exception:  # the X server went away: the shortcut stops, the app keeps running
            _LOGGER.exception("the global shortcut stopped")
        finally:
            display.close()


REPEAT_WAIT_S = 0.02


def _is_auto_repeat(release: Any, following: list[Any]) -> bool:
    """X11 repeats a held key as release + press with the same timestamp."""
    return bool(following) and following[0].type != release.type and following[0].time == release.time


def global_hotkey_for(key: str, platform_name: str, environ: Mapping[str, str] | None = None) -> GlobalHotkey:
    """The X11 grab where the app runs on X11 (Qt's "xcb"), else the no-op with the reason."""
    env = os.environ if environ is None else environ
    if platform_name != "xcb" or not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY"):
            return NoGlobalHotkey("Wayland lets no app take a key for itself; it works while Nargis has the focus")
        return NoGlobalHotkey("there is no X11 display; the key works while Nargis has the focus")
    try:
        import Xlib  # noqa: F401 - only checks that python-xlib is installed
    except ImportError:
        return NoGlobalHotkey("python-xlib is not installed (pip install 'nargis-desktop[desktop]')")
    return X11GlobalHotkey(key, env.get("DISPLAY"))
