"""A bounded HTTP/1.1 load generator: C keep-alive connections GET one URL for a fixed duration.

    /work/venv/bin/python bench/load.py URL [--connections 32] [--duration 10]

Runs in its own process (the benchmark starts it beside the server) on asyncio streams, no HTTP library
in the way: each connection sends a GET, reads the status line, headers and Content-Length body, and
sends the next. Prints one JSON object: requests, errors (non-200), seconds, requests_per_s and the
client-side p50 / p99 latency in ms. Used where wrk is absent (CI) and for the smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlsplit


async def connection(host: str, port: int, target: str, deadline: float, out: dict[str, list[float]]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/ld+json\r\n\r\n".encode()
    try:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            status = int(head.split(b" ", 2)[1])
            out["ok" if status == 200 else "errors"].append(time.perf_counter() - start)
    finally:
        writer.close()


async def run(url: str, connections: int, duration: float) -> dict[str, float]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    out: dict[str, list[float]] = {"ok": [], "errors": []}
    start = time.perf_counter()
    deadline = start + duration
    await asyncio.gather(
        *(
            connection(parts.hostname or "127.0.0.1", parts.port or 80, target, deadline, out)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - start
    ok = sorted(out["ok"]) or [0.0]
    return {
        "requests": len(out["ok"]),
        "errors": len(out["errors"]),
        "seconds": round(elapsed, 3),
        "requests_per_s": round(len(out["ok"]) / elapsed, 1),
        "client_p50_ms": round(statistics.median(ok) * 1000, 3),
        "client_p99_ms": round(ok[min(len(ok) - 1, int(0.99 * len(ok)))] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.connections, args.duration))))


if __name__ == "__main__":
    main()
