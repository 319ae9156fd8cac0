"""The hostile-input corpus as a table: one row a request, grouped into kinds (`family/what`).

Every row must be answered with one of its `statuses` (all 4xx) as RFC 9457 problem details, within a
generous bound, without changing anything stored, and without the registry opening a connection to
anywhere. `tests/hostile/test_corpus.py` runs the table; docs/security.md says what it covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import payloads as p
from .payloads import LISTENER

JSON_LD = "application/ld+json"
JSON = "application/json"
TURTLE = "text/turtle"
RDF_XML = "application/rdf+xml"
N_QUADS = "application/n-quads"
TRIG = "application/trig"
MERGE_PATCH = "application/merge-patch+json"
SPARQL = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
#: Conditional writes name whatever version is current: the precondition is not what is under test.
ANY_VERSION = {"If-Match": "*"}
GZIP = {"Content-Encoding": "gzip"}


@dataclass(frozen=True)
class Case:
    """One hostile request. `path` may name `{own}` (the caller's passport id), `{other}` (another
    operator's) and `{admin}` (the admin's user id); `body` may hold the `payloads` placeholders."""

    kind: str
    method: str
    path: str
    body: bytes = b""
    content_type: str | None = None
    statuses: tuple[int, ...] = (400, 422)
    caller: str = "operator"
    headers: Mapping[str, str] = field(default_factory=dict)
    #: "http": an ordinary request; "chunked": the body streamed without a length; "slow": the body
    #: trickled in a byte at a time over a raw socket.
    transport: str = "http"
    name: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name or self.method + ' ' + self.path}"


def _each(kind: str, targets: str, body: bytes, media_type: str | None, *statuses: int) -> list[Case]:
    """`body` sent to each of `targets` (space-separated): "create" (POST /passports), "validate",
    "replace" (PUT of the caller's passport), "patch" (PATCH of it: `body` is then a merge patch)."""
    routes = {
        "create": ("POST", "/passports", {}),
        "validate": ("POST", "/validate", {}),
        "replace": ("PUT", "/passports/{own}", ANY_VERSION),
        "patch": ("PATCH", "/passports/{own}", ANY_VERSION),
    }
    out = []
    for target in targets.split():
        method, path, headers = routes[target]
        sent = MERGE_PATCH if target == "patch" else media_type
        out.append(Case(kind, method, path, body, sent, statuses, headers=headers))
    return out


def _sparql(kind: str, query: bytes | str, *statuses: int) -> Case:
    text = query.encode() if isinstance(query, str) else query
    return Case(kind, "POST", "/sparql", text, SPARQL, statuses)


# fmt: off
JSON_CASES = [
    *_each("json/syntax-error", "create validate replace", b'{"@type": "BatteryPassport",', JSON_LD, 400),
    *_each("json/not-utf8", "create validate", p.NOT_UTF8, JSON_LD, 400),
    *_each("json/utf16", "create", p.UTF16, JSON_LD, 400),
    *_each("json/bare-scalar", "create validate", b'"BatteryPassport"', JSON_LD, 400),
    *_each("json/empty-body", "create validate patch", b"", JSON_LD, 400),
    *_each("json/nan", "create validate", p.with_number(p.fresh(), "batteryMass", "NaN"), JSON_LD, 400),
    *_each("json/5000-digit-integer", "create validate replace", p.BIG_NUMBER, JSON_LD, 400),
    *_each("json/5000-digit-integer", "patch", p.BIG_NUMBER_PATCH, JSON, 400),
    *_each("json/infinite-number", "create validate", p.INFINITE, JSON_LD, 400),
    *_each("json/nested-100000-deep", "create validate patch", p.deep_json(100_000), JSON_LD, 400),
    *_each("json/lone-surrogate", "create validate", p.LONE_SURROGATE, JSON_LD, 400),
    *_each("json/string-for-object", "create", p.STRING_FOR_OBJECT, JSON_LD, 422),
    *_each("json/string-for-object", "patch", b'{"manufacturerInformation": "ACME"}', JSON, 422),
    *_each("json/url-for-object", "create", p.URL_FOR_OBJECT, JSON_LD, 422),
    *_each("json/url-for-object", "patch", b'{"separateCollectionSymbol": "https://x.example/s"}', JSON, 422),
    *_each("json/no-passport", "create validate replace", b"{}", JSON_LD, 422),
    *_each("json/no-passport-array", "create validate", b"[]", JSON_LD, 422),
    *_each("json/no-passport-plain", "create validate", b'{"foo": "bar"}', JSON, 422),
    *_each("json/two-passports", "create validate", p.TWO_PASSPORTS, JSON_LD, 422),
    *_each("json/control-character", "create validate replace", p.CONTROL, JSON_LD, 422),
    *_each("json/control-character", "patch", p.CONTROL_PATCH, JSON, 422),
    *_each("json/patch-not-an-object", "patch", b"[1, 2]", JSON, 422),
    *_each("json/patch-removes-the-type", "patch", b'{"@type": null}', JSON, 422),
    *_each("json/another-operator-named", "create", p.ANOTHER_OPERATOR, JSON_LD, 403),
]

JSON_LD_CASES = [
    *_each("jsonld/remote-context", "create validate replace", p.REMOTE_CONTEXT, JSON_LD, 400),
    *_each("jsonld/remote-context-in-an-array", "create validate", p.REMOTE_CONTEXT_IN_ARRAY, JSON_LD, 400),
    *_each("jsonld/import", "create validate", p.IMPORT, JSON_LD, 400),
    *_each("jsonld/scoped-remote-context", "create", p.SCOPED_REMOTE_CONTEXT, JSON_LD, 400),
    *_each("jsonld/remote-context-in-a-node", "create validate", p.REMOTE_CONTEXT_IN_NODE, JSON_LD, 400),
    *_each("jsonld/remote-context-in-a-patch", "patch", p.REMOTE_CONTEXT_PATCH, JSON, 400),
    *_each("jsonld/100000-term-context", "create validate", p.HUGE_CONTEXT, JSON_LD, 422),
    *_each("jsonld/graph-of-200000-nodes", "create", p.HUGE_GRAPH, JSON_LD, 422),
    *_each("jsonld/reverse-onto-another-passport", "create replace", p.REVERSE, JSON_LD, 422),
    *_each("jsonld/protected-term-redefined", "create", p.PROTECTED, JSON_LD, 400),
]

IRI_CASES = [
    *_each("iri/node-in-another-passport-space", "create replace", p.NODE_IN_OTHER, JSON_LD, 422),
    *_each("iri/triples-about-another-passport", "create replace", p.ABOUT_OTHER, JSON_LD, 422),
    *_each("iri/node-under-another-passport-history", "create", p.NODE_IN_OTHER_HISTORY, JSON_LD, 422),
    *_each("iri/replace-names-another-passport", "replace", p.NAMES_OTHER, JSON_LD, 422),
    *_each("iri/patch-names-another-passport", "patch", b'{"@id": "@@OTHER@@"}', JSON, 422),
    *_each("iri/node-named-like-a-registry-graph", "create", p.NODE_NAMED_META, JSON_LD, 422),
    *_each("iri/copy-of-another-operators-passport", "create", p.COPY_OF_OTHER, JSON_LD, 403),
]

TURTLE_CASES = [
    *_each("turtle/syntax-error", "create validate", b"<urn:a> <urn:p> ", TURTLE, 400),
    *_each("turtle/empty", "create validate replace", b"", TURTLE, 422),
    *_each("turtle/blank-nodes-100000-deep", "create validate", p.DEEP_BLANK_NODES, TURTLE, 422),
    *_each("turtle/collections-100000-deep", "create", p.DEEP_COLLECTIONS, TURTLE, 422),
    *_each("turtle/100000-prefixes", "create", p.MANY_PREFIXES, TURTLE, 422),
    *_each("turtle/control-character-escape", "create validate", p.TURTLE_CONTROL, TURTLE, 422),
    *_each("turtle/iri-with-a-space", "create", b"<urn:a b> <urn:p> <urn:o> .", TURTLE, 400),
    *_each("turtle/triple-term-about-another-passport", "create validate", p.TRIPLE_TERM, TURTLE, 422),
    *_each("turtle/triple-term-as-a-value", "create", p.TRIPLE_TERM_ON_ROOT, TURTLE, 422),
]

RDF_XML_CASES = [
    *_each("rdfxml/xxe-remote", "create validate replace", p.XXE_REMOTE, RDF_XML, 400),
    *_each("rdfxml/xxe-file", "create validate", p.XXE_FILE, RDF_XML, 400),
    *_each("rdfxml/parameter-entity", "create", p.XXE_PARAMETER, RDF_XML, 400),
    *_each("rdfxml/billion-laughs", "create validate", p.BILLION_LAUGHS, RDF_XML, 400),
    *_each("rdfxml/xinclude", "create", p.XINCLUDE, RDF_XML, 400),
    *_each("rdfxml/malformed", "create", b"<rdf:RDF><unclosed>", RDF_XML, 400),
    *_each("rdfxml/character-reference-to-a-control", "create", p.XML_CONTROL, RDF_XML, 422),
]

GRAPH_CASES = [
    *_each("graphs/n-quads-into-the-meta-graph", "create validate replace", p.INTO_META, N_QUADS, 422),
    *_each("graphs/n-quads-into-the-public-graph", "create", p.INTO_PUBLIC, N_QUADS, 422),
    *_each("graphs/trig-into-an-index-graph", "create", p.INTO_INDEX, TRIG, 422),
    *_each("graphs/n-quads-into-another-passport", "create", p.INTO_OTHER, N_QUADS, 422),
    *_each("graphs/n-quads-into-another-passport-history", "create", p.INTO_OTHER_HISTORY, N_QUADS, 422),
    *_each("graphs/one-extra-quad-in-the-meta-graph", "create", p.EXTRA_META_QUAD, N_QUADS, 422),
]

TRANSPORT_CASES = [
    Case("gzip/bomb", "POST", "/passports", p.GZIP_BOMB, JSON_LD, (415,), headers=GZIP),
    Case("gzip/bomb", "POST", "/validate", p.GZIP_BOMB, JSON_LD, (415,), headers=GZIP),
    Case("gzip/bomb", "PUT", "/passports/{own}", p.GZIP_BOMB, JSON_LD, (415,), headers=GZIP | ANY_VERSION),
    Case("gzip/bomb", "POST", "/sparql", p.GZIP_BOMB, SPARQL, (415,), headers=GZIP),
    Case("gzip/bomb", "POST", "/auth/token", p.GZIP_BOMB, FORM, (415,), caller="anonymous", headers=GZIP),
    Case("gzip/undeclared", "POST", "/passports", p.GZIP_BOMB, JSON_LD, (400,)),
    Case("huge/declared-length", "POST", "/passports", p.HUGE, JSON_LD, (413,)),
    Case("huge/declared-length", "POST", "/validate", p.HUGE, JSON_LD, (413,)),
    Case("huge/declared-length", "POST", "/sparql", p.HUGE, SPARQL, (413,)),
    Case("huge/chunked", "POST", "/passports", p.HUGE, JSON_LD, (413,), transport="chunked"),
    Case("huge/chunked", "PATCH", "/passports/{own}", p.HUGE, MERGE_PATCH, (413,), headers=ANY_VERSION,
         transport="chunked"),
    Case("huge/chunked", "POST", "/auth/token", p.HUGE_FORM, FORM, (413,), caller="anonymous",
         transport="chunked"),
    Case("huge/account-body", "POST", "/users", p.HUGE_USER, JSON, (413,), caller="admin"),
    Case("slow/body", "POST", "/passports", p.dumps(p.fresh()), JSON_LD, (408,), transport="slow"),
    Case("slow/body", "POST", "/validate", p.dumps(p.fresh()), JSON_LD, (408,), transport="slow"),
    Case("slow/body", "POST", "/auth/token", p.LOGIN, FORM, (408,), caller="anonymous", transport="slow"),
    Case("http/uri-too-long", "GET", "/passports/lookup?identifier=" + "x" * 10_000, statuses=(414,)),
    Case("http/uri-too-long", "GET", "/sparql?query=" + "x" * 10_000, statuses=(414,)),
    Case("http/unknown-method", "BREW", "/passports", statuses=(405,)),
    Case("http/unknown-content-type", "POST", "/passports", p.dumps(p.fresh()), "text/csv", (415,)),
    Case("http/no-content-type", "POST", "/passports", p.dumps(p.fresh()), None, (415,)),
    Case("http/merge-patch-as-turtle", "PATCH", "/passports/{own}", b"<urn:a> <urn:b> <urn:c> .", TURTLE,
         (415,), headers=ANY_VERSION),
    Case("http/missing-if-match", "PUT", "/passports/{own}", p.dumps(p.example()), JSON_LD, (428,)),
    Case("http/stale-if-match", "PATCH", "/passports/{own}", b'{"batteryMass": "1"}', MERGE_PATCH, (412,),
         headers={"If-Match": '"garbage"'}),
    Case("http/percent-garbage-in-path", "GET", "/passports/%ff%fe%00", statuses=(404,)),
    Case("http/path-traversal", "GET", "/passports/..%2f..%2f..%2fetc%2fpasswd", statuses=(404,)),
    Case("http/unacceptable", "GET", "/passports/{other}", statuses=(406,), headers={"Accept": "image/png"}),
    Case("http/patch-another-operators-passport", "PATCH", "/passports/{other}", b'{"batteryMass": "1"}',
         MERGE_PATCH, (403,), headers=ANY_VERSION),
    Case("http/delete-another-operators-passport", "DELETE", "/passports/{other}", statuses=(403,),
         headers=ANY_VERSION),
    Case("http/anonymous-write", "POST", "/passports", p.dumps(p.fresh()), JSON_LD, (401,),
         caller="anonymous"),
]

SPARQL_CASES = [
    _sparql("sparql/2000-nested-subqueries", p.sparql_nested_subqueries(2000), 422),
    _sparql("sparql/100000-nested-parentheses", p.sparql_nested_parentheses(100_000), 400, 422),
    _sparql("sparql/100000-nested-groups", p.sparql_nested_groups(100_000), 400, 422),
    _sparql("sparql/describe-10000-iris", p.sparql_describe(10_000), 422),
    _sparql("sparql/service", f"SELECT * WHERE {{ SERVICE <{LISTENER}/q> {{ ?s ?p ?o }} }}", 400),
    _sparql("sparql/service-hidden-by-an-escape", p.HIDDEN_SERVICE, 400),
    _sparql("sparql/update-as-a-query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", 400),
    _sparql("sparql/load", f"LOAD <{LISTENER}/data.ttl>", 400),
    _sparql("sparql/from-the-meta-graph", p.FROM_META, 403),
    _sparql("sparql/syntax-error", "SELECT * WHERE {", 400),
    _sparql("sparql/1-mib-query", p.sparql_huge(1024 * 1024), 413),
    Case("sparql/update-parameter", "POST", "/sparql", b"update=DROP%20ALL", FORM, (400,)),
    Case("sparql/default-graph-uri-elsewhere", "GET",
         "/sparql?query=ASK%7B%7D&default-graph-uri=@@LISTENER@@/g", statuses=(403,)),
    Case("sparql/named-graph-uri-no-iri", "GET", "/sparql?query=ASK%7B%7D&named-graph-uri=not%20an%20iri",
         statuses=(403,)),
]

LIFECYCLE_CASES = [
    Case("lifecycle/successor-that-is-no-successor", "POST", "/passports/{other}/successors",
         p.ORIGINAL_SUCCESSOR, JSON_LD, (422,)),
    Case("lifecycle/successor-of-no-passport", "POST", "/passports/nosuchpassport/successors",
         p.ORIGINAL_SUCCESSOR, JSON_LD, (404,)),
    Case("lifecycle/transfer-of-another-operators-passport", "POST", "/passports/{other}/transfer",
         b'{"organisation": "DE2847193650"}', JSON, (403,), headers=ANY_VERSION),
    Case("lifecycle/transfer-to-nobody", "POST", "/passports/{own}/transfer", b'{"organisation": "  "}', JSON,
         (422,), headers=ANY_VERSION),
    Case("lifecycle/transfer-to-a-control-character", "POST", "/passports/{own}/transfer",
         b'{"organisation": "DE\\u0001"}', JSON, (422,), headers=ANY_VERSION),
    Case("lifecycle/status-change-by-patch", "PATCH", "/passports/{own}", b'{"batteryStatus": "repurposed"}',
         MERGE_PATCH, (422,), headers=ANY_VERSION),
]

ACCOUNT_CASES = [
    Case("accounts/login-as-json", "POST", "/auth/token", b'{"username": "a", "password": "b"}', JSON, (415,),
         caller="anonymous"),
    Case("accounts/login-with-a-huge-password", "POST", "/auth/token", p.HUGE_PASSWORD, FORM, (413,),
         caller="anonymous"),
    Case("accounts/login-with-a-nul", "POST", "/auth/token", p.NUL_LOGIN, FORM, (401,),
         caller="anonymous"),
    Case("accounts/token-with-alg-none", "GET", "/users/me", statuses=(401,), caller="anonymous",
         headers={"Authorization": "Bearer " + p.ALG_NONE_TOKEN}),
    Case("accounts/garbage-api-key", "GET", "/users/me", statuses=(401,), caller="anonymous",
         headers={"X-API-Key": "bpr_" + "A" * 200}),
    Case("accounts/create-an-admin-as-operator", "POST", "/users", p.NEW_ADMIN, JSON, (403,)),
    Case("accounts/unknown-role", "POST", "/users", p.UNKNOWN_ROLE, JSON, (422,), caller="admin"),
    Case("accounts/raise-own-role", "PATCH", "/users/me", b'{"roles": ["admin"]}', JSON, (422,)),
    Case("accounts/change-the-admin-as-operator", "PATCH", "/users/{admin}", p.NEW_EMAIL, JSON, (403,)),
    Case("accounts/own-email-without-current-password", "PATCH", "/users/{admin}", p.NEW_EMAIL, JSON, (403,),
         caller="admin"),
    Case("accounts/page-too-large", "GET", "/users?limit=1000000000", statuses=(422,), caller="admin"),
    Case("accounts/email-with-a-control-character", "POST", "/users", p.CONTROL_EMAIL, JSON, (422,),
         caller="admin"),
]
# fmt: on

CASES: list[Case] = [
    *JSON_CASES,
    *JSON_LD_CASES,
    *IRI_CASES,
    *TURTLE_CASES,
    *RDF_XML_CASES,
    *GRAPH_CASES,
    *TRANSPORT_CASES,
    *SPARQL_CASES,
    *LIFECYCLE_CASES,
    *ACCOUNT_CASES,
]
