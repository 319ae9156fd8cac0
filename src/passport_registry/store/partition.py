"""Skolemise a passport's triples and split them by access group (the partition rule of docs/model.md).

Pure functions over RDF terms; nothing here touches a store.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.errors import UnprocessableInput
from passport_registry.store.records import PassportFacts
from passport_registry.vocabulary.terms import (
    BPR_batteryCategory,
    BPR_BatteryPassport,
    BPR_batteryPassportIdentifier,
    BPR_batteryStatus,
    BPR_predecessor,
    BPR_productIdentifier,
    RDF_type,
)

Node = NamedNode | BlankNode


@dataclass(frozen=True)
class PartitionedPassport:
    """A passport ready to store: skolemised triples by access group, and its nested nodes by group.

    Guarantees: no blank node anywhere; every triple's subject is the passport IRI or a nested node IRI
    `{passport}#n-{k}`; each nested node is in exactly one group, and all its triples are in that group.
    """

    iri: NamedNode
    triples: dict[AccessGroup, list[Triple]]
    nodes: dict[AccessGroup, list[NamedNode]]

    def __len__(self) -> int:
        return sum(len(ts) for ts in self.triples.values())


def partition(passport: NamedNode, triples: Iterable[Triple], resolver: GroupResolver) -> PartitionedPassport:
    """Skolemise and partition the triples of one passport.

    The root is `passport` itself, or else the one blank node typed `bpr:BatteryPassport`; it becomes
    `passport`. Blank nodes become `{passport}#n-{k}`, k counting first appearances in input order (so
    the same input gives the same IRIs; k skips numbers already used by nested IRIs in the input, so a
    passport read back and written again keeps its node IRIs). Root triples go to the group of their
    predicate (`rdf:type` is public); a nested node takes the group of the root property reaching it.

    Raises UnprocessableInput when there is no single root, a root property has no access group, a node
    is reached through properties of two groups, a subject is neither the root, a blank node nor an IRI
    under `{passport}#`, or a triple is not connected to the root.
    """
    if "#" in passport.value:
        raise UnprocessableInput(f"a passport IRI has no fragment: {passport.value}")
    triples = list(triples)
    scope = passport.value + "#"
    root = _find_root(passport, triples)
    names = _Skolemiser(passport, root, triples)

    by_subject: dict[NamedNode, list[Triple]] = {}
    for t in triples:
        # Keep the input triple when skolemising changed nothing: building a pyoxigraph Triple costs
        # ~2.5 us when its object is a Literal (measured), most of a partition. Check a subject once.
        s, o = t.subject, t.object
        subject, obj = names.term(s), names.term(o)
        if not isinstance(subject, NamedNode):
            raise UnprocessableInput(f"{s} is not a valid subject", subject=str(s))  # pragma: no cover
        bucket = by_subject.get(subject)
        if bucket is None:
            if subject != passport and not subject.value.startswith(scope):
                raise UnprocessableInput(
                    f"{s} is neither the passport, a blank node nor an IRI under {scope}", subject=str(s)
                )
            bucket = by_subject[subject] = []
        bucket.append(t if subject is s and obj is o else Triple(subject, t.predicate, obj))

    out: dict[AccessGroup, list[Triple]] = {g: [] for g in AccessGroup}
    node_group: dict[NamedNode, AccessGroup] = {}
    queue: deque[NamedNode] = deque()
    for t in by_subject.pop(passport, []):
        group = AccessGroup.PUBLIC if t.predicate == RDF_type else resolver.group_of(t.predicate)
        if group is None:
            raise UnprocessableInput(
                f"{t.predicate.value} has no access group in the ontology", predicate=t.predicate.value
            )
        out[group].append(t)
        _reach(t.object, group, passport, scope, node_group, queue)
    while queue:
        node = queue.popleft()
        group = node_group[node]
        for t in by_subject.pop(node, []):
            out[group].append(t)
            _reach(t.object, group, passport, scope, node_group, queue)
    if by_subject:
        orphan = next(iter(by_subject))
        raise UnprocessableInput(
            f"{orphan.value} is not reachable from the passport root", subject=orphan.value
        )
    nodes: dict[AccessGroup, list[NamedNode]] = {g: [] for g in AccessGroup}
    for node, group in node_group.items():
        nodes[group].append(node)
    return PartitionedPassport(passport, out, nodes)


def facts_of(passport: PartitionedPassport) -> PassportFacts:
    """The facts the registry indexes, read from the passport's root: `bpr:productIdentifier` (the
    battery identifier), `bpr:batteryCategory`, `bpr:predecessor`, `bpr:batteryStatus`, and
    `bpr:batteryPassportIdentifier` when it is an IRI. Absent ones are None / empty.

    Raises UnprocessableInput when the root has two battery identifiers or two categories.
    """
    root = [t for ts in passport.triples.values() for t in ts if t.subject == passport.iri]
    ids = [
        t.object.value for t in root if t.predicate == BPR_productIdentifier and isinstance(t.object, Literal)
    ]
    categories = [
        t.object for t in root if t.predicate == BPR_batteryCategory and isinstance(t.object, NamedNode)
    ]
    if len(ids) > 1 or len(categories) > 1:
        raise UnprocessableInput("a passport has at most one battery identifier and one category")
    predecessors = sorted(
        (t.object for t in root if t.predicate == BPR_predecessor and isinstance(t.object, NamedNode)),
        key=lambda n: n.value,
    )
    statuses = sorted(
        (t.object for t in root if t.predicate == BPR_batteryStatus and isinstance(t.object, NamedNode)),
        key=lambda n: n.value,
    )
    return PassportFacts(
        battery_id=ids[0] if ids else None,
        category=categories[0] if categories else None,
        predecessors=tuple(predecessors),
        battery_status=statuses[0] if statuses else None,
        passport_identifier=_passport_identifier(root),
    )


def _passport_identifier(root: list[Triple]) -> NamedNode | None:
    """The root's `bpr:batteryPassportIdentifier` if it is an IRI (the name links use), else None."""
    for t in root:
        if t.predicate == BPR_batteryPassportIdentifier and isinstance(t.object, Literal):
            try:
                return NamedNode(t.object.value)
            except ValueError:
                return None
    return None


