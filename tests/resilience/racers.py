"""Requests sent from separate processes at one instant, for the concurrency suite (a module the
spawned processes import: they share nothing with the test but the server)."""

from __future__ import annotations

import os
import time

import httpx2 as httpx


def send_at(
    start: float, method: str, url: str, headers: dict[str, str], body: bytes
) -> tuple[int, str, int]:
    """Wait until the wall-clock time `start`, send one request on a fresh connection; (status, body,
    the sending process id)."""
    with httpx.Client(timeout=60) as client:
        request = client.build_request(method, url, headers=headers, content=body)
        time.sleep(max(0.0, start - time.time()))
        response = client.send(request)
        return response.status_code, response.text[:500], os.getpid()
