"""`POST /validate`: validate any payload against the shapes without storing it."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response

from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.negotiation import negotiate
from passport_registry.api.passports import RDF_BODY, Body, ContentType, Passports
from passport_registry.rdf.formats import JSON, TURTLE

router = APIRouter(tags=["validation"], dependencies=CREDENTIALS_CHECKED)

_REPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The validation report (whether or not the payload conforms).",
        "content": {
            JSON: {
                "example": {
                    "conforms": False,
                    "violations": [
                        {
                            "focusNode": "_:b0",
                            "path": "https://w3id.org/passport-registry/battery#batteryCategory",
                            "message": "exactly one battery category",
                            "severity": "Violation",
                            "sourceShape": "https://w3id.org/passport-registry/battery/shapes#BatteryPassportShape",
                            "constraintComponent": "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
                            "value": None,
                            "focusPath": [],
                        }
                    ],
                }
            },
            TURTLE: {"schema": {"type": "string"}},
        },
    },
    400: {"description": "The payload cannot be parsed (RFC 9457 problem details)."},
    406: {"description": "Neither JSON nor Turtle is acceptable (RFC 9457 problem details)."},
    413: {"description": "The payload is too large (RFC 9457 problem details)."},
    422: {
        "description": "The payload is no passport (not exactly one node typed BatteryPassport), puts data "
        "in the registry's graphs, or holds characters no output format can carry (RFC 9457 problem "
        "details): the rule POST /passports applies."
    },
    415: {"description": "Unsupported Content-Type (RFC 9457 problem details)."},
}


@router.post("/validate", responses=_REPORT, openapi_extra=RDF_BODY)
def validate_payload(
    passports: Passports,
    body: Body,
    media_type: ContentType,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Validate a payload (any accepted RDF format) against the shapes; nothing is stored.

    The payload must be one passport, as for `POST /passports`: a document with no node typed
    `BatteryPassport` (`{}`, `[]`, an empty graph), or several, is 422, never "conforms".

    Answers 200 with the report: JSON (`conforms` and every violation with focusNode, path, message,
    severity, sourceShape, constraintComponent, value, focusPath) or, for `Accept: text/turtle`, the
    W3C SHACL validation report graph.
    """
    choice = negotiate(accept, [JSON, TURTLE])
    report = passports.check(body, media_type)
    if choice.media_type == TURTLE:
        return Response(
            report.to_turtle(), media_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"}
        )
    return Response(json.dumps(report.to_json()), media_type=JSON, headers={"Vary": "Accept"})
