"""Battery Pass aspects about the product: GeneralProductInformation, Labels, SupplyChainDueDiligence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.batterypass.nodes import address, organisation
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.values import Converter, pointer


def general_product_information(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a GeneralProductInformation payload."""
    for key, value in payload.items():
        at = pointer(key)
        if key == "batteryPassportIdentifier":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key == "productIdentifier":
            doc.set(conv, at, key, conv.text(at, value))
        elif key in ("operatorInformation", "manufacturerInformation"):
            doc.set(conv, at, key, organisation(conv, at, value))
        elif key == "manufacturingPlace":
            place = address(conv, at, value)
            doc.set(conv, at, key, None if place is None else {"postalAddress": place})
        elif key in ("manufacturingDate", "puttingIntoService"):
            doc.set(conv, at, key, conv.date(at, value))
        elif key in ("warrentyPeriod", "warrantyPeriod"):
            doc.set(conv, at, "warrantyPeriod", _warranty_months(conv, at, value))
        elif key == "batteryCategory":
            doc.set(conv, at, key, conv.code(at, value, "category", "battery category"))
        elif key == "batteryMass":
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "batteryStatus":
            doc.set(conv, at, key, conv.code(at, value, "status", "battery status"))
        else:
            conv.unmapped(at, value)


def _warranty_months(conv: Converter, at: str, value: Any) -> int | str | None:
    # Upstream types the period as xsd:gMonth ("--06" = the month of June), which names a month of the
    # year, not a length of time; only a plain number of months says how long the warranty runs.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return conv.integer(at, value)
    conv.issue(
        at,
        value,
        "a month of the year (xsd:gMonth) is not a warranty period; our warrantyPeriod is a number of months",
    )
    return None


def labels(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a Labels payload: declaration, test report, symbols."""
    for key, value in payload.items():
        at = pointer(key)
        if key == "declarationOfConformity":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key == "resultOfTestReport":
            link = conv.iri(at, value)
            if link is not None:
                doc.extend(key, [{"documentURL": link, "documentType": "test-report"}])
        elif key == "labels":
            for index, item in enumerate(conv.listed(at, value)):
                _label(conv, doc, at + pointer(index), item)
        else:
            conv.unmapped(at, value)


# Our label-subject codes -> the root property that holds such a label.
_LABEL_PROPERTIES: Mapping[str, str] = {
    "separate-collection": "separateCollectionSymbol",
    "carbon-footprint": "carbonFootprintLabel",
    "cadmium": "cadmiumAndLeadSymbols",
    "lead": "cadmiumAndLeadSymbols",
}


def _label(conv: Converter, doc: PassportDocument, at: str, item: Mapping[str, Any]) -> None:
    # "HazardousMaterial" names both the cadmium and the lead symbol: reported as ambiguous, not guessed.
    code = conv.code(at + "/labelingSubject", item.get("labelingSubject"), "label-subject", "label subject")
    if code is None:
        return
    if code not in _LABEL_PROPERTIES:
        conv.unmapped(at, dict(item), f"our model holds no {code} label")
        return
    key = _LABEL_PROPERTIES[code]
    node: dict[str, Any] = {"labelingSubject": code}
    for part, value in item.items():
        here = at + pointer(part)
        if part == "labelingSymbol":
            node[part] = conv.iri(here, value)
        elif part == "labelingMeaning":
            node[part] = _language_map(conv, here, value)
        elif part != "labelingSubject":
            conv.unmapped(here, value)
    if key == "cadmiumAndLeadSymbols":
        doc.extend(key, [compact(node)])
    elif key in doc:
        conv.issue(at, dict(item), f"a second {code} label; the passport holds one")
    else:
        doc.set(conv, at, key, compact(node))


def _language_map(conv: Converter, at: str, value: Any) -> dict[str, str] | None:
    if isinstance(value, Mapping) and all(isinstance(text, str) for text in value.values()):
        return {str(language): text for language, text in value.items()}
    conv.issue(at, value, "not a map from language tags to texts")
    return None


def supply_chain_due_diligence(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a SupplyChainDueDiligence payload."""
    for key, value in payload.items():
        at = pointer(key)
        if key == "supplyChainDueDiligenceReport":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key in ("supplyChainIndicies", "supplyChainIndices"):
            doc.set(conv, at, "supplyChainIndices", conv.decimal(at, value))
        elif key in ("thirdPartyAussurances", "thirdPartyAssurances"):
            links = (
                [conv.iri(at, value)]
                if not isinstance(value, list)
                else [conv.iri(at + pointer(index), link) for index, link in enumerate(value)]
            )
            doc.extend("thirdPartyAssurances", [link for link in links if link is not None])
        else:
            conv.unmapped(at, value)
