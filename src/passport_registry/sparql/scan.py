"""A lexical look at a SPARQL request: its form, and whether it names SERVICE, FROM or an update.

The scan removes comments, string literals and IRIs first, so a keyword inside them never counts;
what is left is matched as whole words that are not part of a prefixed name or a variable. A false
positive only refuses a query, it can never widen what a query reads; pyoxigraph parses the query
for real afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from passport_registry.errors import BadRequest

_LEXICAL = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"(?:[^"\\\n\r]|\\.)*"'''
    r"""|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>"""
    r"""|\#[^\n\r]*""",
    re.DOTALL,
)
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def _word(*words: str) -> re.Pattern[str]:
    # Not preceded by a name character, ':' (prefixed name) or '?'/'$' (variable); not followed by ':'.
    alternatives = "|".join(words)
    return re.compile(rf"(?<![\w:?$\-])({alternatives})(?![\w:\-])", re.IGNORECASE)


_FIRST_KEYWORD = _word(*_QUERY_FORMS, *_UPDATE_WORDS)
_SERVICE = _word("SERVICE")
_FROM = _word("FROM")


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What the scan found: the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) and a dataset clause."""

    form: str
    has_dataset_clause: bool


def skeleton(text: str) -> str:
    """`text` with comments removed and every string literal and IRI replaced by an empty one.

    >>> skeleton('SELECT * { ?s <http://x/SERVICE> "SERVICE" } # SERVICE')
    'SELECT * { ?s <> "" } '
    """

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return ""
        if token.startswith("<"):
            return "<>"
        return '""'

    return _LEXICAL.sub(blank, text)


def scan(text: str) -> QueryShape:
    """The form of a read-only query; refuses updates and SERVICE with a BadRequest that says why.

    >>> scan("PREFIX select: <http://x/> ASK { ?s select:p ?o }").form
    'ASK'
    >>> scan("SELECT * { SERVICE <http://elsewhere/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    passport_registry.errors.BadRequest: SERVICE is refused: this endpoint queries only this registry's data.
    """
    bare = skeleton(text)
    first = _FIRST_KEYWORD.search(bare)
    if first is None:
        raise BadRequest("Not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE.")
    form = first.group(1).upper()
    if form not in _QUERY_FORMS:
        raise BadRequest("SPARQL Update is refused: this endpoint is read-only.")
    if _SERVICE.search(bare):
        raise BadRequest("SERVICE is refused: this endpoint queries only this registry's data.")
    return QueryShape(form, _FROM.search(bare) is not None)
