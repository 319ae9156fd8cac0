"""The dataset one query runs on: what the caller asked for, checked against what the caller may read.

SPARQL 1.1 Protocol §2.1.4: `default-graph-uri` / `named-graph-uri` given with the request override
the query's FROM / FROM NAMED; without either, the query's dataset clause applies; without that, the
service's default dataset (here: the caller's). Every graph named, either way, must be one the caller
may read, else the query is refused with 403 and nothing runs. This is the access guarantee of the
endpoint: the engine is handed exactly the graphs chosen here, never more.
"""

from __future__ import annotations

from dataclasses import dataclass

from passport_registry.errors import Forbidden
from passport_registry.sparql.parser import QueryShape

Graphs = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DatasetRequest:
    """A caller's view and request: `default` is its default graph (the merge of those graphs),
    `graphs` every graph it may name; `requested_default` / `requested_named` the protocol's
    `default-graph-uri` / `named-graph-uri` values, if any."""

    default: Graphs
    graphs: Graphs
    requested_default: Graphs = ()
    requested_named: Graphs = ()

    def choose(self, shape: QueryShape) -> tuple[Graphs, Graphs]:
        """The (default graphs, named graphs) the query runs on. Raises Forbidden when a graph asked
        for is not one of `graphs`.

        >>> caller = DatasetRequest(default=("g:a",), graphs=("g:a", "g:o"))
        >>> caller.choose(QueryShape("ASK"))
        (('g:a',), ('g:a', 'g:o'))
        >>> caller.choose(QueryShape("ASK", from_named_graphs=("g:o",)))
        ((), ('g:o',))
        """
        if self.requested_default or self.requested_named:
            default, named = self.requested_default, self.requested_named
        elif shape.has_dataset_clause:
            default, named = shape.from_graphs, shape.from_named_graphs
        else:
            default, named = self.default, self.graphs
        outside = sorted({*default, *named} - set(self.graphs))
        if outside:
            raise Forbidden(
                f"Graph {outside[0]} is not in your dataset; you may query: {', '.join(self.graphs)}.",
                graphs=list(self.graphs),
            )
        return default, named
