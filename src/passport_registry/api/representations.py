"""A passport view as bytes in the negotiated media type, with its strong ETag; bytes cached by ETag.

ETags are `"{id}.{version}.{variant}"`: the passport's path id, its version, and a digest of what makes
one representation differ from another of the same version (the caller's access groups, the media
type, the JSON-LD profile, and the passport's link revision: its `Link` headers name other passports,
and those links change without a new version). A write's `If-Match` is compared on the passport and
version only: any ETag this registry gave for the current version of the passport matches, whatever
its representation (RFC 9110 §13.1.1 leaves the comparison to the origin server's knowledge of its
resource).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request
from pyoxigraph import Quad
from starlette.concurrency import run_in_threadpool

from passport_registry.access import ALL_GROUPS, AccessGroup
from passport_registry.api.conditional import Validators, http_date, weak_match
from passport_registry.api.html import PassportPage
from passport_registry.api.negotiation import Choice
from passport_registry.errors import PreconditionFailed, PreconditionRequired
from passport_registry.jsonld import ContextIndex, compact
from passport_registry.rdf import serialize
from passport_registry.rdf.formats import JSON, JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE
from passport_registry.resources import BPR, BPRV
from passport_registry.services.passports import Links, PassportService, View
from passport_registry.store import Status

HTML = "text/html"
#: What a passport is offered as, in the server's order of preference (the first wins on `*/*`).
OFFERED = (JSON_LD, JSON, TURTLE, N_TRIPLES, N_QUADS, TRIG, RDF_XML, HTML)
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
PROFILE_EXPANDED = JSONLD_NS + "expanded"
PROFILE_FLATTENED = JSONLD_NS + "flattened"
PROFILE_COMPACTED = JSONLD_NS + "compacted"
#: A page (`text/html`) also reads the browser sign-in cookie (`api/session.py`).
VARY = "Accept, Authorization, X-API-Key, Cookie"

PREFIXES = {"bpr": BPR, "bprv": BPRV, "xsd": "http://www.w3.org/2001/XMLSchema#"}


@dataclass(frozen=True)
class Representation:
    """Bytes ready to send, their Content-Type, strong ETag, when their version was issued (sent as
    `Last-Modified`, among `headers`) and any further headers."""

    body: bytes
    content_type: str
    etag: str
    headers: Mapping[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None

    @property
    def validators(self) -> Validators:
        """What conditional requests compare this representation by."""
        return Validators(self.etag, self.last_modified)


def profile_of(choice: Choice) -> str:
    """The JSON-LD profile asked for: expanded, flattened, or compacted (default; also for non-JSON-LD)."""
    if choice.media_type != JSON_LD:
        return PROFILE_COMPACTED
    for profile in choice.params.get("profile", "").split():
        if profile in (PROFILE_EXPANDED, PROFILE_FLATTENED, PROFILE_COMPACTED):
            return profile
    return PROFILE_COMPACTED


def etag(
    passport_id: str,
    version: int,
    groups: Collection[AccessGroup],
    media_type: str,
    profile: str,
    link_revision: int,
) -> str:
    """The strong ETag of one representation of one version, whose links are at `link_revision`."""
    facets = "|".join([*sorted(g.slug for g in groups), media_type, profile, f"links:{link_revision}"])
    variant = hashlib.sha256(facets.encode("utf-8")).hexdigest()[:12]
    return f'"{passport_id}.{version}.{variant}"'


def write_etag(passport_id: str, version: int, link_revision: int) -> str:
    """The ETag a write answers with: that of the owner's default representation (compacted JSON-LD)."""
    return etag(passport_id, version, ALL_GROUPS, JSON_LD, PROFILE_COMPACTED, link_revision)


def expected_version(if_match: str | None, passport_id: str) -> int | None:
    """The version an `If-Match` header expects: None for `*`.

    Raises PreconditionRequired when the header is missing (a write must say what it replaces), and
    PreconditionFailed when it names no version of this passport (weak tags never match, RFC 9110 §13.1.1).
    """
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "Send If-Match with the ETag of the version you change (or `*`), so no update is lost."
        )
    if if_match.strip() == "*":
        return None
    versions = []
    for tag in if_match.split(","):
        tag = tag.strip()
        if tag.startswith("W/") or len(tag) < 2 or not (tag.startswith('"') and tag.endswith('"')):
            continue
        parts = tag[1:-1].split(".")
        if len(parts) == 3 and parts[0] == passport_id and parts[1].isdigit():
            versions.append(int(parts[1]))
    if not versions:
        raise PreconditionFailed("If-Match names no version of this passport.")
    return max(versions)


def _names_version(if_none_match: str, passport_id: str, version: int) -> bool:
    """Whether an `If-None-Match` value matches the passport's current version (`*`, or any of its ETags)."""
    if if_none_match.strip() == "*":
        return True
    for tag in if_none_match.split(","):
        parts = tag.strip().removeprefix("W/").strip('"').split(".")
        if len(parts) == 3 and parts[0] == passport_id and parts[1] == str(version):
            return True
    return False


