"""The registry's pages for people (front door, SPARQL, sign-in): one Jinja environment, templates
compiled once, every value escaped, no scripts or assets from elsewhere."""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2


def environment() -> jinja2.Environment:
    """The templates of the package's `templates/` folder, autoescaped, failing on undefined names."""
    templates = resources.files("passport_registry") / "templates"
    loader = jinja2.FunctionLoader(lambda name: (templates / name).read_text(encoding="utf-8"))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


class Pages:
    """Renders the named template; one instance per app (thread-safe: Jinja templates are)."""

    def __init__(self) -> None:
        self._environment = environment()

    def render(self, name: str, **values: Any) -> str:
        """The page `name` (a file of `templates/`) filled with `values`."""
        return self._environment.get_template(name).render(**values)
