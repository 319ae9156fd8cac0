"""OpenAPI schemas of the EN 18222 paths (`api/dpp.py`): the DPP document, its patch, the data elements,
the id search, and the `Result` error body. Written from the public descriptions (docs/dpp.md), not copied.

They go into `components.schemas` under these names (`install`), so the DPP operations share them.
"""

from __future__ import annotations

from typing import Any

from passport_registry.api.examples import demo_passport
from passport_registry.services.dpp_documents import GRANULARITIES, SECTION_BASE, SECTIONS, DppDocuments
from passport_registry.vocabulary import Vocabulary

REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


_TEXT = {"type": "string", "minLength": 1}
_XSD_TYPES = [
    "xsd:" + t
    for t in [
        "string",
        "boolean",
        "decimal",
        "float",
        "double",
        "duration",
        "dateTime",
        "time",
        "date",
        "gYearMonth",
        "gYear",
        "gMonthDay",
        "gDay",
        "gMonth",
        "hexBinary",
        "base64Binary",
        "anyURI",
        "QName",
        "NOTATION",
        "normalizedString",
        "token",
        "language",
        "NMTOKEN",
        "NMTOKENS",
        "Name",
        "NCName",
        "ID",
        "IDREF",
        "IDREFS",
        "ENTITY",
        "ENTITIES",
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
]
_ELEMENT_BASE = {
    "elementId": {**_TEXT, "description": "The element's name: a header field, section id or attribute key."},
    "dictionaryReference": {"type": "string", "description": "The ontology term the element stands for."},
}


def _element(kind: str, required: list[str], **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["elementId", "objectType", *required],
        "properties": {
            **_ELEMENT_BASE,
            "objectType": {"type": "string", "enum": [kind]},
            **properties,
        },
        "additionalProperties": False,
    }


_SECTION = {
    "type": "object",
    "additionalProperties": True,
    "description": "A content section: top-level passport attributes of one DIN DKE SPEC 99100 cluster, "
    "keyed as in our JSON-LD (context `/contexts/battery.jsonld`).",
}
_HEADER_PROPERTIES: dict[str, Any] = {
    "digitalProductPassportId": {
        **_TEXT,
        "description": "The passport identifier (batteryPassportIdentifier).",
    },
    "uniqueProductIdentifier": {**_TEXT, "description": "The battery identifier (productIdentifier)."},
    "granularity": ref("Granularity"),
    "dppSchemaVersion": {
        **_TEXT,
        "description": "Version of our vocabulary the passport follows (schemaVersion).",
    },
    "dppStatus": {"type": "string", "enum": ["Active"], "description": "Active while the passport is live."},
    "lastUpdate": {
        "type": "string",
        "format": "date-time",
        "description": "lastModification; without it, when the registry stored this version.",
    },
    "economicOperatorId": {**_TEXT, "description": "operatorInformation.identifier."},
    "facilityId": {**_TEXT, "description": "manufacturingPlace.identifier."},
    "contentSpecificationIds": {
        "type": "array",
        "items": {"type": "string", "enum": list(SECTIONS)},
        "description": "The content sections the document carries; each is also a member of it.",
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Representation": {"type": "string", "enum": ["compressed", "full"], "default": "compressed"},
    "Granularity": {"type": "string", "enum": list(GRANULARITIES)},
    "DigitalProductPassport": {
        "type": "object",
        "description": "A DPP document: the EN 18223 header, then one member per content section (named "
        f"by its id under {SECTION_BASE}); with representation=full, `elements` instead of sections.",
        "required": [
            "digitalProductPassportId",
            "uniqueProductIdentifier",
            "granularity",
            "dppSchemaVersion",
            "dppStatus",
            "lastUpdate",
            "economicOperatorId",
        ],
        "properties": {
            **_HEADER_PROPERTIES,
            **{section: _SECTION for section in SECTIONS},
            "elements": {"type": "array", "items": ref("DataElement"), "readOnly": True},
        },
        "additionalProperties": True,
    },
    "DigitalProductPassportPatch": {
        "type": "object",
        "description": "A JSON merge patch (RFC 7396) of a compressed DPP document; null removes a member.",
        "properties": {
            name: {"anyOf": [schema, {"type": "null"}]} for name, schema in _HEADER_PROPERTIES.items()
        },
        "additionalProperties": True,
    },
    "CompressedDataElementValue": {
        "description": "An element's value as the compressed document holds it: any JSON value.",
        "anyOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "object"},
            {"type": "array"},
            {"type": "null"},
        ],
    },
    "DataElement": {
        "oneOf": [
            ref("SingleValuedDataElement"),
            ref("MultiValuedDataElement"),
            ref("MultiLanguageDataElement"),
            ref("DataElementCollection"),
        ],
        "discriminator": {"propertyName": "objectType"},
    },
    "SingleValuedDataElement": _element(
        "SingleValuedDataElement",
        ["valueDataType", "value"],
        valueDataType=ref("XsdValueDataType"),
        value={"description": "The value in the lexical form of valueDataType."},
    ),
    "MultiValuedDataElement": _element(
        "MultiValuedDataElement",
        ["elements"],
        valueDataType=ref("XsdValueDataType"),
        elements={"type": "array", "items": ref("DataElement")},
    ),
    "MultiLanguageDataElement": _element(
        "MultiLanguageDataElement",
        ["value"],
        value={
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["language", "value"],
                "properties": {"language": {"type": "string"}, "value": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    ),
    "DataElementCollection": _element(
        "DataElementCollection", ["elements"], elements={"type": "array", "items": ref("DataElement")}
    ),
    "XsdValueDataType": {"type": "string", "enum": _XSD_TYPES},
    "ReadDPPIdsByProductIdsRequest": {
        "type": "object",
        "required": ["productIds"],
        "properties": {
            "productIds": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": {"type": "string", "minLength": 1, "maxLength": 2000},
            }
        },
        "additionalProperties": False,
    },
    "DPPIdSearchResult": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": _TEXT},
            "cursor": {"type": "string", "description": "Send it back, with the same body, for more."},
        },
        "additionalProperties": False,
    },
    "CreateDPPResponse": {
        "type": "object",
        "required": ["digitalProductPassportId"],
        "properties": {"digitalProductPassportId": _TEXT},
        "additionalProperties": False,
    },
    "Result": {
        "type": "object",
        "description": "EN 18222 error body: one or more messages.",
        "required": ["messages"],
        "properties": {"messages": {"type": "array", "minItems": 1, "items": ref("Message")}},
        "additionalProperties": False,
    },
    "Message": {
        "type": "object",
        "required": ["messageType", "text", "code", "correlationId", "timestamp"],
        "properties": {
            "messageType": {"type": "string", "enum": ["Undefined", "Info", "Warning", "Error", "Exception"]},
            "text": _TEXT,
            "code": {
                **_TEXT,
                "description": "Our problem type slug (docs/messages.md), e.g. shape-violation.",
            },
            "correlationId": _TEXT,
            "timestamp": {"type": "string", "format": "date-time"},
        },
        "additionalProperties": False,
    },
}


def create_example() -> dict[str, Any]:
    """The demo passport (`api/examples.py`) as a compressed DPP document: `POST /dpps` as the
    development-mode demo operator answers 201 with it."""
    vocabulary = Vocabulary.bundled()
    documents = DppDocuments(vocabulary.catalogue, vocabulary.context_index, "")
    passport = demo_passport("example-passport.json")
    return documents.to_dpp(passport, fallback_id="", issued=passport.get("lastModification", ""))


def install(document: dict[str, Any]) -> None:
    """Add `SCHEMAS` to an OpenAPI document's components, an example to `POST /dpps`, and take
    FastAPI's generic 422 off the DPP operations: their request errors are 400 `Result`s
    (`api/dpp_results.py`)."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    create = document.get("paths", {}).get("/dpps", {}).get("post")
    if create is not None:
        create["requestBody"]["content"]["application/json"]["example"] = create_example()
    for path, item in document.get("paths", {}).items():
        if path == "/dpps" or path.startswith(("/dpps/", "/dppsBy", "/aas/")):  # and the AAS paths
            for operation in item.values():
                if isinstance(operation, dict):
                    operation.get("responses", {}).pop("422", None)
