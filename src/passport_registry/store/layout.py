"""Where the store keeps what: graph IRIs, registry-metadata terms and the guard graphs of every write.

Live data (what SPARQL and REST views read), one large graph per access group holding every passport:

    https://w3id.org/passport-registry/graph/public
    https://w3id.org/passport-registry/graph/legitimate-interest-and-commission
    https://w3id.org/passport-registry/graph/authorities
    https://w3id.org/passport-registry/graph/legitimate-interest

Never given to SPARQL callers:

    https://w3id.org/passport-registry/graph/meta             registry metadata (`bprm:` terms below),
                                                               version records and successor claims
    https://w3id.org/passport-registry/graph/index/{group}    `<passport> bprm:node <node>`: the nested
                                                               nodes of each passport in that group, so one
                                                               passport is a handful of subject look-ups
    {passport}/versions/{n}#{group}                           history: the quads of superseded version n
    {passport}#minted, {passport}/versions/{n}#head,          guard graphs, one triple each (see `Guard`)
    https://w3id.org/passport-registry/graph/battery/{sha256}

History layout, and why: when version n is superseded (replace) or ended (delete), its live quads move,
inside the same update, into the per-passport graphs `{passport}/versions/{n}#{group}`. The live groups
therefore stay four large graphs whatever the history length (the SPARQL dataset restriction stays a
short list, DESIGN.md §3), a passport updated a thousand times reads as fast as a new one (the live
graphs hold one copy of each subject), an old version is read with one graph-prefix scan per group, and
every version is stored once (the current version is not duplicated into history). Access groups are
kept apart in history too, so an old version is filtered exactly like the live one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from pyoxigraph import NamedNode

from passport_registry.access import AccessGroup

GRAPH_BASE = "https://w3id.org/passport-registry/graph/"
BPRM = "https://w3id.org/passport-registry/meta#"

META_GRAPH = NamedNode(GRAPH_BASE + "meta")
#: The ontology and vocabularies, replaced at every start; part of every SPARQL dataset.
ONTOLOGY_GRAPH = NamedNode(GRAPH_BASE + "ontology")

LIVE_GRAPHS: Mapping[AccessGroup, NamedNode] = {g: NamedNode(GRAPH_BASE + g.slug) for g in AccessGroup}
INDEX_GRAPHS: Mapping[AccessGroup, NamedNode] = {
    g: NamedNode(GRAPH_BASE + "index/" + g.slug) for g in AccessGroup
}

# Registry metadata, subject the passport IRI unless said otherwise.
BPRM_owner = NamedNode(BPRM + "owner")  # xsd:string, the owning account
BPRM_version = NamedNode(BPRM + "version")  # xsd:integer, current version (1-based)
BPRM_created = NamedNode(BPRM + "created")  # xsd:dateTime
BPRM_updated = NamedNode(BPRM + "updated")  # xsd:dateTime
BPRM_status = NamedNode(BPRM + "status")  # one of the status IRIs below
BPRM_endedAt = NamedNode(BPRM + "endedAt")  # xsd:dateTime of delete / cease
BPRM_endedBy = NamedNode(BPRM + "endedBy")  # xsd:string, the account that ended it
BPRM_predecessor = NamedNode(BPRM + "predecessor")  # passport IRI this one was derived from
BPRM_batteryIdentifier = NamedNode(BPRM + "batteryIdentifier")  # xsd:string
BPRM_category = NamedNode(BPRM + "category")  # concept IRI of the battery category
BPRM_batteryStatus = NamedNode(BPRM + "batteryStatus")  # concept IRI of the battery status
BPRM_node = NamedNode(BPRM + "node")  # index graphs: passport -> nested node
BPRM_passportIdentifier = NamedNode(BPRM + "passportIdentifier")  # its batteryPassportIdentifier IRI
BPRM_linkChange = NamedNode(BPRM + "linkChange")  # xsd:string token; one per change of its links
# Successor claims, subject `{successor}/links/{digest of the named identifier}` (`link_record`).
BPRM_linkFrom = NamedNode(BPRM + "linkFrom")  # the successor passport
BPRM_linkTo = NamedNode(BPRM + "linkTo")  # the identifier it names as predecessor
BPRM_claimedBy = NamedNode(BPRM + "claimedBy")  # xsd:string, the organisation that named it
BPRM_claimedAt = NamedNode(BPRM + "claimedAt")  # xsd:dateTime
BPRM_decision = NamedNode(BPRM + "decision")  # one of the decision IRIs below
BPRM_decidedBy = NamedNode(BPRM + "decidedBy")  # xsd:string, the original's owner that decided
BPRM_decidedAt = NamedNode(BPRM + "decidedAt")  # xsd:dateTime
# Version records, subject `{passport}/versions/{n}`.
BPRM_versionOf = NamedNode(BPRM + "versionOf")
BPRM_versionNumber = NamedNode(BPRM + "versionNumber")
BPRM_issued = NamedNode(BPRM + "issued")
BPRM_issuedBy = NamedNode(BPRM + "issuedBy")
# The registry itself, subject `META_GRAPH`.
BPRM_baseUrl = NamedNode(BPRM + "baseUrl")  # xsd:string, the base URL its passport IRIs were minted under
# Guard graphs' single triple.
BPRM_guards = NamedNode(BPRM + "guards")

STATUS_IRIS: Mapping[str, NamedNode] = {
    "live": NamedNode(BPRM + "Live"),
    "deleted": NamedNode(BPRM + "Deleted"),
    "ceased": NamedNode(BPRM + "Ceased"),
}


DECISION_IRIS: Mapping[str, NamedNode] = {
    "accepted": NamedNode(BPRM + "Accepted"),
    "rejected": NamedNode(BPRM + "Rejected"),
}


def link_record(successor: NamedNode, named: NamedNode) -> NamedNode:
    """`{successor}/links/{digest}`: the subject of the claim that `successor` derives from `named`."""
    digest = hashlib.sha256(named.value.encode("utf-8")).hexdigest()[:32]
    return NamedNode(f"{successor.value}/links/{digest}")


def version_record(passport: NamedNode, version: int) -> NamedNode:
    """`{passport}/versions/{n}`: the subject of version n's record in the metadata graph."""
    return NamedNode(f"{passport.value}/versions/{version}")