async def write_precondition(request: Request, passport_id: str) -> int | None:
    """A dependency of every passport write: the version `If-Match` expects (None for `*`).

    `If-None-Match` that matches the current version (`*` for a live passport) fails with 412 (RFC 9110
    section 13.1.2: the client asked not to change an existing passport); then `If-Match` is required
    (428 without it) and must name a version of this passport (412 otherwise). The version itself is
    compared atomically by the store's write.
    """
    if_none_match = request.headers.get("if-none-match", "").strip() or None
    if if_none_match is not None:
        passports: PassportService = request.app.state.passports
        record = await run_in_threadpool(passports.record, passport_id)
        if record.status is Status.LIVE and _names_version(if_none_match, passport_id, record.version):
            raise PreconditionFailed(
                "If-None-Match matches the passport's current version: it exists, so it is not changed."
            )
    return expected_version(request.headers.get("if-match"), passport_id)


#: OpenAPI text of the headers `write_precondition` reads (it reads them from the request itself).
WRITE_HEADERS: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": True,
            "description": "The ETag of the version being changed (any representation of it), or `*`. "
            "Without it the answer is 428; naming an older version, 412.",
            "schema": {"type": "string", "pattern": "\\S"},
            "example": "*",
        },
        {
            "in": "header",
            "name": "If-None-Match",
            "required": False,
            "description": "`*` (or an ETag of the current version) refuses to change an existing "
            "passport (412).",
            "schema": {"type": "string"},
        },
    ]
}


def none_match(if_none_match: str | None, current: str) -> bool:
    """Whether `If-None-Match` matches `current` (weak comparison, RFC 9110 §13.1.2): answer 304."""
    return if_none_match is not None and weak_match(if_none_match, current)


class Renderer:
    """Turns passport views into representations, keeping the most recent ones' bytes (bounded LRU).

    Thread-safe; one instance per app. A cache entry is keyed by its ETag, which names the passport,
    version, groups, media type, profile and link revision: versions never change and any change of
    links raises the revision, so an entry never goes stale (a changed one is just no longer asked for).
    """

    def __init__(self, page: PassportPage, context_url: str, *, max_entries: int = 2048) -> None:
        """`context_url` is what compacted documents name as `@context` (and `application/json` in its
        Link header): a URL where a client can dereference the context."""
        self.page = page
        self.context_url = context_url
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Representation] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every cached representation."""
        with self._lock:
            self._entries.clear()

    def cached(self, tag: str) -> Representation | None:
        """The cached representation with ETag `tag`, if any (and mark it recently used)."""
        with self._lock:
            found = self._entries.get(tag)
            if found is not None:
                self._entries.move_to_end(tag)
            return found

    def render(
        self, view: View, passport_id: str, choice: Choice, links: Links, context: ContextIndex
    ) -> Representation:
        """The representation of `view` for `choice`; `context` is the registry's `ContextIndex`."""
        profile = profile_of(choice)
        version = view.snapshot.version
        revision = view.snapshot.record.link_revision
        tag = etag(passport_id, version, view.groups, choice.media_type, profile, revision)
        found = self.cached(tag)
        if found is not None:
            return found
        body, content_type, headers = self._body(view, choice.media_type, profile, context)
        headers.update(_link_headers(links, headers.get("Link")))
        issued = view.snapshot.issued
        headers["Last-Modified"] = http_date(issued)
        representation = Representation(body, content_type, tag, headers, issued)
        with self._lock:
            self._entries[tag] = representation
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return representation

    def _body(
        self, view: View, media_type: str, profile: str, context: ContextIndex
    ) -> tuple[bytes, str, dict[str, str]]:
        triples = view.snapshot.triples
        if media_type in (JSON_LD, JSON) and profile == PROFILE_COMPACTED:
            document = compact(triples, view.iri, context, self.context_url)
            if media_type == JSON:
                document.pop("@context", None)
                link = f'<{self.context_url}>; rel="http://www.w3.org/ns/json-ld#context"'
                return _json(document), JSON, {"Link": link}
            return _json(document), JSON_LD, {}
        if media_type == HTML:
            alternates = {m: view.iri.value for m in OFFERED if m != HTML}
            complete = set(view.groups) >= set(ALL_GROUPS)
            text = self.page.render(triples, view.iri, alternates, complete=complete)
            return text.encode("utf-8"), "text/html; charset=utf-8", {}
        quads = [Quad(t.subject, t.predicate, t.object) for t in triples]
        body = serialize(quads, media_type, PREFIXES if media_type in (TURTLE, TRIG) else None)
        if media_type == JSON_LD:
            return body, f'{JSON_LD}; profile="{profile}"', {}
        content_type = f"{media_type}; charset=utf-8" if media_type == TURTLE else media_type
        assert media_type in (TURTLE, N_TRIPLES, N_QUADS, TRIG, RDF_XML)
        return body, content_type, {}


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _link_headers(links: Links, existing: str | None) -> dict[str, str]:
    """Predecessor and successor passports as RFC 5829 links (`predecessor-version`, `successor-version`)."""
    values = [existing] if existing else []
    values += [f'<{iri}>; rel="predecessor-version"' for iri in links.predecessors]
    values += [f'<{iri}>; rel="successor-version"' for iri in links.successors]
    return {"Link": ", ".join(values)} if values else {}
