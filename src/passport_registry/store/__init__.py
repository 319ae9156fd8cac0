"""Passport storage: the only code that talks to Oxigraph (embedded) or a SPARQL 1.1 server (remote).

PassportStore           the interface (protocol.py)
EmbeddedPassportStore   over an in-process pyoxigraph Store (embedded.py, embedded_reads.py, embedded_bulk.py)
RemotePassportStore     over a SPARQL 1.1 server via HTTP (remote*.py, sparql_http.py)
query                   one read-only SPARQL query: checked, on its dataset, serialised (query.py)
workers, query_threads  where queries run: sandboxed worker processes (on disk), threads (in memory)
snapshots               the read-only copies of the on-disk store that workers query (snapshots.py)
sandbox                 the seccomp filter that keeps query execution off the network (sandbox.py)
partition               skolemise + split by access group (partition.py)
stage                   partition + write out a new passport for bulk_load (writes.py)
layout                  graph IRIs and metadata terms (layout.py)
"""

from passport_registry.store.embedded import EmbeddedPassportStore
from passport_registry.store.layout import INDEX_GRAPHS, LIVE_GRAPHS, META_GRAPH, ONTOLOGY_GRAPH
from passport_registry.store.partition import PartitionedPassport, partition
from passport_registry.store.protocol import PassportStore
from passport_registry.store.query import GRAPH_MEDIA_TYPES, QueryRequest, QueryResult
from passport_registry.store.records import (
    BulkReport,
    LinkDecision,
    ListFilters,
    NewPassport,
    Page,
    PassportFacts,
    PassportRecord,
    PassportSnapshot,
    StagedPassport,
    Status,
    SuccessorClaim,
    VersionInfo,
)
from passport_registry.store.remote import RemotePassportStore
from passport_registry.store.writes import stage

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "INDEX_GRAPHS",
    "LIVE_GRAPHS",
    "META_GRAPH",
    "ONTOLOGY_GRAPH",
    "BulkReport",
    "EmbeddedPassportStore",
    "LinkDecision",
    "ListFilters",
    "NewPassport",
    "Page",
    "PartitionedPassport",
    "PassportFacts",
    "PassportRecord",
    "PassportSnapshot",
    "PassportStore",
    "QueryRequest",
    "QueryResult",
    "RemotePassportStore",
    "StagedPassport",
    "Status",
    "SuccessorClaim",
    "VersionInfo",
    "partition",
    "stage",
]
