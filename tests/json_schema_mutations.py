"""Mutate the valid examples key by key and compare the JSON Schema's verdict with pySHACL's (slow, by hand).

    PYTHONPATH=src python tests/json_schema_mutations.py [how many examples]

Each mutation deletes a key, or puts a string, a negative number (as a JSON number and as a decimal string)
or a two-element array in its place, at the root and one level down. The script prints every disagreement
and a summary. "Lenient" means the schema accepts what the shapes reject, and must stay at zero apart from
the documented gaps. "Strict" means the schema refuses what JSON-LD processing would still turn into
conforming RDF (docs/jsonschema.md lists why).
It is not part of the suite: pySHACL takes about 0.1 s per document.
"""

from __future__ import annotations

import copy
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator

from passport_graphs import example, example_names
from passport_registry.json_schema import DEFAULT_OUTPUT
from shapes_oracle import results

Edit = Callable[[dict[str, Any]], None]
REPLACEMENTS: dict[str, Any] = {"str": "zz", "num": -5, "decimal": "-5"}


def mutations(document: dict[str, Any]) -> Iterator[tuple[str, Edit]]:
    """Named edits of `document`: delete or replace each key of the root and of its first nested objects."""
    for key, value in document.items():
        if key.startswith("@"):
            continue
        yield f"del {key}", lambda d, k=key: d.pop(k)
        for label, new in REPLACEMENTS.items():
            yield f"{key}={label}", lambda d, k=key, v=new: d.__setitem__(k, v)
        if not isinstance(value, list):
            yield f"{key}=two values", lambda d, k=key, v=value: d.__setitem__(k, [v, "zz"])
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, dict):
            for sub in inner:
                if sub.startswith("@"):
                    continue

                def nested(d: dict[str, Any], k: str = key) -> dict[str, Any]:
                    found: dict[str, Any] = d[k][0] if isinstance(d[k], list) else d[k]
                    return found

                yield f"{key}.{sub} del", lambda d, s=sub, n=nested: n(d).pop(s)
                for label, new in REPLACEMENTS.items():
                    yield f"{key}.{sub}={label}", lambda d, s=sub, v=new, n=nested: n(d).__setitem__(s, v)


def shapes_conform(document: dict[str, Any]) -> bool:
    try:
        _data, found = results(document)
    except TypeError:  # pySHACL cannot order an ill-formed date against a well-formed one: a violation
        return False
    return not found


def main(limit: int) -> int:
    schema = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    tally: Counter[str] = Counter()
    for name in example_names()[:limit]:
        base = example(name)
        for label, edit in mutations(base):
            document = copy.deepcopy(base)
            edit(document)
            shacl, json_schema = shapes_conform(document), validator.is_valid(document)
            verdict = "agree" if shacl == json_schema else "lenient" if json_schema else "strict"
            tally[verdict] += 1
            if verdict != "agree":
                print(f"{verdict:8} {name} {label}", flush=True)
    print(dict(sorted(tally.items())))
    return 1 if tally["lenient"] else 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 99))
