"""Battery Pass aspects about the product: GeneralProductInformation, Labels, SupplyChainDueDiligence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.batterypass.nodes import address, organisation
from passport_registry.importers.conversions import code, document, node, one_or_each, wrap
from passport_registry.importers.tables import Add, Custom, Section, Sink, Skip, To, alike, every_object
from passport_registry.importers.values import Converter

__all__ = ["GENERAL_PRODUCT_INFORMATION", "LABELS", "SUPPLY_CHAIN_DUE_DILIGENCE"]


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


GENERAL_PRODUCT_INFORMATION = Section(
    {
        "batteryPassportIdentifier": To("batteryPassportIdentifier", Converter.iri),
        "productIdentifier": To("productIdentifier", Converter.text),
        **alike(organisation, "operatorInformation", "manufacturerInformation"),
        "manufacturingPlace": To("manufacturingPlace", wrap("postalAddress", address)),
        **alike(Converter.date, "manufacturingDate", "puttingIntoService"),
        "warrentyPeriod": To("warrantyPeriod", _warranty_months),
        "warrantyPeriod": To("warrantyPeriod", _warranty_months),
        "batteryCategory": To("batteryCategory", code("category", "battery category")),
        "batteryMass": To("batteryMass", Converter.decimal),
        "batteryStatus": To("batteryStatus", code("status", "battery status")),
    }
)


# Our label-subject codes -> the root property that holds such a label.
_LABEL_PROPERTIES: Mapping[str, str] = {
    "separate-collection": "separateCollectionSymbol",
    "carbon-footprint": "carbonFootprintLabel",
    "cadmium": "cadmiumAndLeadSymbols",
    "lead": "cadmiumAndLeadSymbols",
}


def _language_map(conv: Converter, at: str, value: Any) -> dict[str, str] | None:
    if isinstance(value, Mapping) and all(isinstance(text, str) for text in value.values()):
        return {str(language): text for language, text in value.items()}
    conv.issue(at, value, "not a map from language tags to texts")
    return None


_LABEL = Section(
    {
        "labelingSubject": Skip(),
        "labelingSymbol": To("labelingSymbol", Converter.iri),
        "labelingMeaning": To("labelingMeaning", _language_map),
    }
)


def _label(conv: Converter, doc: Sink, at: str, item: Mapping[str, Any]) -> None:
    # "HazardousMaterial" names both the cadmium and the lead symbol: reported as ambiguous, not guessed.
    subject = conv.code(
        at + "/labelingSubject", item.get("labelingSubject"), "label-subject", "label subject"
    )
    if subject is None:
        return
    if subject not in _LABEL_PROPERTIES:
        conv.unmapped(at, dict(item), f"our model holds no {subject} label")
        return
    key = _LABEL_PROPERTIES[subject]
    label = {"labelingSubject": subject, **node(_LABEL)(conv, at, item)}
    if key == "cadmiumAndLeadSymbols":
        doc.extend(key, [label])
    elif key in doc:
        conv.issue(at, dict(item), f"a second {subject} label; the passport holds one")
    else:
        doc.set(conv, at, key, label)


LABELS = Section(
    {
        "declarationOfConformity": To("declarationOfConformity", Converter.iri),
        "resultOfTestReport": Add("resultOfTestReport", document("test-report")),
        "labels": Custom(every_object(_label)),
    }
)

SUPPLY_CHAIN_DUE_DILIGENCE = Section(
    {
        "supplyChainDueDiligenceReport": To("supplyChainDueDiligenceReport", Converter.iri),
        "supplyChainIndicies": To("supplyChainIndices", Converter.decimal),
        "supplyChainIndices": To("supplyChainIndices", Converter.decimal),
        "thirdPartyAussurances": Add("thirdPartyAssurances", one_or_each(Converter.iri)),
        "thirdPartyAssurances": Add("thirdPartyAssurances", one_or_each(Converter.iri)),
    }
)
