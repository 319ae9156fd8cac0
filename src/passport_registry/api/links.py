"""`/passports/{id}/successors`: the passports that name this one as predecessor, and its owner's consent.

Creating a successor is `POST /passports/{id}/successors` (`api/passport_lifecycle.py`); the rules of who may
link what are in `services/links.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from passport_registry.api.deps import AUTH_RESPONSES, CREDENTIALS_CHECKED, CurrentUser, OptionalReader
from passport_registry.services.links import ClaimStatus, Link, SuccessorLinks

router = APIRouter(tags=["passports"], dependencies=CREDENTIALS_CHECKED)

_PROBLEM = {"application/problem+json": {"schema": {"type": "object"}}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such passport, or it names no such successor (problem details).",
        "content": _PROBLEM,
    }
}

PassportId = Annotated[str, Path(max_length=64, description="The passport id (the last segment of its IRI).")]
SuccessorId = Annotated[
    str, Path(max_length=64, description="The id of the passport naming it as predecessor.")
]


async def get_links(request: Request) -> SuccessorLinks:
    """The successor-link service opened by the app's lifespan."""
    links: SuccessorLinks = request.app.state.links
    return links


Links = Annotated[SuccessorLinks, Depends(get_links)]


class SuccessorLinkOut(BaseModel):
    """A passport's claim to derive from this one, and whether this one shows it."""

    successor: str = Field(description="IRI of the passport naming this one as predecessor.")
    named: str = Field(
        description="The identifier of this passport it names (its IRI or passport identifier)."
    )
    status: ClaimStatus = Field(
        description="accepted: this passport shows the link (`Link: rel=successor-version`); proposed: "
        "waiting for this passport's owner; rejected: its owner declined or withdrew it."
    )
    claimed_by: str = Field(description="Organisation that made the claim (the successor's operator).")
    claimed_at: datetime
    decided_by: str | None = Field(
        description="Organisation (this passport's owner) that accepted or rejected it; null when none "
        "did (a claim by an organisation responsible for this passport is accepted without a decision)."
    )
    decided_at: datetime | None

    @classmethod
    def of(cls, link: Link) -> SuccessorLinkOut:
        claim = link.claim
        return cls(
            successor=claim.successor.value,
            named=claim.named.value,
            status=link.status,
            claimed_by=claim.claimed_by,
            claimed_at=claim.claimed_at,
            decided_by=claim.decided_by,
            decided_at=claim.decided_at,
        )


@router.get(
    "/passports/{passport_id}/successors", response_model=list[SuccessorLinkOut], responses=_NOT_FOUND
)
def list_successor_links(
    passport_id: PassportId, user: OptionalReader, links: Links
) -> list[SuccessorLinkOut]:
    """The passports that name this one as their predecessor (Art. 77(7)), with who claimed it and when.

    Its owner and the authorities (notified bodies, market surveillance, Commission) see every claim
    and its status; everyone else the accepted ones, which are the successor links this passport shows.
    """
    return [SuccessorLinkOut.of(link) for link in links.list(passport_id, user)]


@router.put(
    "/passports/{passport_id}/successors/{successor_id}",
    response_model=SuccessorLinkOut,
    responses={**AUTH_RESPONSES, **_NOT_FOUND},
)
def accept_successor_link(
    passport_id: PassportId, successor_id: SuccessorId, user: CurrentUser, links: Links
) -> SuccessorLinkOut:
    """Accept a successor's claim (this passport's owner only): this passport then shows the link.

    Recorded with the owner's organisation and the time; changes no version of either passport;
    may be withdrawn with `DELETE`. Idempotent."""
    return SuccessorLinkOut.of(links.decide(passport_id, successor_id, user, accept=True))


@router.delete(
    "/passports/{passport_id}/successors/{successor_id}",
    response_model=SuccessorLinkOut,
    responses={**AUTH_RESPONSES, **_NOT_FOUND},
)
def reject_successor_link(
    passport_id: PassportId, successor_id: SuccessorId, user: CurrentUser, links: Links
) -> SuccessorLinkOut:
    """Reject or withdraw a successor's claim (this passport's owner only): this passport stops showing
    the link. The successor keeps naming this passport in its own data (its operator's statement);
    the rejection is recorded with the owner's organisation and the time, and can be undone with `PUT`."""
    return SuccessorLinkOut.of(links.decide(passport_id, successor_id, user, accept=False))
