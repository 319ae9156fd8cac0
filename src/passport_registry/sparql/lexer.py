"""The tokens of a SPARQL 1.1 query, by the terminals of the grammar (SPARQL 1.1 Query §19.8, [139]-[173]).

One compiled expression reads the whole text left to right, longest match first, as §19 asks: IRIs,
prefixed names (with `\\`-escapes and `%`-escapes in local names, PN_LOCAL_ESC and PERCENT), blank node
labels, variables, the four string forms, numbers, language tags, keywords, punctuation; comments and
white space are dropped. Any character that starts no token is a syntax error, so nothing the engine
could read as a keyword can hide from the parser behind an escape, a string or a comment. Within IRIs
and strings `\\u`/`\\U` escapes are accepted, as Oxigraph does; outside them they are not characters of
any token (Oxigraph 0.5 does not pre-process codepoint escapes either: `\\u0053ELECT` is an error).
Lexing is linear in the text and runs in C (`re`); it allocates one small tuple per token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from passport_registry.errors import BadRequest

# §19.8 [164]-[173]: name characters. PN_CHARS_BASE without the ASCII letters, as a character class body.
_BASE_NON_ASCII = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_BASE = "A-Za-z" + _BASE_NON_ASCII
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_HEX = "0-9A-Fa-f"
_PLX = rf"(?:%[{_HEX}][{_HEX}]|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_UCHAR = rf"\\u[{_HEX}]{{4}}|\\U[{_HEX}]{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_EXPONENT = r"[eE][+-]?[0-9]+"

#: Token kinds, in the order they are tried at one position (earlier wins when two match as long).
_TOKENS = [
    ("IRI", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("PNAME", rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("BNODE", rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("VAR", rf"[?$]{_VARNAME}"),
    ("STRING", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"),
    ("STRING", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'),
    ("STRING", rf"'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"),
    ("STRING", rf'"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("DOUBLE", rf"[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}"),
    ("DECIMAL", r"[0-9]*\.[0-9]+"),
    ("INTEGER", r"[0-9]+"),
    ("WORD", r"[A-Za-z][A-Za-z0-9_]*"),
    ("PUNCT", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/^?|]"),
]
#: White space and comments, skipped before each token; atomic, so that no token is ever found by
#: giving back part of a comment.
_SKIP = r"(?>(?:[\x20\t\r\n]+|\#[^\r\n]*+)*)"
_MASTER = re.compile(
    _SKIP + "(?:" + "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TOKENS)) + ")"
)
_TRAILING = re.compile(_SKIP + r"\Z")
_SKIPPED = re.compile(_SKIP)
_KINDS = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TOKENS)}


class Token(NamedTuple):
    """One token: its kind (IRI, PNAME, BNODE, VAR, STRING, LANGTAG, DOUBLE, DECIMAL, INTEGER, WORD,
    PUNCT, END), its text as written, and where it starts (character offset into the query)."""

    kind: str
    text: str
    at: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text`, then one END token. Raises BadRequest at the first character that begins
    no token (with its line and column).

    >>> [t.text for t in tokens("PREFIX ex: <http://x/> ASK { ?s ex:a\\\\#b 'x' } # ?")]
    ['PREFIX', 'ex:', '<http://x/>', 'ASK', '{', '?s', 'ex:a\\\\#b', "'x'", '}', '']
    """
    position = 0
    end = len(text)
    kinds = _KINDS
    for found in _MASTER.finditer(text):
        if found.start() != position:  # something between the last token and this one is no token
            break
        group = found.lastgroup or ""
        yield Token(kinds[group], found.group(group), found.start(group))
        position = found.end()
    if position < end and not _TRAILING.match(text, position):
        skipped = _SKIPPED.match(text, position)
        at = skipped.end() if skipped else position
        raise BadRequest(f"Invalid SPARQL query: unexpected character at {where(text, at)}.")
    yield Token("END", "", end)


def where(text: str, position: int) -> str:
    """`position` in `text` as "line L, column C" (both from 1)."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"line {line}, column {column}"
