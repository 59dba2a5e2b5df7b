"""Serve a built site on 127.0.0.1 for browser tests and audits, gzip-compressed like a real host;
and the small helpers tests of a running server share (a free port, a fetch, a wait)."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import mimetypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD for static files; text responses gzip-compressed when the client accepts it."""

    root: Path

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _resolve(self) -> Path | None:
        path = (self.root / unquote(urlsplit(self.path).path).lstrip("/")).resolve()
        if not path.is_relative_to(self.root):
            return None
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def _respond(self, with_body: bool) -> None:
        path = self._resolve()
        status = 200
        if path is None:
            status, path = 404, self.root / "404.html"
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        if kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._respond(True)

    def do_HEAD(self) -> None:
        self._respond(False)


@contextlib.contextmanager
def serve(root: Path, port: int = 0) -> Iterator[http.server.ThreadingHTTPServer]:
    """Serve ``root`` on 127.0.0.1 (``port`` 0: any free port) until the block ends."""
    handler = type("Handler", (GzipHandler,), {"root": root.resolve()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 5.0) -> str:
    """GET ``url``; raises if no answer comes within ``timeout`` seconds (a hang is a failure)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        text: str = response.read().decode("utf-8")
        return text


def wait_for(condition: Callable[[], bool], timeout: float = 90.0, step: float = 0.25) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(step)
    return False


@contextlib.contextmanager
def dev_server(
    project: Path, log_path: Path, tool: str = "mkdocs", *options: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """``TOOL serve`` of ``project`` on a free port of 127.0.0.1, at the root of the address as
    ``scripts/site`` serves it (``tool``: ``mkdocs`` or ``properdocs``; ``env``: more environment
    variables); yields its URL once the home page answers, its output going to ``log_path``.
    Stopped with Ctrl+C (SIGINT), as a contributor stops it (MkDocs then removes its build
    folder; SIGTERM would not), and waited for."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", tool, "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "NO_MKDOCS_2_WARNING": "1",
                "DISABLE_MKDOCS_2_WARNING": "true",
                "SITE_URL": url + "/",
                **(env or {}),
            },
            # Ctrl+C must reach it even where this run ignores SIGINT (a background job, say).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            assert wait_for(lambda: process.poll() is not None or bool(fetch(url + "/"))), "no answer"
            assert process.poll() is None, log_path.read_text(encoding="utf-8")
            yield url
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
