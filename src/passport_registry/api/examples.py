"""Request examples of the OpenAPI document: the project's own example passports, not stubs.

The passports come from `examples/passports/` (packaged as `data/example-*.json`), issued in the name of
the development-mode demo operator (`DEMO_ORGANISATION`) and for a battery of their own, so "Try it
out" as that operator answers 201 even beside the loaded examples. Each body is given as JSON-LD, as
plain JSON (the registry's context implied) and as Turtle.
"""

from __future__ import annotations

import json
import uuid
from importlib.resources import files
from typing import Any

from passport_registry import rdf
from passport_registry.rdf.formats import JSON, JSON_LD, TURTLE
from passport_registry.resources import BPR, BPRV
from passport_registry.services.users import DEMO_ORGANISATION

MERGE_PATCH = "application/merge-patch+json"
#: Which operations take which example passport.
_BODIES = {
    ("/passports", "post"): "example-passport.json",
    ("/passports/{passport_id}", "put"): "example-passport.json",
    ("/validate", "post"): "example-passport.json",
    ("/passports/{passport_id}/successors", "post"): "example-successor.json",
}
PATCH_EXAMPLE = {"operatorInformation": {"contactName": "Battery passport desk"}}


def demo_passport(name: str) -> dict[str, Any]:
    """Example passport `name` (a file in the package's `data/`), for the demo operator and a battery of
    its own: new `batteryPassportIdentifier` and `productIdentifier`, no `predecessor` (a successor
    endpoint adds the one it is called on)."""
    document: dict[str, Any] = json.loads(files("passport_registry").joinpath("data", name).read_bytes())
    document["operatorInformation"]["identifier"] = DEMO_ORGANISATION
    demo_id = uuid.uuid5(uuid.NAMESPACE_URL, document["batteryPassportIdentifier"] + "#demo")
    document["batteryPassportIdentifier"] = f"urn:uuid:{demo_id}"
    document["productIdentifier"] += "-DEMO"
    document.pop("predecessor", None)
    return document


def _turtle(document: dict[str, Any]) -> str:
    quads = rdf.parse(json.dumps(document).encode("utf-8"), JSON_LD, "http://registry.example/")
    prefixes = {"bpr": BPR, "bprv": BPRV, "xsd": "http://www.w3.org/2001/XMLSchema#"}
    return rdf.serialize(quads, TURTLE, prefixes).decode("utf-8")


def request_examples(document: dict[str, Any]) -> None:
    """Put the example bodies into the request bodies of `document`'s passport operations."""
    for (path, method), name in _BODIES.items():
        operation = document["paths"].get(path, {}).get(method)
        if operation is None:
            continue
        body = demo_passport(name)
        plain = {k: v for k, v in body.items() if k != "@context"}
        content = operation["requestBody"]["content"]
        for media_type, example in ((JSON_LD, body), (JSON, plain), (TURTLE, _turtle(body))):
            if media_type in content:
                content[media_type]["example"] = example
    read = document["paths"].get("/passports/{passport_id}", {}).get("get")
    if read is not None:
        served = {
            **demo_passport(_BODIES[("/passports", "post")]),
            "@id": "http://127.0.0.1:8000/passports/q3J9mZ0vX1aB2cD4",
        }
        read["responses"]["200"]["content"][JSON_LD]["example"] = served
    patch = document["paths"].get("/passports/{passport_id}", {}).get("patch")
    if patch is not None:
        patch["requestBody"]["content"][MERGE_PATCH]["example"] = PATCH_EXAMPLE
