"""SPARQL 1.1 query results documents (JSON, XML, CSV, TSV) written from solutions, with a row limit.

The registry writes SELECT results itself rather than through pyoxigraph's serialiser so it can stop
after `max_rows` solutions: a result over the limit raises `ResultTooLarge` before anything is sent,
never a truncated document. XML documents are always well-formed: a carriage return is written as
`&#xD;` (a raw one would reach the reader as a line feed), and a value holding a character XML 1.0
cannot carry at all (such as U+0001) makes the XML format refuse the result with NotAcceptable (406),
naming the formats that can carry it, rather than answer with a document no XML parser accepts.
Formats follow the W3C recommendations "SPARQL 1.1 Query Results JSON Format", "SPARQL Query Results
XML Format" and "SPARQL 1.1 Query Results CSV and TSV Formats".
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, Triple

from passport_registry.errors import NotAcceptable, ResultTooLarge

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

#: Results media types in the server's order of preference, with the charset sent in Content-Type.
RESULT_MEDIA_TYPES = MappingProxyType(
    {
        RESULTS_JSON: RESULTS_JSON,
        RESULTS_XML: RESULTS_XML,
        CSV: CSV + "; charset=utf-8",
        TSV: TSV + "; charset=utf-8",
    }
)

#: The W3C format IRIs (https://www.w3.org/ns/formats/) of each results media type.
FORMAT_IRIS = MappingProxyType(
    {
        RESULTS_JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        RESULTS_XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    }
)

_PYOXIGRAPH_FORMATS = MappingProxyType(
    {
        RESULTS_JSON: QueryResultsFormat.JSON,
        RESULTS_XML: QueryResultsFormat.XML,
        CSV: QueryResultsFormat.CSV,
        TSV: QueryResultsFormat.TSV,
    }
)

Term = NamedNode | BlankNode | Literal | Triple
Row = Sequence[Term | None]

#: Characters outside XML 1.0's `Char` production (https://www.w3.org/TR/xml/#charsets).
NOT_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """`value` as XML character data: escaped, CR as `&#xD;`. Raises NotAcceptable when `value` holds a
    character XML 1.0 cannot carry.

    >>> xml_text("a < b\r\n")
    'a &lt; b&#xD;\n'
    """
    found = NOT_XML_CHARS.search(value)
    if found is not None:
        raise NotAcceptable(
            f"The result holds the character U+{ord(found.group()):04X}, which XML 1.0 cannot carry; "
            "ask for it as SPARQL JSON, CSV or TSV results (or N-Triples, Turtle or JSON-LD for RDF).",
            offered=[RESULTS_JSON, CSV, TSV],
        )
    return escape(value, {"\r": "&#xD;"})


def boolean_document(value: bool, media_type: str) -> bytes:
    """An ASK result in `media_type` (CSV and TSV: the word `true` or `false`, as Oxigraph writes it)."""
    if media_type == RESULTS_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == RESULTS_XML:
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>"
        ).encode()
    _check(media_type)
    return b"true" if value else b"false"


def solutions_document(
    variables: Sequence[str], rows: Iterable[Row], media_type: str, max_rows: int
) -> bytes:
    """A SELECT result in `media_type`; raises `ResultTooLarge` as soon as row `max_rows + 1` arrives."""
    _check(media_type)
    out = io.StringIO()
    writer = _WRITERS[media_type]
    writer.start(out, variables)
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise ResultTooLarge(
                f"The result has more than {max_rows} solutions; add LIMIT or narrow the query.",
                max_results=max_rows,
            )
        writer.row(out, variables, row, count == 1)
    writer.end(out)
    return out.getvalue().encode("utf-8")


def _check(media_type: str) -> None:
    if media_type not in _PYOXIGRAPH_FORMATS:
        raise ValueError(f"not a SPARQL results media type: {media_type}")


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{xml_text(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{xml_text(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{xml_text(term.value)}</literal>"
        return f"<literal>{xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        text = "_:" + term.value
    elif isinstance(term, NamedNode | Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in '",\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term: Term | None) -> str:
    if term is None:
        return ""
    # pyoxigraph's str() is the N-Triples form the TSV format asks for; tabs must not stay raw.
    return str(term).replace("\t", "\\t")


class _Json:
    @staticmethod
    def start(out: io.StringIO, variables: Sequence[str]) -> None:
        out.write('{"head":{"vars":' + json.dumps(list(variables)) + '},"results":{"bindings":[')

    @staticmethod
    def row(out: io.StringIO, variables: Sequence[str], row: Row, first: bool) -> None:
        binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        out.write(("" if first else ",") + json.dumps(binding, ensure_ascii=False))

    @staticmethod
    def end(out: io.StringIO) -> None:
        out.write("]}}")


class _Xml:
    @staticmethod
    def start(out: io.StringIO, variables: Sequence[str]) -> None:
        out.write('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
        out.write("".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.write("</head><results>")

    @staticmethod
    def row(out: io.StringIO, variables: Sequence[str], row: Row, first: bool) -> None:
        out.write("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.write(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.write("</result>")

    @staticmethod
    def end(out: io.StringIO) -> None:
        out.write("</results></sparql>")


class _Csv:
    @staticmethod
    def start(out: io.StringIO, variables: Sequence[str]) -> None:
        out.write(",".join(variables) + "\r\n")

    @staticmethod
    def row(out: io.StringIO, variables: Sequence[str], row: Row, first: bool) -> None:
        out.write(",".join(_csv_field(t) for t in row) + "\r\n")

    @staticmethod
    def end(out: io.StringIO) -> None:
        pass


class _Tsv:
    @staticmethod
    def start(out: io.StringIO, variables: Sequence[str]) -> None:
        out.write("\t".join("?" + v for v in variables) + "\n")

    @staticmethod
    def row(out: io.StringIO, variables: Sequence[str], row: Row, first: bool) -> None:
        out.write("\t".join(_tsv_field(t) for t in row) + "\n")

    @staticmethod
    def end(out: io.StringIO) -> None:
        pass


_WRITERS: MappingProxyType[str, type[_Json] | type[_Xml] | type[_Csv] | type[_Tsv]] = MappingProxyType(
    {RESULTS_JSON: _Json, RESULTS_XML: _Xml, CSV: _Csv, TSV: _Tsv}
)