def _reach(
    obj: NamedNode | BlankNode | Literal | Triple,
    group: AccessGroup,
    passport: NamedNode,
    scope: str,
    node_group: dict[NamedNode, AccessGroup],
    queue: deque[NamedNode],
) -> None:
    if not isinstance(obj, NamedNode) or obj == passport or not obj.value.startswith(scope):
        return
    known = node_group.get(obj)
    if known is None:
        node_group[obj] = group
        queue.append(obj)
    elif known is not group:
        raise UnprocessableInput(
            f"{obj.value} is reached through properties of two access groups ({known.slug}, {group.slug})",
            subject=obj.value,
        )


def _find_root(passport: NamedNode, triples: list[Triple]) -> Node:
    if any(t.subject == passport for t in triples):
        return passport
    typed = {t.subject for t in triples if t.predicate == RDF_type and t.object == BPR_BatteryPassport}
    blank = [s for s in typed if isinstance(s, BlankNode)]
    if len(typed) != 1 or len(blank) != 1:
        raise UnprocessableInput(
            "a passport has exactly one root: the passport IRI or one blank node typed bpr:BatteryPassport"
        )
    return blank[0]


class _Skolemiser:
    """Blank node -> `{passport}#n-{k}`, numbered by first appearance, skipping numbers already taken."""

    def __init__(self, passport: NamedNode, root: Node, triples: list[Triple]) -> None:
        self._passport = passport
        self._root = root
        self._prefix = passport.value + "#n-"
        self._taken = {
            term.value
            for t in triples
            for term in (t.subject, t.object)
            if isinstance(term, NamedNode) and term.value.startswith(self._prefix)
        }
        self._names: dict[BlankNode, NamedNode] = {}
        self._next = 1

    def term(self, term: NamedNode | BlankNode | Literal | Triple) -> NamedNode | Literal:
        """`term` itself (the same object) unless it is a blank node (the root is one, or `passport`)."""
        if isinstance(term, Literal | NamedNode):  # a NamedNode root is `passport` itself
            return term
        if term == self._root:
            return self._passport
        if isinstance(term, BlankNode):
            name = self._names.get(term)
            if name is None:
                while self._prefix + str(self._next) in self._taken:
                    self._next += 1
                name = NamedNode(self._prefix + str(self._next))
                self._next += 1
                self._names[term] = name
            return name
        if isinstance(term, Triple):
            raise UnprocessableInput("triple terms are not accepted in a passport")
        return term
