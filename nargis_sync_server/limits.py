"""Request limits: a body-size cap before parsing, sliding-window rate limits per key, the real
client address behind trusted proxies, and a bounded pool for password hashing."""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from nargis_sync_server.errors import ApiError

Scope = dict[str, Any]
T = TypeVar("T")
_SWEEP_EVERY = 1_000


class RateLimiter:
    def __init__(self, per_minute: int, window_s: float = 60.0) -> None:
        self._limit = per_minute
        self._window_s = window_s
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._checks = 0

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._checks += 1
            if self._checks % _SWEEP_EVERY == 0:
                self._sweep(now)
            hits = self._hits[key]
            while hits and hits[0] <= now - self._window_s:
                hits.popleft()
            if len(hits) >= self._limit:
                raise ApiError(429, "rate-limited", "too many requests; wait a minute and try again")
            hits.append(now)

    def _sweep(self, now: float) -> None:
        """Keys nobody used for a window go: a flood of made-up e-mails must not keep memory."""
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self._window_s]:
            del self._hits[key]

    def __len__(self) -> int:
        return len(self._hits)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The address a request really came from: X-Forwarded-For counts only when a trusted proxy sent it.

    The header is read from the right (the entry our proxy added) and the first address that is
    not itself a trusted proxy wins; anything further left was written by the client.
    """
    if peer is None:
        return "-"
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from beyond our proxy: count the proxy, not a made-up name
    return peer


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


class HashingPool:
    """Password hashing is the one expensive thing an anonymous client can ask for.

    At most `workers` hashes run at once and at most `queue` requests wait; beyond that the
    answer is 503 at once, so a login flood costs bounded CPU and memory and pulls stay fast.
    """

    def __init__(self, workers: int, queue: int) -> None:
        # Hashing always runs on these few threads, never on the request threads: Argon2's 19 MiB
        # per hash then stays in a few malloc arenas that are reused, instead of one per request
        # thread that each keep their peak (RSS grew to ~900 MB after a flood and stayed).
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="password-hash")
        self._admitted = threading.BoundedSemaphore(workers + queue)

    def run(self, work: Callable[[], T]) -> T:
        if not self._admitted.acquire(blocking=False):
            raise ApiError(503, "busy", "the server is busy checking passwords; try again in a moment")
        try:
            return self._threads.submit(work).result()
        finally:
            self._admitted.release()

    def close(self) -> None:
        self._threads.shutdown(wait=False)


class BodyLimit:
    """ASGI middleware: a body larger than `max_bytes` is refused with 413 before anything reads it."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Any:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Any, max_bytes: int) -> None:
    body = json.dumps({"code": "body-too-large", "message": f"the request body is over {max_bytes} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
