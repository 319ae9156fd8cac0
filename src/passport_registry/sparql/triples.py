"""Triples, property paths and terms for the SPARQL parser (SPARQL 1.1 Query §19.8, [73]-[109], [136]-[137]).

Like the expressions (`sparql/expressions.py`), every method that parses a pattern returns its *cost*,
an estimate of the depth of the engine's evaluation tree; `sparql/parser.py` adds the query forms and
graph patterns on top and compares the total with the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from passport_registry.errors import BadRequest
from passport_registry.sparql.expressions import ExpressionParser
from passport_registry.sparql.iris import resolve, unescape_iri, unescape_local
from passport_registry.sparql.lexer import Token, where

_TERMS = frozenset({"IRI", "PNAME", "BNODE", "VAR", "STRING", "INTEGER", "DECIMAL", "DOUBLE"})


class TriplesParser(ExpressionParser):
    """Triples templates and patterns, property paths, variables and RDF terms; IRIs are made absolute
    with the prologue's `base` and `prefixes`, which the query parser that extends this class fills."""

    def __init__(self, text: str, found: list[Token], base_iri: str | None) -> None:
        super().__init__(text, found)
        self.base = base_iri
        self.prefixes: dict[str, str] = {}

    def _construct_template(self) -> None:
        self.expect("{")
        self._triples_template(until="}")

    def _triples_template(self, until: str = "}") -> int:
        """ConstructTriples / TriplesTemplate up to and including the closing brace; returns the count."""
        count = 0
        while not self.accept(until):
            found, _ = self._triples_same_subject(path=False)
            count += found
            if not self.at(until):
                self.expect(".")
        return count

    # -- triples ([75]-[109]) ---------------------------------------------------------------------

    def _triples_same_subject(self, path: bool) -> tuple[int, int]:
        """One subject with its property list; returns (triple patterns made, deepest cost)."""
        if self.at("(", "["):
            made, cost = self._triples_node(path)
            if self._starts_verb(path):
                more, other = self._property_list(path)
                return made + more, max(cost, other)
            return made, cost
        self._var_or_term()
        return self._property_list(path)

    def _starts_verb(self, path: bool) -> bool:
        token = self.token
        if token.kind in ("VAR", "IRI", "PNAME") or (token.kind == "WORD" and token.text == "a"):
            return True
        return path and self.at("^", "!", "(")

    def _property_list(self, path: bool) -> tuple[int, int]:
        made = cost = 0
        while True:
            if self.token.kind == "VAR":
                self.advance()
            elif path:
                cost = max(cost, self._path())
            elif self.token.kind == "WORD" and self.token.text == "a":
                self.advance()
            else:
                self.iri()
            while True:
                found, deepest = self._graph_node(path)
                made += found + 1
                cost = max(cost, deepest)
                if not self.accept(","):
                    break
            if not self.accept(";"):
                return made, cost
            while self.accept(";"):
                pass
            if not self._starts_verb(path):
                return made, cost

    def _graph_node(self, path: bool) -> tuple[int, int]:
        if self.at("(", "["):
            return self._triples_node(path)
        self._var_or_term()
        return 0, 0

    def _triples_node(self, path: bool) -> tuple[int, int]:
        if self.accept("["):
            if self.accept("]"):
                return 0, 0
            made, cost = self._property_list(path)
            self.expect("]")
            return made, cost + 1
        self.expect("(")
        if self.accept(")"):
            return 0, 0
        made = cost = 0
        while not self.accept(")"):
            found, deepest = self._graph_node(path)
            made += found + 2  # rdf:first and rdf:rest
            cost = max(cost, deepest)
        return made, cost + 1

    def _path(self) -> int:
        return self._path_chain(self._path_sequence, "|")

    def _path_sequence(self) -> int:
        return self._path_chain(self._path_element, "/")

    def _path_chain(self, element: Callable[[], int], separator: str) -> int:
        cost = element()
        count = 0
        while self.accept(separator):
            cost = max(cost, element())
            count += 1
        return cost + count

    def _path_element(self) -> int:
        inverse = 1 if self.accept("^") else 0
        if self.accept("("):
            cost = self._path() + 1
            self.expect(")")
        elif self.accept("!"):
            cost = self._negated_property_set()
        elif self.token.kind == "WORD" and self.token.text == "a":
            self.advance()
            cost = 1
        else:
            self.iri()
            cost = 1
        if self.accept("?", "*", "+"):
            cost += 1
        return cost + inverse

    def _negated_property_set(self) -> int:
        if not self.accept("("):
            self._one_in_property_set()
            return 1
        count = 0
        if not self.at(")"):
            self._one_in_property_set()
            count = 1
            while self.accept("|"):
                self._one_in_property_set()
                count += 1
        self.expect(")")
        return count + 1

    def _one_in_property_set(self) -> None:
        self.accept("^")
        if self.token.kind == "WORD" and self.token.text == "a":
            self.advance()
        else:
            self.iri()

    # -- terms ------------------------------------------------------------------------------------

    def _var(self) -> None:
        if self.token.kind != "VAR":
            self.fail("a variable")
        self.advance()

    def _var_or_iri(self) -> None:
        if self.token.kind == "VAR":
            self.advance()
        else:
            self.iri()

    def _var_or_term(self) -> None:
        token = self.token
        if token.kind in ("VAR", "BNODE"):
            self.advance()
        elif token.kind in ("IRI", "PNAME"):
            self.iri()
        elif (self.at("(") and self.peek().text == ")") or (self.at("[") and self.peek().text == "]"):  # NIL
            self.advance()
            self.advance()
        elif token.kind in _TERMS or self.at("+", "-", "TRUE", "FALSE"):
            self.literal()
        else:
            self.fail("a variable or an RDF term")

    def _iriref(self) -> str:
        token = self.token
        if token.kind != "IRI":
            self.fail("an IRI in angle brackets")
        self.advance()
        return resolve(unescape_iri(token.text[1:-1]), self.base)

    def iri(self) -> str:
        token = self.token
        if token.kind == "IRI":
            return self._iriref()
        if token.kind != "PNAME":
            self.fail("an IRI")
        self.advance()
        prefix, _, local = token.text.partition(":")
        if prefix not in self.prefixes:
            at = where(self.text, token.at)
            raise BadRequest(f"Invalid SPARQL query at {at}: prefix {prefix + ':'!r} is not declared.")
        return self.prefixes[prefix] + unescape_local(local)
