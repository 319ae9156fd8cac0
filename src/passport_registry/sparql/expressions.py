"""The token cursor of the SPARQL parser and the expression grammar (SPARQL 1.1 Query §19.8, [110]-[138]).

Every parse method returns a *cost*: an estimate of how deep the engine's evaluation tree for that
part will be. A chain of n operands (`a || b || ...`, `a + b + ...`) costs n more than its deepest
operand, because Oxigraph builds such chains left-deep and walks them recursively; a bracket,
function call or unary operator costs one level. `sparql/parser.py` adds the graph patterns and
compares the total with the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NoReturn

from passport_registry.errors import BadRequest
from passport_registry.sparql.lexer import Token, where

#: Built-in calls (§19.8 [121]) that take a parenthesised argument list.
BUILT_INS = frozenset(
    {
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "SUBSTR",
        "STRLEN",
        "REPLACE",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "SAMETERM",
        "ISIRI",
        "ISURI",
        "ISBLANK",
        "ISLITERAL",
        "ISNUMERIC",
        "REGEX",
    }
)
#: Aggregates (§19.8 [127]).
AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
_RELATIONAL = frozenset({"=", "!=", "<", ">", "<=", ">="})
_NUMBERS = frozenset({"INTEGER", "DECIMAL", "DOUBLE"})


class Cursor:
    """Reads a token list front to back; `fail` raises BadRequest naming where and what was expected."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "END":
            self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        """Whether the current token is punctuation or a keyword (case-insensitive) among `texts`."""
        token = self.token
        if token.kind == "PUNCT":
            return token.text in texts
        return token.kind == "WORD" and token.text.upper() in texts

    def accept(self, *texts: str) -> bool:
        if self.at(*texts):
            self.advance()
            return True
        return False

    def expect(self, *texts: str) -> Token:
        if not self.at(*texts):
            self.fail(" or ".join(repr(t) for t in texts))
        return self.advance()

    def fail(self, expected: str) -> NoReturn:
        token = self.token
        found = "the end of the query" if token.kind == "END" else repr(token.text[:40])
        raise BadRequest(
            f"Invalid SPARQL query at {where(self.text, token.at)}: expected {expected}, found {found}."
        )


class ExpressionParser(Cursor):
    """Expressions and the terms they use; `iri` comes from `triples.TriplesParser` and
    `group_graph_pattern` (for EXISTS) from the query parser (`parser.py`), which extend this class."""

    def group_graph_pattern(self) -> int:
        """A group graph pattern (for EXISTS); returns its cost."""
        raise NotImplementedError

    def iri(self) -> str:
        """An IRI or prefixed name, made absolute."""
        raise NotImplementedError

    def expression(self) -> int:
        return self._binary(self._and, "||")

    def _and(self) -> int:
        return self._binary(self._relational, "&&")

    def _binary(self, operand: Callable[[], int], operator: str) -> int:
        cost = operand()
        count = 0
        while self.accept(operator):
            cost = max(cost, operand())
            count += 1
        return cost + count

    def _relational(self) -> int:
        cost = self._additive()
        if self.token.kind == "PUNCT" and self.token.text in _RELATIONAL:
            self.advance()
            return max(cost, self._additive()) + 1
        if self.at("IN") or (self.at("NOT") and self.peek().text.upper() == "IN"):
            self.accept("NOT")
            self.advance()
            return max(cost, self.expression_list()) + 1
        return cost

    def _additive(self) -> int:
        cost = self._multiplicative()
        count = 0
        while True:
            if not self.accept("+", "-"):
                return cost + count
            cost = max(cost, self._multiplicative())
            count += 1

    def _multiplicative(self) -> int:
        return self._binary_any(self._unary, ("*", "/"))

    def _binary_any(self, operand: Callable[[], int], operators: Iterable[str]) -> int:
        cost = operand()
        count = 0
        while self.accept(*operators):
            cost = max(cost, operand())
            count += 1
        return cost + count

    def _unary(self) -> int:
        if self.accept("!", "+", "-"):
            return self._unary() + 1
        return self.primary_expression()

    def primary_expression(self) -> int:
        token = self.token
        if self.at("("):
            return self.bracketted_expression()
        if token.kind == "VAR":
            self.advance()
            return 1
        if token.kind in ("IRI", "PNAME"):
            self.iri()
            if self.at("("):
                return self.arg_list(allow_distinct=True) + 1
            return 1
        if token.kind in ("STRING", "INTEGER", "DECIMAL", "DOUBLE") or self.at("TRUE", "FALSE"):
            self.literal()
            return 1
        if token.kind == "WORD":
            return self.built_in_call()
        self.fail("an expression")

    def bracketted_expression(self) -> int:
        self.expect("(")
        cost = self.expression()
        self.expect(")")
        return cost + 1

    def built_in_call(self) -> int:
        """A built-in call or aggregate (§19.8 [121], [127]); arity is left to the engine to check."""
        name = self.token.text.upper()
        if name in AGGREGATES:
            self.advance()
            return self._aggregate(name) + 1
        if name == "EXISTS":
            self.advance()
            return self.group_graph_pattern() + 1
        if name == "NOT" and self.peek().text.upper() == "EXISTS":
            self.advance()
            self.advance()
            return self.group_graph_pattern() + 1
        if name not in BUILT_INS:
            self.fail("an expression")
        self.advance()
        return self.expression_list() + 1

    def _aggregate(self, name: str) -> int:
        self.expect("(")
        self.accept("DISTINCT")
        cost = 1 if name == "COUNT" and self.accept("*") else self.expression()
        if name == "GROUP_CONCAT" and self.accept(";"):
            self.expect("SEPARATOR")
            self.expect("=")
            if self.token.kind != "STRING":
                self.fail("a string")
            self.advance()
        self.expect(")")
        return cost

    def expression_list(self, allow_distinct: bool = False) -> int:
        """`NIL | '(' Expression (',' Expression)* ')'` (ExpressionList, ArgList with DISTINCT)."""
        return self.arg_list(allow_distinct)

    def arg_list(self, allow_distinct: bool = False) -> int:
        self.expect("(")
        if self.accept(")"):
            return 0
        if allow_distinct:
            self.accept("DISTINCT")
        cost = self.expression()
        while self.accept(","):
            cost = max(cost, self.expression())
        self.expect(")")
        return cost

    def literal(self) -> None:
        """RDFLiteral, NumericLiteral (signed too: §19.8 [130]-[133]) or BooleanLiteral."""
        self.accept("+", "-")
        token = self.token
        if token.kind == "STRING":
            self.advance()
            if self.token.kind == "LANGTAG":
                self.advance()
            elif self.accept("^^"):
                self.iri()
        elif token.kind in _NUMBERS or (token.kind == "WORD" and token.text.upper() in ("TRUE", "FALSE")):
            self.advance()
        else:
            self.fail("a literal")
