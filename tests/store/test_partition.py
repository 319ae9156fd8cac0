"""Skolemisation and the partition rule of docs/model.md."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.errors import UnprocessableInput
from passport_registry.store import PassportFacts
from passport_registry.store.partition import facts_of, partition

from .helpers import LMT, PREFIXES, deskolemised, expected_graph, iri, isomorphic, passport_triples

P = iri("p1")


def turtle(text: str) -> list[Triple]:
    return [q.triple for q in parse((PREFIXES + text).encode(), RdfFormat.TURTLE)]


def test_each_group_gets_exactly_its_triples(resolver: GroupResolver) -> None:
    parts = partition(P, passport_triples(), resolver)
    for group in AccessGroup:
        assert isomorphic(deskolemised(parts.triples[group], P), expected_graph([group.slug])), group


def test_no_blank_node_survives_and_every_subject_is_scoped(resolver: GroupResolver) -> None:
    parts = partition(P, passport_triples(), resolver)
    triples = [t for ts in parts.triples.values() for t in ts]
    assert len(triples) == len(passport_triples())
    for t in triples:
        assert not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode)
        assert isinstance(t.subject, NamedNode)
        assert t.subject == P or t.subject.value.startswith(P.value + "#n-")


def test_root_becomes_the_passport_iri(resolver: GroupResolver) -> None:
    parts = partition(P, passport_triples(), resolver)
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    typed = [t for t in parts.triples[AccessGroup.PUBLIC] if t.predicate == rdf_type]
    assert [t.subject for t in typed] == [P]


def test_same_input_same_node_iris(resolver: GroupResolver) -> None:
    first = partition(P, passport_triples(), resolver)
    second = partition(P, passport_triples(), resolver)
    assert first.triples == second.triples
    assert first.nodes == second.nodes


def test_nested_nodes_are_indexed_in_their_group(resolver: GroupResolver) -> None:
    parts = partition(P, passport_triples(), resolver)
    assert {g: len(ns) for g, ns in parts.nodes.items()} == {
        AccessGroup.PUBLIC: 2,  # manufacturer, its address
        AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION: 1,
        AccessGroup.AUTHORITIES: 1,
        AccessGroup.LEGITIMATE_INTEREST: 1,
    }
    for group, nodes in parts.nodes.items():
        subjects = {t.subject for t in parts.triples[group]}
        assert set(nodes) <= subjects


def test_read_back_passport_keeps_its_node_iris(resolver: GroupResolver) -> None:
    """A passport read back (skolem IRIs) plus a new blank node: old IRIs kept, the new one gets a free k."""
    parts = partition(P, passport_triples(), resolver)
    again = [t for ts in parts.triples.values() for t in ts]
    extra = BlankNode()
    again += [
        Triple(P, NamedNode("https://w3id.org/passport-registry/battery#testReport"), extra),
        Triple(extra, NamedNode("https://w3id.org/passport-registry/battery#name"), Literal("second")),
    ]
    reparts = partition(P, again, resolver)
    old_nodes = {n for ns in parts.nodes.values() for n in ns}
    new_nodes = {n for ns in reparts.nodes.values() for n in ns}
    assert old_nodes < new_nodes
    (added,) = new_nodes - old_nodes
    assert added in reparts.nodes[AccessGroup.AUTHORITIES]


def test_passport_iri_as_root_is_accepted(resolver: GroupResolver) -> None:
    triples = turtle(f'<{P.value}> a bpr:BatteryPassport ; bpr:productIdentifier "X" .')
    parts = partition(P, triples, resolver)
    assert len(parts.triples[AccessGroup.PUBLIC]) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[] bpr:productIdentifier "X" .', "exactly one root"),
        ("[] a bpr:BatteryPassport . [] a bpr:BatteryPassport .", "exactly one root"),
        ('[] a bpr:BatteryPassport ; bpr:unknownProperty "X" .', "no access group"),
        ('[] a bpr:BatteryPassport ; bpr:name "structural, not root-level" .', "no access group"),
        (
            "[] a bpr:BatteryPassport ; bpr:manufacturer _:shared ; bpr:stateOfHealth _:shared . "
            "_:shared bpr:value 1 .",
            "two access groups",
        ),
        ('[] a bpr:BatteryPassport . [] bpr:name "floating" .', "not reachable"),
        (
            "[] a bpr:BatteryPassport ; bpr:manufacturer <https://acme.example/org> . "
            '<https://acme.example/org> bpr:name "Acme" .',
            "neither the passport",
        ),
    ],
)
def test_refuses_what_the_rule_cannot_place(resolver: GroupResolver, body: str, message: str) -> None:
    with pytest.raises(UnprocessableInput, match=message):
        partition(P, turtle(body), resolver)


def test_iri_objects_outside_the_passport_are_leaves(resolver: GroupResolver) -> None:
    """A concept or document IRI as an object is a value, not a node to follow."""
    parts = partition(P, passport_triples(), resolver)
    assert all(n.value.startswith(P.value + "#") for ns in parts.nodes.values() for n in ns)


def test_passport_iri_with_fragment_is_refused(resolver: GroupResolver) -> None:
    with pytest.raises(UnprocessableInput):
        partition(NamedNode(P.value + "#x"), passport_triples(), resolver)


def test_facts_are_read_from_the_root(resolver: GroupResolver) -> None:
    facts = facts_of(partition(P, passport_triples(battery="BAT-9", category=LMT), resolver))
    assert facts == PassportFacts(battery_id="BAT-9", category=NamedNode(LMT), predecessors=())


def test_facts_of_a_passport_without_them(resolver: GroupResolver) -> None:
    assert facts_of(partition(P, turtle("[] a bpr:BatteryPassport ."), resolver)) == PassportFacts()


def test_two_battery_identifiers_are_refused(resolver: GroupResolver) -> None:
    parts = partition(P, turtle('[] a bpr:BatteryPassport ; bpr:productIdentifier "A", "B" .'), resolver)
    with pytest.raises(UnprocessableInput, match="at most one battery identifier"):
        facts_of(parts)
