"""Test helper: serve an ASGI app with a real uvicorn on a loopback port, in a thread of this process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def live_app(app: Any, *, port: int = 0, **options: Any) -> Iterator[str]:
    """Run `app` under uvicorn (h11, as `passport-registry serve` does) on 127.0.0.1 and `port` (0: a
    free port the system picks); yield its base URL. The lifespan runs; the server stops on exit.
    `options` go to `uvicorn.Config` (`log_level` is "error" unless given)."""
    options.setdefault("log_level", "error")
    config = uvicorn.Config(app, host="127.0.0.1", port=port, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
