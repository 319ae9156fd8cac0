"""docs/identifiers.md: the w3id.org redirect rules cover every stable IRI the code names, and each rule
leads to a document a registry serves."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx
import pytest

from passport_registry import resources
from passport_registry.json_schema.generator import SCHEMA_ID

DOC = Path(__file__).parents[1] / "docs" / "identifiers.md"
NAMESPACE = "https://w3id.org/passport-registry/"
TARGET = "https://registry.example.org"


def rewrite_rules() -> list[tuple[re.Pattern[str], str, int]]:
    """The `RewriteRule`s of the `.htaccess` in the doc: (pattern, target, redirect status)."""
    block = DOC.read_text(encoding="utf-8").split("```apache", 1)[1].split("```", 1)[0]
    rules = re.findall(r"^RewriteRule (\S+) (\S+) \[R=(\d{3}),L\]$", block, re.MULTILINE)
    assert len(rules) >= 5
    return [(re.compile(pattern), target, int(status)) for pattern, target, status in rules]


def redirect(iri: str) -> tuple[str, int]:
    """Where w3id.org would send `iri` (Apache: the path below the folder, first matching rule)."""
    assert iri.startswith(NAMESPACE), iri
    path = iri.removeprefix(NAMESPACE).split("#", 1)[0]
    for pattern, target, status in rewrite_rules():
        if pattern.search(path):
            return target, status  # no rule uses back-references
    raise AssertionError(f"no rule for {iri}")


STABLE_IRIS = [
    resources.ONTOLOGY_IRI,
    resources.BPR + "batteryMass",
    resources.BPR + "BatteryPassport",
    resources.BPRV.rstrip("/"),
    resources.BPRV + "category/ev",
    resources.BPRS + "BatteryPassportShape",
    resources.BPRS.rstrip("#"),
    resources.CONTEXT_URL,
    SCHEMA_ID,
]


@pytest.mark.parametrize("iri", STABLE_IRIS)
def test_every_stable_iri_redirects_to_a_document_a_registry_serves(client: httpx.Client, iri: str) -> None:
    target, status = redirect(iri)
    assert target.startswith(TARGET + "/")
    assert status == (302 if iri in (resources.CONTEXT_URL, SCHEMA_ID) else 303)
    response = client.get(target.removeprefix(TARGET))
    assert response.status_code == 200, (iri, target)


def test_the_context_redirect_gives_the_context_a_registry_serves(client: httpx.Client) -> None:
    target, _ = redirect(resources.CONTEXT_URL)
    served = client.get(target.removeprefix(TARGET))
    assert served.json() == resources.context_document()


def test_an_iri_outside_the_scheme_has_no_rule() -> None:
    with pytest.raises(AssertionError, match="no rule"):
        redirect(NAMESPACE + "battery/unknown")
