"""A real HTTP server on 127.0.0.1 that serves files with Range support and scripted faults."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    files: dict[str, bytes] = field(default_factory=dict)
    fail_next: int = 0  # answer this many requests with 500 first
    cut_after_bytes: int | None = None  # drop the connection after this many body bytes, once
    honour_range: bool = True
    say_length_to_head: bool = True  # False: a HEAD answer without Content-Length
    bytes_served: int = 0
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        b = self.behaviour
        b.requests.append("HEAD " + self.path)
        body = b.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        if b.say_length_to_head:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def do_GET(self) -> None:
        b = self.behaviour
        b.requests.append(self.headers.get("Range", ""))
        if b.fail_next:
            b.fail_next -= 1
            self.send_error(500, "scripted failure")
            return
        body = b.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if match and b.honour_range:
            start = int(match.group(1))
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        chunk = body[start:]
        self.send_header("Content-Length", str(len(chunk)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if b.cut_after_bytes is not None:
            limit, b.cut_after_bytes = b.cut_after_bytes, None
            self.wfile.write(chunk[:limit])
            b.bytes_served += min(limit, len(chunk))
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(chunk)
        b.bytes_served += len(chunk)


@contextmanager
def serve(behaviour: Behaviour) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"behaviour": behaviour})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
