"""Start-up checks of a SPARQL server: the registry refuses to start on one that lacks a guarantee.

The standards leave some of what the remote store relies on to the implementation; each is probed in
throw-away graphs (`…/graph/probe/{random}/…`, dropped afterwards) before the store is used:

1. `CREATE GRAPH` of an existing graph fails, and `DROP GRAPH` of a missing one fails (SPARQL 1.1
   Update §3.2.1 / §3.2.2 say so, but stores without empty graphs may not): the write guards need it.
2. An update whose last operation fails changes nothing (Update §2.2 leaves "atomicity of the request"
   to the implementation): every write is all-or-nothing only then.
3. The Protocol's `default-graph-uri` / `named-graph-uri` replace the dataset, FROM included
   (Protocol §2.1.4): the SPARQL endpoint's access control is exactly that.
4. A SELECT answers every solution, at least `max_results + 1` of them (probed up to `MAX_PROBE_ROWS`,
   so a probe stays a fraction of a second): a server that silently caps its answers (Virtuoso's
   `ResultSetMaxRows`, 10,000 by default) would turn a result that is too large into a complete-looking
   shorter one. A cap above `MAX_PROBE_ROWS` goes unseen when the limit is set above it.

What no probe can show, and docs/deployment.md therefore states: whether concurrent updates are isolated
(they are not on Oxigraph; the store serialises its writes with `write_lock`), and whether the server
stops a query at its own time limit (our deadline holds either way).
"""

from __future__ import annotations

import math
import secrets

from pyoxigraph import NamedNode

from passport_registry.errors import ConfigurationError
from passport_registry.store import layout as L
from passport_registry.store.sparql_http import SparqlHttp, UpdateRefused

P = NamedNode("https://w3id.org/passport-registry/meta#probe")
#: The most solutions the result-cap probe asks for (the default result limit + 1).
MAX_PROBE_ROWS = 100_001


def check_server(http: SparqlHttp, max_results: int = 100_000) -> None:
    """Probe the server behind `http`; raise ConfigurationError naming the first guarantee it lacks.
    `max_results` is the SPARQL endpoint's result limit (the answer must not be capped below it).

    Raises StoreUnavailable when the server does not answer at all.
    """
    base = f"{L.GRAPH_BASE}probe/{secrets.token_hex(8)}/"
    a, b, c, missing = (NamedNode(base + n) for n in ("a", "b", "c", "missing"))
    where = http.endpoints.update

    def refuse(guarantee: str) -> ConfigurationError:
        return ConfigurationError(
            f"The SPARQL server at {where} cannot hold the registry's data safely: {guarantee} "
            "(docs/deployment.md lists the servers known to work)."
        )

    try:
        http.update(
            f'CREATE GRAPH {a} ; INSERT DATA {{ GRAPH {a} {{ {a} {P} "a" }} }} ; '
            f'INSERT DATA {{ GRAPH {b} {{ {b} {P} "b" }} }}'
        )
        if _accepted(http, f"CREATE GRAPH {a}"):
            raise refuse("CREATE GRAPH of an existing graph succeeded (SPARQL 1.1 Update §3.2.1 says fail)")
        if _accepted(http, f"DROP GRAPH {missing}"):
            raise refuse("DROP GRAPH of a missing graph succeeded (SPARQL 1.1 Update §3.2.2 says fail)")
        if _accepted(http, f'INSERT DATA {{ GRAPH {c} {{ {c} {P} "c" }} }} ; DROP GRAPH {missing}'):
            raise refuse("an update whose last operation failed was accepted")
        if http.ask(f"ASK {{ GRAPH {c} {{ ?s ?p ?o }} }}"):
            raise refuse("a failed update left its first operation's data behind (updates are not atomic)")
        seen = http.rows(f"SELECT ?o FROM {b} WHERE {{ ?s {P} ?o }}", default_graphs=[a.value])
        if sorted(r["o"].value for r in seen) != ["a"]:
            raise refuse("the query's dataset did not follow the protocol's default-graph-uri")
        seen = http.rows(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }}", named_graphs=[b.value])
        if [r["g"].value for r in seen] != [b.value]:
            raise refuse("the query's named graphs did not follow the protocol's named-graph-uri")
        wanted = min(max_results + 1, MAX_PROBE_ROWS)
        side = math.isqrt(wanted - 1) + 1  # side * side >= wanted
        numbers = " ".join(str(n) for n in range(side))
        query = f"SELECT ?x ?y WHERE {{ VALUES ?x {{ {numbers} }} VALUES ?y {{ {numbers} }} }} LIMIT {wanted}"
        found = http.count_rows(query)
        if found < wanted:
            raise refuse(f"a SELECT of {wanted} solutions answered {found} (a cap below the result limit)")
    finally:
        _accepted(http, f"DROP SILENT GRAPH {a} ; DROP SILENT GRAPH {b} ; DROP SILENT GRAPH {c}")


def _accepted(http: SparqlHttp, update: str) -> bool:
    try:
        http.update(update)
    except UpdateRefused:
        return False
    return True
