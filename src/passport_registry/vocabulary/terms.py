"""The IRIs the code names: the project's namespaces and the few ontology terms Python needs behaviour for.

Everything else the code asks about a term (its label, unit, access group, datatype, JSON key, code list)
comes from the ontology, the vocabularies and the JSON-LD context through `Vocabulary`, never from a
constant here: adding an attribute is an edit to those files alone (docs/vocabulary.md). Constants are
named `PREFIX_localName` and hold `pyoxigraph.NamedNode`s; `.value` is the IRI string.

>>> BPR_BatteryPassport.value
'https://w3id.org/passport-registry/battery#BatteryPassport'
"""

from __future__ import annotations

from pyoxigraph import NamedNode

#: The stable, deployment-independent URL of the JSON-LD context (its persistent identifier, under the same
#: w3id.org namespace as the vocabulary; docs/identifiers.md has the redirect rules). Files the project ships
#: (examples, importer output) name it; every registry reads it as the bundled file and never fetches it.
CONTEXT_URL = "https://w3id.org/passport-registry/battery/context.jsonld"

#: Where every registry serves the context; documents it serves name `{base_url}` + this path by default,
#: so a client can dereference the context with nothing but the registry's response.
CONTEXT_PATH = "/contexts/battery-passport.jsonld"

#: IRI of the ontology document (the ``owl:Ontology`` node of ``ontology.ttl``).
ONTOLOGY_IRI = "https://w3id.org/passport-registry/battery"

#: Namespace of classes, properties and access groups.
BPR = "https://w3id.org/passport-registry/battery#"
#: Namespace of the SKOS concept schemes and concepts.
BPRV = "https://w3id.org/passport-registry/battery/vocab/"
#: Namespace of the SHACL shapes.
BPRS = "https://w3id.org/passport-registry/battery/shapes#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_type = NamedNode(RDF + "type")
RDFS_label = NamedNode(RDFS + "label")
RDFS_comment = NamedNode(RDFS + "comment")
RDFS_range = NamedNode(RDFS + "range")
SKOS_ConceptScheme = NamedNode(SKOS + "ConceptScheme")
SKOS_prefLabel = NamedNode(SKOS + "prefLabel")
SKOS_hiddenLabel = NamedNode(SKOS + "hiddenLabel")
SKOS_altLabel = NamedNode(SKOS + "altLabel")
SKOS_notation = NamedNode(SKOS + "notation")
SKOS_inScheme = NamedNode(SKOS + "inScheme")

# -- the ontology's annotation properties: what the registry reads about every attribute --------------------
BPR_accessGroup = NamedNode(BPR + "accessGroup")
BPR_annexXIII = NamedNode(BPR + "annexXIII")
BPR_annexXIIIPoint = NamedNode(BPR + "annexXIIIPoint")
BPR_conceptScheme = NamedNode(BPR + "conceptScheme")
BPR_dinAttribute = NamedNode(BPR + "dinAttribute")
BPR_dinClause = NamedNode(BPR + "dinClause")
BPR_ucumCode = NamedNode(BPR + "ucumCode")

# -- terms with behaviour: the passport root and what the store indexes or the lifecycle rules read ---------
BPR_BatteryPassport = NamedNode(BPR + "BatteryPassport")
BPR_batteryCategory = NamedNode(BPR + "batteryCategory")
BPR_batteryPassportIdentifier = NamedNode(BPR + "batteryPassportIdentifier")
BPR_batteryStatus = NamedNode(BPR + "batteryStatus")
BPR_identifier = NamedNode(BPR + "identifier")
BPR_operatorInformation = NamedNode(BPR + "operatorInformation")
BPR_predecessor = NamedNode(BPR + "predecessor")
BPR_productIdentifier = NamedNode(BPR + "productIdentifier")  # the battery identifier (DIN 6.1.2.2)

# -- the four Annex XIII access groups (`access.AccessGroup` gives them behaviour) --------------------------
BPR_PublicAccess = NamedNode(BPR + "PublicAccess")
BPR_LegitimateInterestAndCommissionAccess = NamedNode(BPR + "LegitimateInterestAndCommissionAccess")
BPR_AuthoritiesAccess = NamedNode(BPR + "AuthoritiesAccess")
BPR_LegitimateInterestAccess = NamedNode(BPR + "LegitimateInterestAccess")
