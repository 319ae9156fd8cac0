"""The package finds its bundled vocabulary files, and they are links to the canonical top-level files."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from passport_registry import resources

ROOT = Path(__file__).parent.parent
DATA = ROOT / "src" / "passport_registry" / "data"


def test_package_loads_every_bundled_file() -> None:
    for turtle in (resources.ontology_bytes(), resources.vocabularies_bytes(), resources.shapes_bytes()):
        assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) > 100
    context = resources.context_document()
    assert context["@context"]["@version"] == 1.1
    assert json.loads(resources.context_bytes()) == context


def test_data_files_are_relative_links_to_the_canonical_files() -> None:
    canonical = {
        "ontology.ttl": ROOT / "ontology" / "battery-passport.ttl",
        "vocabularies.ttl": ROOT / "ontology" / "vocabularies.ttl",
        "shapes.ttl": ROOT / "shapes" / "battery-passport.ttl",
        "context.jsonld": ROOT / "ontology" / "context.jsonld",
    }
    for name, target in canonical.items():
        link = DATA / name
        assert link.is_symlink(), name
        assert not Path(link.readlink()).is_absolute(), name
        assert link.resolve() == target.resolve(), name


def test_ontology_document_declares_the_published_iri() -> None:
    quads = ox.parse(resources.ontology_bytes(), format=ox.RdfFormat.TURTLE)
    ontology_type = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
    subjects = {q.subject for q in quads if q.object == ontology_type}
    assert subjects == {ox.NamedNode(resources.ONTOLOGY_IRI)}
