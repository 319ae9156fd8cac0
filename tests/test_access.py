"""Access groups, the roles that read them, and the ontology-driven group resolver."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad, Triple

from passport_registry.access import (
    ALL_GROUPS,
    BPR,
    AccessGroup,
    AccessPolicy,
    BPR_accessGroup,
    GroupResolver,
    Role,
)

PUBLIC, LIC, AUTH, LI = (
    AccessGroup.PUBLIC,
    AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION,
    AccessGroup.AUTHORITIES,
    AccessGroup.LEGITIMATE_INTEREST,
)

#: Annex XIII as docs/model.md tabulates it; `None` is an anonymous caller.
EXPECTED = {
    None: {PUBLIC},
    Role.ADMIN: {PUBLIC},
    Role.ECONOMIC_OPERATOR: {PUBLIC},
    Role.LEGITIMATE_INTEREST: {PUBLIC, LIC, LI},
    Role.NOTIFIED_BODY: {PUBLIC, LIC, AUTH},
    Role.MARKET_SURVEILLANCE: {PUBLIC, LIC, AUTH},
    Role.COMMISSION: {PUBLIC, LIC, AUTH},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_groups_by_role(role: Role | None) -> None:
    assert AccessPolicy().readable_groups(role) == EXPECTED[role]


@pytest.mark.parametrize("role", [Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE, Role.COMMISSION])
def test_policy_flag_lets_authorities_read_point_4(role: Role) -> None:
    assert AccessPolicy(authorities_read_item_data=True).readable_groups(role) == {PUBLIC, LIC, AUTH, LI}


@pytest.mark.parametrize("role", [None, Role.ADMIN, Role.ECONOMIC_OPERATOR, Role.LEGITIMATE_INTEREST])
def test_policy_flag_changes_nothing_for_others(role: Role | None) -> None:
    assert AccessPolicy(authorities_read_item_data=True).readable_groups(role) == EXPECTED[role]


@pytest.mark.parametrize("role", [None, *Role])
def test_owner_reads_everything(role: Role | None) -> None:
    assert AccessPolicy().readable_groups(role, is_owner=True) == ALL_GROUPS


def test_role_values_match_the_design() -> None:
    assert {r.value for r in Role} == {
        "admin",
        "economic_operator",
        "legitimate_interest",
        "notified_body",
        "market_surveillance",
        "commission",
    }


def test_group_iris_and_slugs_are_stable() -> None:
    assert {g.value for g in AccessGroup} == {
        BPR + "PublicAccess",
        BPR + "LegitimateInterestAndCommissionAccess",
        BPR + "AuthoritiesAccess",
        BPR + "LegitimateInterestAccess",
    }
    assert len({g.slug for g in AccessGroup}) == 4


def _annotation(prop: str, group: str) -> Triple:
    return Triple(NamedNode(BPR + prop), BPR_accessGroup, NamedNode(BPR + group))


def test_resolver_reads_annotations_and_ignores_the_rest() -> None:
    resolver = GroupResolver.from_triples(
        [
            _annotation("stateOfHealth", "LegitimateInterestAccess"),
            Quad(NamedNode(BPR + "testReport"), BPR_accessGroup, AUTH.node, NamedNode("http://g")),
            Triple(NamedNode(BPR + "value"), NamedNode(BPR + "unrelated"), PUBLIC.node),
        ]
    )
    assert resolver.group_of(NamedNode(BPR + "stateOfHealth")) is LI
    assert resolver.group_of(NamedNode(BPR + "testReport")) is AUTH
    assert resolver.group_of(NamedNode(BPR + "value")) is None
    assert resolver.properties(AUTH) == {BPR + "testReport"}


def test_resolver_refuses_unknown_group() -> None:
    with pytest.raises(ValueError, match="unknown access group"):
        GroupResolver.from_triples([_annotation("x", "EverybodyAccess")])


def test_resolver_refuses_two_groups_for_one_property() -> None:
    with pytest.raises(ValueError, match="two access groups"):
        GroupResolver.from_triples([_annotation("x", "PublicAccess"), _annotation("x", "AuthoritiesAccess")])


def test_docstring_examples() -> None:
    import doctest

    from passport_registry import access

    result = doctest.testmod(access)
    assert result.attempted > 0 and result.failed == 0
