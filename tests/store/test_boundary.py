"""Only `passport_registry.store` opens a pyoxigraph Store (COMMON rules, STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import passport_registry

PACKAGE = Path(passport_registry.__file__).parent


def _uses_store(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        imported = (
            isinstance(node, ast.ImportFrom)
            and node.module == "pyoxigraph"
            and any(alias.name == "Store" for alias in node.names)
        )
        attribute = (
            isinstance(node, ast.Attribute)
            and node.attr == "Store"
            and isinstance(node.value, ast.Name)
            and node.value.id in {"pyoxigraph", "ox"}
        )
        if imported or attribute:
            return True
    return False


def test_no_module_outside_store_opens_a_pyoxigraph_store() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "store" not in path.relative_to(PACKAGE).parts[:1]
        and _uses_store(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_check_sees_a_store_import() -> None:
    assert _uses_store(ast.parse("from pyoxigraph import NamedNode, Store"))
    assert _uses_store(ast.parse("import pyoxigraph as ox\nox.Store()"))
    assert not _uses_store(ast.parse("from pyoxigraph import parse, serialize"))
