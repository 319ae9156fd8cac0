"""Golden outputs of the importers: every fixture converted, and each of its values swapped for a bad one.

The goldens pin what the importers produce (passport and issue report) so that a change in how they are
written cannot change what they do. `cases()` lists the whole fixtures, `mutations()` every fixture with
one value replaced by a value of the wrong kind (the invalid and unmapped paths of every mapping row).
Written from main before a refactoring with `python tests/importer_goldens.py`; read by
tests/test_importers_golden.py.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from passport_registry import resources
from passport_registry.errors import UnprocessableInput
from passport_registry.importers import aas, batterypass, catenax
from passport_registry.importers.report import ImportResult
from passport_registry.jsonld import ContextIndex

FIXTURES = Path(__file__).parent / "fixtures"
GOLDENS = FIXTURES / "importer-goldens"
EXAMPLES = Path(__file__).parent.parent / "examples" / "passports"
BATTERYPASS = sorted((FIXTURES / "batterypass-datamodel" / "BatteryPass").rglob("gen/*.json"))
BATTERYPASS = [p for p in BATTERYPASS if not p.name.endswith("-schema.json")]
PLAUSIBLE = sorted((FIXTURES / "batterypass-plausible").glob("*.json"))
CATENAX = FIXTURES / "tractusx-semantic-models" / "io.catenax.battery.battery_pass" / "6.1.0" / "gen"
CATENAX_SUPPLEMENT = FIXTURES / "catenax-supplement.json"
AAS_TEMPLATES = sorted((FIXTURES / "idta-submodel-templates").rglob("*.json"))
AAS_PAYLOADS = sorted((FIXTURES / "idta-smt-semantic-models").rglob("gen/*.json"))

#: Values of the wrong kind swapped in for a JSON value, one at a time.
BAD_JSON: tuple[Any, ...] = (True, "x y", -1.5, 12, {"k": 1}, [1, "a"], None)
#: Texts swapped in for an AAS Property's value.
BAD_AAS: tuple[str, ...] = ("x y", "-1.5", "true", "P1Y2M")

Convert = Callable[[list[Any]], ImportResult]


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _batterypass(documents: list[Any]) -> ImportResult:
    return batterypass.convert(documents)


def _catenax(documents: list[Any]) -> ImportResult:
    return catenax.convert(documents[0])


def _catenax_supplemented(documents: list[Any]) -> ImportResult:
    return catenax.convert(documents[0], supplement=load(CATENAX_SUPPLEMENT))


def _aas(documents: list[Any]) -> ImportResult:
    return aas.convert(documents)


def cases() -> dict[str, tuple[Convert, list[Path]]]:
    """Each golden case: its name, the importer, and the fixture files it reads (one passport)."""
    found: dict[str, tuple[Convert, list[Path]]] = {}
    for path in BATTERYPASS:
        found[f"batterypass-upstream-{path.stem}"] = (_batterypass, [path])
    found["batterypass-upstream-all"] = (_batterypass, BATTERYPASS)
    for path in PLAUSIBLE:
        found[f"batterypass-plausible-{path.stem}"] = (_batterypass, [path])
    found["batterypass-plausible-all"] = (_batterypass, PLAUSIBLE)
    found["catenax-BatteryPass"] = (_catenax, [CATENAX / "BatteryPass.json"])
    found["catenax-BatteryPass-supplemented"] = (_catenax_supplemented, [CATENAX / "BatteryPass.json"])
    for path in AAS_TEMPLATES:
        found["aas-template-" + path.stem.split("_")[0].replace(" ", "-")] = (_aas, [path])
    found["aas-templates-all"] = (_aas, AAS_TEMPLATES)
    for path in AAS_PAYLOADS:
        found[f"aas-payload-{path.parent.parent.parent.name}-{path.stem}"] = (_aas, [path])
    return found


def outcome(convert: Convert, documents: list[Any]) -> dict[str, Any]:
    """What the importer makes of `documents`: the passport and issues, or the refusal, or the crash."""
    try:
        result = convert(documents)
    except UnprocessableInput as exc:
        return {"refused": exc.detail}
    except Exception as exc:  # a crash is an outcome too: it must not change unnoticed
        return {"crashed": type(exc).__name__}
    return {"passport": result.passport, "issues": [issue.as_dict() for issue in result.issues]}


def _json_pointers(value: Any, at: str = "") -> Iterator[str]:
    """The pointer of every value in `value` (containers after their members), the root left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_pointers(item, f"{at}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_pointers(item, f"{at}/{index}")
    if at:
        yield at


def _replace(document: Any, at: str, replacement: Any) -> Any:
    """`document` with the value at pointer `at` replaced: the containers on the way are copied, the rest
    is shared (the importers do not change their input)."""
    if not at:
        return replacement
    head, _, rest = at[1:].partition("/")
    copied = list(document) if isinstance(document, list) else dict(document)
    key: Any = int(head) if isinstance(document, list) else head
    copied[key] = _replace(document[key], "/" + rest if rest else "", replacement)
    return copied


def _aas_values(value: Any, at: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("modelType") == "Property" and isinstance(value.get("value"), str):
            yield at + "/value"
        for key, item in value.items():
            if key != "conceptDescriptions":
                yield from _aas_values(item, f"{at}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _aas_values(item, f"{at}/{index}")


def mutations(only: str | None = None) -> Iterator[tuple[str, Convert, list[list[Any]]]]:
    """(case and pointer, importer, the documents with each bad value at pointer) for each single-file
    case (or case `only`) and each value in it."""
    for name, (convert, paths) in cases().items():
        if only not in (None, name) or len(paths) != 1 or name.endswith(("-all", "-supplemented")):
            continue
        document = load(paths[0])
        if name.startswith("aas-template-"):
            for at in _aas_values(document):
                yield f"{name} {at}", convert, [[_replace(document, at, bad)] for bad in BAD_AAS]
            continue
        for at in _json_pointers(document):
            yield f"{name} {at}", convert, [[_replace(document, at, bad)] for bad in BAD_JSON]


def digest(found: Any) -> str:
    """A short hash of outcomes (JSON with sorted keys): equal outcomes, equal digests."""
    text = json.dumps(found, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def aas_environments() -> dict[str, Any]:
    """The AAS view (`importers.aas.environment`) of every example passport, as AAS JSON."""
    from aas_core3 import jsonization

    context = ContextIndex(resources.context_document())
    found = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        passport = load(path)
        product = passport.get("productIdentifier")
        ids = aas.ShellIds(
            "https://registry.example/passports/" + path.stem,
            product if isinstance(product, str) else path.stem,
            product if isinstance(product, str) else None,
        )
        found[path.stem] = jsonization.to_jsonable(aas.environment(passport, ids, context))
    return found


def write() -> None:
    GOLDENS.mkdir(exist_ok=True)
    for name, (convert, paths) in cases().items():
        found = outcome(convert, [load(p) for p in paths])
        text = json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True, default=repr)
        (GOLDENS / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    digests = {
        name: digest([outcome(convert, documents) for documents in variants])
        for name, convert, variants in mutations()
    }
    (GOLDENS / "mutations.json").write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n")
    environments = {name: digest(env) for name, env in aas_environments().items()}
    (GOLDENS / "aas-environments.json").write_text(json.dumps(environments, indent=0, sort_keys=True) + "\n")


if __name__ == "__main__":
    write()
    sys.exit(0)
