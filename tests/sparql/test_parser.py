"""The query parser against two oracles: rdflib's SPARQL algebra and Oxigraph, the engine itself.

For every query of a corpus (the example queries, the access tests' tricky queries, and queries that
exercise each production of the grammar) the parser must agree with rdflib on the dataset clause and
on SERVICE, and Oxigraph must read what the parser accepts. Where they differ the parser must err on
the side of refusing (fail closed): SPARQL 1.2 additions Oxigraph reads are refused. And the deepest
query the limits let through must evaluate on a plain 8 MiB thread stack without crashing the engine.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from passport_registry.errors import BadRequest, QueryTooComplex
from passport_registry.sparql.parser import MAX_DEPTH, MAX_NESTING, QueryShape, inspect

from .test_dataset import TRICKY

BASE = "http://testserver/"
EXAMPLE_QUERIES = sorted((Path(__file__).parents[2] / "examples" / "queries").glob("*.rq"))

CORPUS = [
    *TRICKY,
    "SELECT * WHERE { ?s ?p ?o }",
    "ASK {}",
    "ASK WHERE { }",
    "SELECT * {} LIMIT 1 OFFSET 2",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s <urn:p> ?o . ?o <urn:q> [ <urn:r> 1 ] } FROM <http://g/a> WHERE { ?s ?p ?o }",
    "DESCRIBE <http://x/a> ?s FROM NAMED <http://g/n> WHERE { ?s ?p ?o }",
    "BASE <http://b/> PREFIX : <x/> SELECT * FROM :a FROM NAMED <y> FROM <../z> { ?s ?p ?o }",
    'SELECT ?x WHERE { VALUES (?a ?b) { ("x"@en-GB <urn:a>) (UNDEF 1.5e3) } BIND(CONCAT(?a, "y") AS ?x) }',
    "SELECT * WHERE { ?s a ?o ; <urn:p> [ <urn:q> (1 (2) -3) ] , 'x'^^<urn:dt> . FILTER(?o IN (1, 2)) }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?p ?x } MINUS { ?s ?p 3 } FILTER NOT EXISTS { ?s a ?t } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } UNION { GRAPH <urn:g> {} } }",
    "SELECT * WHERE { ?s a/<urn:p>* ?o . ?s ^a ?x ; !(a|^<urn:p>) ?y . ?y (<urn:p>|<urn:q>)+/^<urn:r>? ?z }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = -1 && ?o != +2 || !(?o < 3 * -4 / 5 - 6)) } ORDER BY DESC(?o) ?s",
    'SELECT (GROUP_CONCAT(DISTINCT ?s ; SEPARATOR=",") AS ?x) (COUNT(*) AS ?n) (SUM(?o) AS ?t) '
    "WHERE { ?s ?p ?o } GROUP BY ?p (STR(?s) AS ?k) HAVING (COUNT(*) > 1 && SUM(?o) < 9) ORDER BY ?n",
    'SELECT * WHERE { ?s ?p ?o FILTER regex(?o, "x", "i") FILTER <urn:f>(?o, 2) FILTER(isIRI(?s)) }',
    "SELECT * { { SELECT DISTINCT ?s (MAX(?o) AS ?m) { ?s ?p ?o } GROUP BY ?s LIMIT 1 } }\n"
    "VALUES ?s { <urn:a> }",
    "select * where { ?s ?p ?o . } limit 5  # a comment, then the end",
    'SELECT ?x WHERE { BIND("""multi\nline "quoted" """ AS ?x) BIND(\'\'\'it\'s\'\'\' AS ?y) }',
    "SELECT * WHERE { _:b ?p [] . [] ?p () . ( ?a ?b ) ?p ?o . [ <urn:p> ?x ] }",
    "SELECT (NOW() AS ?n) (RAND() AS ?r) (BNODE() AS ?b) (COALESCE(?x, 1) AS ?c) (IF(true, 1, 2) AS ?i) {}",
    "SELECT * WHERE { ?s <urn:p> ?o } ORDER BY ASC(?o) LIMIT 10",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING(BOUND(?s))",
    "PREFIX select: <http://x/> ASK { ?s select:p ?o }",
    "PREFIX : <http://x/> ASK { :service :from :named }",
]


def _rdflib(text: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The dataset clause and whether a SERVICE occurs, by rdflib's parser and algebra."""
    query = translateQuery(parseQuery(text), base=BASE)
    default = tuple(str(c["default"]) for c in query.algebra.get("datasetClause") or () if "default" in c)
    named = tuple(str(c["named"]) for c in query.algebra.get("datasetClause") or () if "named" in c)
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            names.add(node.name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(query.algebra)
    return default, named, "ServiceGraphPattern" in names


@pytest.mark.parametrize(
    "text", [*CORPUS, *(p.read_text() for p in EXAMPLE_QUERIES)], ids=lambda t: " ".join(t.split())[:60]
)
def test_the_parser_agrees_with_rdflib_and_oxigraph(text: str) -> None:
    shape = inspect(text, BASE)
    default, named, service = _rdflib(text)
    assert (shape.from_graphs, shape.from_named_graphs) == (default, named)
    assert not service
    assert shape.form == translateQuery(parseQuery(text)).algebra.name.removesuffix("Query").upper()
    _engine_reads(text)


def _engine_reads(text: str) -> None:
    """Fails unless Oxigraph parses `text` (evaluating it on an empty store may still fail)."""
    try:
        ox.Store().query(text, base_iri=BASE)
    except SyntaxError as exc:
        pytest.fail(f"the engine cannot read it: {exc}")
    except RuntimeError:  # e.g. an unknown custom function: read, then refused when evaluated
        pass


@pytest.mark.parametrize(
    ("prologue", "term"),
    [
        ("PREFIX ex: <http://x/>", "ex:g\\.1"),
        ("PREFIX ex: <http://x/>", "ex:n%41"),
        ("PREFIX ex: <http://x/>", "ex:a\\#b"),
        ("PREFIX ex: <http://x/>", "ex:\\-q"),
        ("PREFIX : <http://x/>", ":"),
        ("BASE <http://b/a/> PREFIX : <x/>", ":y"),
        ("BASE <http://b/a/c>", "<../z?q#f>"),
        ("BASE <http://b/a/c> BASE <d/>", "<e>"),
        ("", "<http://x/\\u00e9>"),
        ("", "<graph/public>"),
    ],
)
def test_the_graphs_named_are_the_iris_the_engine_reads(prologue: str, term: str) -> None:
    """FROM and FROM NAMED as the engine resolves them: prefixes, `\\` escapes, bases (rdflib keeps
    the backslash of an escaped local name, so the engine is the oracle here)."""
    shape = inspect(f"{prologue} SELECT * FROM {term} FROM NAMED {term} {{}}", BASE)
    (solution,) = ox.Store().query(f"{prologue} SELECT ?x {{ VALUES ?x {{ {term} }} }}", base_iri=BASE)
    assert shape.from_graphs == shape.from_named_graphs == (solution["x"].value,)


SERVICES = [
    "SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . service silent <http://h/> { ?s ?p ?x } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE<http://h/>{?s ?p ?x} }",
    "SELECT * WHERE { VALUES ?e { <http://h/> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER EXISTS { SERVICE <http://h/> {} } }",
    "SELECT * WHERE { FILTER (NOT EXISTS { SERVICE <http://h/> {} }) }",
    "SELECT * WHERE { { SELECT * { SERVICE <http://h/> {} } } }",
    "SELECT * WHERE { OPTIONAL { GRAPH ?g { MINUS { SERVICE <http://h/> {} } } } }",
    "ASK { { } UNION { SERVICE <http://h/> {} } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING EXISTS { SERVICE <http://h/> {} }",
    "PREFIX ex: <http://x/> SELECT * WHERE { { ?s ex:a\\#b ?o } UNION { SERVICE <http://h/> {} } }",
    "PREFIX ex: <http://x/> SELECT * WHERE { { ?s ex:a\\' ?o } UNION { SERVICE <http://h/> {} } } #'",
    "SELECT * WHERE { { ?s ?p <http://x/\\u0041#f> } UNION { SERVICE <http://h/> {} } }",
    'SELECT * WHERE { BIND("#" AS ?x) SERVICE <http://h/> {} }',
    "SELECT * WHERE { BIND('\\'' AS ?x) SERVICE <http://h/> {} }",
    'SELECT * WHERE { BIND("""a"b""c""" AS ?x) SERVICE <http://h/> {} }',
]


@pytest.mark.parametrize("text", SERVICES)
def test_service_is_refused_wherever_it_is(text: str) -> None:
    _engine_reads(text)
    # rdflib takes `\\#` and some `#` in strings for comments (the engine does not): it cannot judge those.
    with contextlib.suppress(ParseException):
        assert _rdflib(text)[2], "the oracle sees the SERVICE too"
    with pytest.raises(BadRequest, match="SERVICE is refused"):
        inspect(text, BASE)


#: Read by Oxigraph 0.5 (SPARQL 1.2 drafts and extensions), refused by this endpoint's SPARQL 1.1 parser.
FAIL_CLOSED = [
    'VERSION "1.2" SELECT * {}',
    "SELECT * { ?s ?p <<( ?a ?b ?c )>> }",
    "SELECT * { ?s ?p ?o ~ ?r }",
    "SELECT * { ?s ?p ?o {| ?a ?b |} }",
    "SELECT * { LATERAL { ?s ?p ?o } }",
    "SELECT (TRIPLE(?s, ?p, ?o) AS ?t) {}",
    "SELECT (ADJUST(?d, ?t) AS ?x) {}",
    'SELECT * WHERE { ?s ?p "x"@en--ltr }',
]


@pytest.mark.parametrize("text", FAIL_CLOSED)
def test_what_only_the_engine_reads_is_refused(text: str) -> None:
    ox.Store().query(text)  # the engine reads it
    with pytest.raises(BadRequest):
        inspect(text)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x:> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://h/data.ttl>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_as_read_only(text: str) -> None:
    with pytest.raises(BadRequest, match="read-only"):
        inspect(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("SELECT ?s WHERE { ?s ?p }", "column 25"),
        ("ASK {", "column 6"),
        ("SELECT * WHERE { ?s u:p ?o }", "prefix 'u:' is not declared"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT x", "expected an integer"),
        ("SELECT * WHERE { ?s ?p ?o . . }", "column 29"),
        ("\\u0053ELECT * {}", "unexpected character"),
        ('SELECT * { VALUES ?x { "a" 1', "found the end of the query"),
        ("SELECT * { VALUES (?x) { (<urn:a>", "found the end of the query"),
    ],
)
def test_syntax_errors_say_where(text: str, where: str) -> None:
    with pytest.raises(BadRequest) as refused:
        inspect(text)
    assert where in refused.value.detail


def test_nesting_is_checked_before_parsing() -> None:
    assert inspect("ASK " + "{" * MAX_NESTING + "}" * MAX_NESTING).form == "ASK"
    with pytest.raises(QueryTooComplex) as refused:
        inspect("ASK " + "{" * 100_000)  # not even balanced: refused before the parse looks
    assert refused.value.extensions["max_nesting"] == MAX_NESTING


#: Shapes that make Oxigraph recurse once per element: (template, filler), `{n}` the element count.
CHAINS = {
    "UNION": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
    "OPTIONAL": lambda n: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?x } " * n + "}",
    "BIND": lambda n: "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?b{i})" for i in range(n)) + " }",
    "||": lambda n: "SELECT * WHERE { FILTER(" + " || ".join(["true"] * n) + ") }",
    "+": lambda n: "SELECT (" + " + ".join(["1"] * n) + " AS ?x) {}",
    "projection": lambda n: "SELECT " + " ".join(f"({i} AS ?v{i})" for i in range(n)) + " {}",
    "ORDER BY": lambda n: "SELECT * { ?s ?p ?o } ORDER BY " + " ".join(f"(?o + {i})" for i in range(n)),
    "DESCRIBE": lambda n: "DESCRIBE " + " ".join(f"<urn:x:{i}>" for i in range(n)),
    "path sequence": lambda n: "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * n) + " ?o }",
    "EXISTS": lambda n: "SELECT * WHERE { " + "FILTER EXISTS { " * n + "}" * n + " }",
    "groups": lambda n: "SELECT * WHERE " + "{ " * n + "}" * n,
}


