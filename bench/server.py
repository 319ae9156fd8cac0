"""The benchmark's server process: the registry app plus baseline routes, timed per request in the server.

    PYTHONPATH=src /work/venv/bin/python bench/server.py --data-dir DIR --port PORT [--baseline-store DIR]

One uvicorn worker serving the real registry app (`create_app`, data directory `DIR`) with, mounted on the
same app and so in the same process and event loop:
- `GET /_bench/bare`: a bare FastAPI route returning fixed bytes (set with `PUT /_bench/bare`, the body
  and its Content-Type): the baseline for a passport GET;
- `POST /_bench/baseline/passports`: the same create flow built on the reference libraries: pyld
  `to_rdf` (bundled context, no fetch), pySHACL against the same shapes and ontology, then one
  pyoxigraph transaction into a separate on-disk store (no guards, no metadata);
- `GET /_bench/timings?reset=1`: per path, the server-side time of each request (from the ASGI call to
  the last body byte sent), as count, p50 and p99 in ms; and the process's peak RSS (VmHWM).
Timing lives here, never in the product.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passport_registry import resources
from passport_registry.api.app import create_app
from passport_registry.config import Settings


class Timings:
    """Server-side request durations by path (seconds), appended by `TimingMiddleware`."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for path, samples in self.samples.items():
            ordered = sorted(samples)
            out[path] = {
                "count": len(ordered),
                "p50_ms": round(statistics.median(ordered) * 1000, 3),
                "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 3),
            }
        return out


class TimingMiddleware:
    """Records each HTTP request's time from the ASGI call to its last body message, by path prefix."""

    def __init__(self, app: ASGIApp, timings: Timings) -> None:
        self.app = app
        self.timings = timings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_bench/timings"):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        key = f"{scope['method']} {_route_of(scope['path'])}"

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                self.timings.samples[key].append(time.perf_counter() - start)

        await self.app(scope, receive, timed_send)


def _route_of(path: str) -> str:
    if path.startswith("/passports/"):
        return "/passports/{id}"
    return path


def peak_rss_kb() -> int:
    """This process's peak resident set size (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class ReferenceCreate:
    """The create flow on the reference libraries: pyld to_rdf, pySHACL, one pyoxigraph transaction."""

    def __init__(self, store_dir: Path) -> None:
        import pyoxigraph
        import rdflib

        self.shapes = rdflib.Graph().parse(data=resources.shapes_bytes(), format="turtle")
        self.ontology = rdflib.Graph().parse(data=resources.ontology_bytes(), format="turtle")
        self.ontology.parse(data=resources.vocabularies_bytes(), format="turtle")
        self.context = resources.context_document()
        self.store = pyoxigraph.Store(str(store_dir))
        self.count = 0

    def create(self, body: bytes) -> bool:
        import pyoxigraph
        import rdflib
        from pyld import jsonld
        from pyshacl import validate

        document = json.loads(body)
        document["@context"] = self.context["@context"]
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        data = rdflib.Graph().parse(data=nquads, format="nt")
        conforms, _, _ = validate(data, shacl_graph=self.shapes, ont_graph=self.ontology, inference="none")
        if not conforms:
            return False
        self.count += 1
        quads = list(pyoxigraph.parse(nquads, pyoxigraph.RdfFormat.N_QUADS))
        graph = pyoxigraph.NamedNode(f"https://registry.example/baseline/{self.count}")
        self.store.extend([pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in quads])
        return True


def build(settings: Settings, baseline_store: Path | None) -> ASGIApp:
    """The registry app with the benchmark routes, wrapped in the timing middleware."""
    app = create_app(settings)
    timings = Timings()
    bare: dict[str, Any] = {"body": b"", "media_type": "application/octet-stream"}

    @app.put("/_bench/bare", include_in_schema=False)
    async def set_bare(request: Request) -> Response:
        bare["body"] = await request.body()
        bare["media_type"] = request.headers.get("content-type", "application/octet-stream")
        return Response(status_code=204)

    @app.get("/_bench/bare", include_in_schema=False)
    async def get_bare() -> Response:
        return Response(bare["body"], media_type=bare["media_type"])

    @app.get("/_bench/timings", include_in_schema=False)
    async def get_timings(reset: bool = False) -> dict[str, Any]:
        out = {"paths": timings.summary(), "peak_rss_kb": peak_rss_kb()}
        if reset:
            timings.samples.clear()
        return out

    if baseline_store is not None:
        reference = ReferenceCreate(baseline_store)

        @app.post("/_bench/baseline/passports", include_in_schema=False)
        async def create_baseline(request: Request) -> Response:
            body = await request.body()
            created = await run_in_threadpool(reference.create, body)  # blocking, in a thread like ours
            return Response(status_code=201 if created else 422)

    return TimingMiddleware(app, timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--baseline-store", type=Path)
    parser.add_argument("--base-url", help="the base URL passport IRIs use (default: this server's)")
    args = parser.parse_args()
    settings = Settings(
        dev=True, data_dir=args.data_dir, base_url=args.base_url or f"http://127.0.0.1:{args.port}"
    )
    uvicorn.run(
        build(settings, args.baseline_store),
        host="127.0.0.1",
        port=args.port,
        workers=1,
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
