"""Access groups (Annex XIII points 1-4), roles, and which groups a caller may read.

The four groups are individuals of `bpr:AccessGroup` (docs/model.md); each attribute property names its
group with `bpr:accessGroup`. `GroupResolver` takes those annotations from the vocabulary's `Catalogue`, and
`AccessPolicy` decides which groups a caller reads:

- anonymous callers, `admin`, `economic_operator`: public;
- `legitimate_interest`: public, legitimate interest + Commission, legitimate interest;
- `notified_body`, `market_surveillance`, `commission`: public, legitimate interest + Commission,
  authorities, and legitimate interest only when the policy flag is on;
- the owner of a passport: every group of its own passports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pyoxigraph import NamedNode, Quad, Triple

from passport_registry.roles import Role
from passport_registry.vocabulary.catalogue import Catalogue
from passport_registry.vocabulary.terms import (
    BPR,
    BPR_accessGroup,
    BPR_AuthoritiesAccess,
    BPR_LegitimateInterestAccess,
    BPR_LegitimateInterestAndCommissionAccess,
    BPR_PublicAccess,
)


class AccessGroup(StrEnum):
    """An Annex XIII access group; the value is the group's IRI in the ontology.

    >>> AccessGroup("https://w3id.org/passport-registry/battery#PublicAccess") is AccessGroup.PUBLIC
    True
    >>> AccessGroup.AUTHORITIES.slug
    'authorities'
    """

    PUBLIC = BPR_PublicAccess.value
    LEGITIMATE_INTEREST_AND_COMMISSION = BPR_LegitimateInterestAndCommissionAccess.value
    AUTHORITIES = BPR_AuthoritiesAccess.value
    LEGITIMATE_INTEREST = BPR_LegitimateInterestAccess.value

    @property
    def slug(self) -> str:
        """A short stable name, used in graph IRIs and file names."""
        return _SLUGS[self]

    @property
    def node(self) -> NamedNode:
        """The group's IRI as an RDF term."""
        return NamedNode(self.value)


_SLUGS: Mapping[AccessGroup, str] = {
    AccessGroup.PUBLIC: "public",
    AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION: "legitimate-interest-and-commission",
    AccessGroup.AUTHORITIES: "authorities",
    AccessGroup.LEGITIMATE_INTEREST: "legitimate-interest",
}

ALL_GROUPS: frozenset[AccessGroup] = frozenset(AccessGroup)

__all__ = ["ALL_GROUPS", "BPR", "AccessGroup", "AccessPolicy", "BPR_accessGroup", "GroupResolver", "Role"]


_AUTHORITIES = frozenset({Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE, Role.COMMISSION})


@dataclass(frozen=True)
class AccessPolicy:
    """Which access groups a caller reads.

    `authorities_read_item_data` is the configurable policy for Annex XIII point 4
    (`Settings.authorities_read_item_data`): whether notified bodies, market surveillance authorities and
    the Commission also read the legitimate-interest group.

    >>> policy = AccessPolicy()
    >>> sorted(g.slug for g in policy.readable_groups(None))
    ['public']
    >>> sorted(g.slug for g in policy.readable_groups(Role.NOTIFIED_BODY))
    ['authorities', 'legitimate-interest-and-commission', 'public']
    >>> policy.readable_groups(Role.ECONOMIC_OPERATOR, is_owner=True) == ALL_GROUPS
    True
    """

    authorities_read_item_data: bool = False

    def readable_groups(self, role: Role | None, *, is_owner: bool = False) -> frozenset[AccessGroup]:
        """The groups a caller with `role` (None: anonymous) reads; owners read all groups of their passport.

        Always contains the public group; never contains a group the table in the module docstring
        does not grant.
        """
        if is_owner:
            return ALL_GROUPS
        groups = {AccessGroup.PUBLIC}
        if role is Role.LEGITIMATE_INTEREST:
            groups |= {AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION, AccessGroup.LEGITIMATE_INTEREST}
        elif role in _AUTHORITIES:
            groups |= {AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION, AccessGroup.AUTHORITIES}
            if self.authorities_read_item_data:
                groups.add(AccessGroup.LEGITIMATE_INTEREST)
        return frozenset(groups)


class GroupResolver:
    """Maps a property IRI to the access group its `bpr:accessGroup` annotation names.

    Built once from the vocabulary's `Catalogue` (or the ontology's triples). Properties without an
    annotation (structural properties such as `bpr:value`, or unknown ones) resolve to None; an
    annotation naming anything but one of the four groups is refused at construction, so a typo in the
    ontology can never widen access.

    >>> t = Triple(NamedNode(BPR + "stateOfHealth"), BPR_accessGroup, AccessGroup.LEGITIMATE_INTEREST.node)
    >>> GroupResolver.from_triples([t]).group_of(NamedNode(BPR + "stateOfHealth")).slug
    'legitimate-interest'
    """

    def __init__(self, groups: Mapping[str, AccessGroup]) -> None:
        self._groups = dict(groups)

    @classmethod
    def from_triples(cls, triples: Iterable[Triple | Quad]) -> GroupResolver:
        """The resolver of the ontology `triples` (quads of any graph are accepted): `from_catalogue`."""
        return cls.from_catalogue(Catalogue(triples))

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> GroupResolver:
        """Check every `?property bpr:accessGroup ?group` statement the catalogue met.

        Raises ValueError when a property names an unknown group or two different groups.
        """
        groups: dict[str, AccessGroup] = {}
        for t in catalogue.access_group_annotations:
            if not isinstance(t.subject, NamedNode) or not isinstance(t.object, NamedNode):
                raise ValueError(f"bpr:accessGroup must link two IRIs, got {t}")
            try:
                group = AccessGroup(t.object.value)
            except ValueError:
                raise ValueError(
                    f"{t.subject.value} names an unknown access group {t.object.value}"
                ) from None
            previous = groups.setdefault(t.subject.value, group)
            if previous is not group:
                raise ValueError(f"{t.subject.value} is annotated with two access groups")
        return cls(groups)

    def group_of(self, predicate: NamedNode) -> AccessGroup | None:
        """The group of `predicate`, or None when the ontology gives it none."""
        return self._groups.get(predicate.value)

    def properties(self, group: AccessGroup) -> frozenset[str]:
        """The IRIs of every property annotated with `group`."""
        return frozenset(p for p, g in self._groups.items() if g is group)