def _deepest_accepted(make: object) -> str:
    low, high = 1, 2 * MAX_DEPTH
    while low < high:
        middle = (low + high + 1) // 2
        try:
            inspect(make(middle))  # type: ignore[operator]
            low = middle
        except QueryTooComplex:
            high = middle - 1
    return str(make(low))  # type: ignore[operator]


@pytest.mark.slow  # seconds per chain: the engine evaluates thousands of nested patterns
@pytest.mark.parametrize("name", sorted(CHAINS))
def test_the_deepest_accepted_query_does_not_crash_the_engine(name: str) -> None:
    """Run in a child process on an ordinary 8 MiB thread stack (query workers use 256 MiB): the
    engine must answer or fail cleanly, never crash, and the next element must be refused."""
    text = _deepest_accepted(CHAINS[name])
    shape: QueryShape = inspect(text)
    assert shape.depth <= MAX_DEPTH
    script = textwrap.dedent(
        """
        import sys, threading, pyoxigraph
        text = sys.stdin.read()
        def run():
            try:
                result = pyoxigraph.Store().query(text)
                if not isinstance(result, pyoxigraph.QueryBoolean):
                    for _ in zip(range(10), result):
                        pass
            except Exception as exc:
                print(type(exc).__name__)
        threading.stack_size(8 * 1024 * 1024)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        """
    )
    try:
        child = subprocess.run(
            [sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        return  # still planning after 10 s (long OPTIONAL chains), not crashed: the time limit stops it
    assert child.returncode == 0, f"{name}: the engine crashed ({child.returncode}) {child.stderr[-300:]}"


def test_every_truncation_and_splice_is_a_clean_refusal() -> None:
    """Cut each corpus query at every character, and splice two queries together: the parser answers
    or refuses with a problem, never fails some other way (an index error would be a 500)."""
    for text in CORPUS:
        for cut in range(len(text)):
            for piece in (text[:cut], text[cut:], text[:cut] + CORPUS[cut % len(CORPUS)][cut:]):
                with contextlib.suppress(BadRequest, QueryTooComplex):
                    inspect(piece, BASE)
