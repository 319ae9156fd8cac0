"""SPARQL for a caller: the dataset its roles grant, the dataset it asks for, and the query run on it.

A caller's dataset: the default graph is the merge of the live graph of each access group its roles
grant (the union over its roles; anonymous callers: public); the named graphs are those graphs plus the
ontology graph (ontology and vocabularies: `GRAPH <https://w3id.org/passport-registry/graph/ontology>`
or `FROM` it). The ontology stays out of the default graph on purpose: a default graph of one graph
(anonymous callers) is as fast as a raw store, while each further graph costs the merge (measured in
bench/sparql.py, docs/sparql.md).
Nothing else (registry metadata, node indexes, history, guard graphs, accounts) can be named: a
`default-graph-uri` / `named-graph-uri` or a FROM / FROM NAMED outside the caller's graphs is refused
with 403 (Forbidden), never answered with other data (`sparql/dataset.py`). Owners get what their role
grants (public for economic operators): the per-passport owner view is the REST API's.

Nothing here reads the query text: it is parsed once, where it runs, in the store's sandboxed and
time-limited query runner (`store/query.py`), so no parse of a hostile query can hold a server thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from passport_registry.access import AccessGroup, AccessPolicy
from passport_registry.accounts.models import User
from passport_registry.sparql.dataset import DatasetRequest
from passport_registry.store import LIVE_GRAPHS, ONTOLOGY_GRAPH, PassportStore, QueryRequest, QueryResult


@dataclass(frozen=True, slots=True)
class SparqlLimits:
    """How long a query may run, and how many solutions or triples it may return."""

    timeout_s: float = 5.0
    max_results: int = 100_000


@dataclass(frozen=True, slots=True)
class SparqlQueries:
    """Runs read-only queries for callers, each over exactly the graphs the caller may read."""

    store: PassportStore
    policy: AccessPolicy
    limits: SparqlLimits = SparqlLimits()

    def groups(self, user: User | None) -> frozenset[AccessGroup]:
        """The access groups `user`'s roles grant, taken together (anonymous: public)."""
        if user is None or not user.roles:
            return self.policy.readable_groups(None)
        return frozenset().union(*(self.policy.readable_groups(role) for role in user.roles))

    def default_graphs(self, user: User | None) -> tuple[str, ...]:
        """The graphs merged into `user`'s default graph: the live graphs of its groups."""
        groups = self.groups(user)
        return tuple(LIVE_GRAPHS[g].value for g in AccessGroup if g in groups)

    def graphs(self, user: User | None) -> tuple[str, ...]:
        """Every graph `user` may name: its live group graphs, then the ontology graph."""
        return (*self.default_graphs(user), ONTOLOGY_GRAPH.value)

    def answer(
        self,
        text: str,
        user: User | None,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        results_type: str | None,
        graph_type: str | None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run the query `text` for `user` and return the serialised result.

        The dataset is the protocol's `default-graph-uri` / `named-graph-uri` when given (SPARQL 1.1
        Protocol §2.1.4: they override the query's), else the query's FROM / FROM NAMED, else the
        caller's dataset; each graph named must be one of the caller's (403 otherwise). Raises
        BadRequest (not a query, an update, SERVICE, invalid syntax), QueryTooComplex, Forbidden,
        NotAcceptable, ResultTooLarge, QueryTimeout, QueryAborted.
        """
        request = QueryRequest(
            text=text,
            dataset=DatasetRequest(
                default=self.default_graphs(user),
                graphs=self.graphs(user),
                requested_default=tuple(default_graph_uris),
                requested_named=tuple(named_graph_uris),
            ),
            results_type=results_type,
            graph_type=graph_type,
            max_results=self.limits.max_results,
            base_iri=base_iri,
        )
        return self.store.query(request, self.limits.timeout_s)
