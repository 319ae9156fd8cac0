"""Test helper: free loopback ports, and a TCP listener on 127.0.0.1 that records every connection made to
it (the tests that prove the registry never opens one use it as the address it must not reach)."""

from __future__ import annotations

import socket
import threading


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now (another process may take it before we bind it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Listener:
    """A TCP server on 127.0.0.1 that records the first bytes of every connection made to it, and answers
    each with a 200 carrying `body` as `content_type`, so that a fetch, were one made, would seem to work.
    `close()` stops it."""

    def __init__(self, content_type: str = "application/json", body: bytes = b"{}") -> None:
        self.answer = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s" % (
            content_type.encode(),
            len(body),
            body,
        )
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port: int = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.connections.append(conn.recv(4096) or b"(nothing sent)")
                    conn.sendall(self.answer)
                except OSError:
                    self.connections.append(b"(connection reset)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()
