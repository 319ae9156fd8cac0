"""Which data model a source document is written in, so an importer refuses what it does not read.

An importer given a document of another model (or another version of its own) would carry nothing and
report everything as unmapped, or carry a part and say nothing; the partner would take a near-empty
passport for a conversion. So each importer first calls `recognise`: the tables below name, for each model
and version we know, keys that only it has, and a document with such keys is named for what it is. A row
is (what the document is, the dotted paths of keys that show it; `[]` at the end: the value is a list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from passport_registry.errors import UnprocessableInput

__all__ = ["BATTERY_PASS", "CATENA_X", "OTHER_MODELS", "Model", "recognise"]

Model = tuple[str, tuple[str, ...]]

#: A model's own keys are listed in a message when it has at most this many.
_LISTED = 12

#: Models and versions the other importers read: a refusal says which `convert --from` reads them.
_READ_WITH = {
    "an Asset Administration Shell environment": "aas",
    "an Asset Administration Shell submodel": "aas",
    "a Catena-X BatteryPass 6.x document": "catenax",
    "a Battery Pass v1.2 aspect payload": "batterypass",
}

#: Models and versions the importer at hand does not read (see `_READ_WITH` for those another one does).
OTHER_MODELS: tuple[Model, ...] = (
    ("an Asset Administration Shell environment", ("assetAdministrationShells", "submodels")),
    ("an Asset Administration Shell submodel", ("submodelElements",)),
    (
        "a Catena-X BatteryPass 3.x document",
        ("batteryIdentification", "electrochemicalProperties", "cellChemistry", "stateOfBattery"),
    ),
    ("a Catena-X BatteryPass 4.0.0 document", ("generalInformation", "chemicalMaterial")),
    (
        "a Catena-X BatteryPass 5.0.0 document",
        ("handling.spareParts", "conformity.declarationOfConformityId[]"),
    ),
)
#: The models the importers read, as other importers recognise them.
CATENA_X: Model = (
    "a Catena-X BatteryPass 6.x document",
    ("specVersion", "metadata", "identification", "operation"),
)
BATTERY_PASS: Model = (
    "a Battery Pass v1.2 aspect payload",
    (
        "batteryPassportIdentifier",
        "batteryCarbonFootprint",
        "labels",
        "batteryMaterials",
        "batteryTechicalProperties",
    ),
)


def recognise(
    document: Any, *, model: str, supported: str, keys: Iterable[str], others: Iterable[Model] = ()
) -> Mapping[str, Any]:
    """`document`, if it is an object of `model` (it has one of its top-level `keys`); else raise
    UnprocessableInput naming what it is (`OTHER_MODELS`, `others`) and what is `supported`."""
    if not isinstance(document, Mapping):
        raise UnprocessableInput(f"This is not {model}: a JSON object is expected. Supported: {supported}.")
    for what, markers in (*OTHER_MODELS, *others):
        found = [m.removesuffix("[]") for m in markers if _has(document, m)]
        if found:
            hint = f"; convert it with --from {_READ_WITH[what]}" if what in _READ_WITH else ""
            raise UnprocessableInput(
                f"This is {what} (it has {', '.join(found)}), not {model}{hint}. Supported: {supported}."
            )
    own = sorted(set(keys))
    if not set(own) & document.keys():
        given = "no keys" if not document else "only " + ", ".join(sorted(document)[:5])
        expected = ", ".join(own) if len(own) <= _LISTED else "its keys"
        raise UnprocessableInput(
            f"This is not {model}: it has {given}, none of {expected}. Supported: {supported}."
        )
    return document


def _has(document: Mapping[str, Any], dotted: str) -> bool:
    node: Any = document
    for key in dotted.removesuffix("[]").split("."):
        if not isinstance(node, Mapping) or key not in node:
            return False
        node = node[key]
    return isinstance(node, list) if dotted.endswith("[]") else True