def history_graph(passport: NamedNode, version: int, group: AccessGroup) -> NamedNode:
    """The graph that holds the quads of `group` of superseded `version` of `passport`."""
    return NamedNode(f"{passport.value}/versions/{version}#{group.slug}")


class Guard:
    """Guard graphs: each write checks its preconditions by creating or dropping them.

    SPARQL UPDATE fails `CREATE GRAPH` on an existing graph and `DROP GRAPH` on a missing one, and a
    failed operation rolls back the whole update. So a write ends with:

    - `CREATE GRAPH minted(p)` (create only): fails when the passport IRI was ever used;
    - `DROP GRAPH head(p, v)` (replace, delete): fails unless v is the current live version;
    - `CREATE GRAPH head(p, v + 1)` (create, replace): the new current version;
    - `CREATE GRAPH battery(id)` / `DROP GRAPH battery(id)`: at most one live passport per battery.

    The guards come last, after all the work, so a write that fails its precondition has already run
    every other operation and proves the rollback (tests/store/test_atomicity.py).
    """

    @staticmethod
    def minted(passport: NamedNode) -> NamedNode:
        return NamedNode(passport.value + "#minted")

    @staticmethod
    def head(passport: NamedNode, version: int) -> NamedNode:
        return NamedNode(f"{passport.value}/versions/{version}#head")

    @staticmethod
    def battery(battery_id: str) -> NamedNode:
        digest = hashlib.sha256(battery_id.encode("utf-8")).hexdigest()
        return NamedNode(GRAPH_BASE + "battery/" + digest)
