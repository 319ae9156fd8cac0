"""What a read-only query may do, from a real parse of it: the SPARQL 1.1 Query grammar (§19.8), top down.

`inspect(text)` tokenises the query (`sparql/lexer.py`), checks how deeply it nests before parsing,
then parses it by the grammar's productions (the query forms and graph patterns here, triples and paths in
`sparql/triples.py`, expressions in `sparql/expressions.py`) and returns its `QueryShape`: the form,
the graphs of its dataset clause (FROM / FROM NAMED, prefixes and base resolved) and the estimated depth
of the engine's evaluation tree. It refuses, with a problem that says why:
- anything that is not a SPARQL 1.1 query (syntax errors, SPARQL Update, SPARQL 1.2 additions such as
  `VERSION`, triple terms or reifiers): 400. A query this parser cannot read is refused even when the
  engine could read it ("fail closed"): the decision about SERVICE below must come from the parse;
- `SERVICE` anywhere in the query, nested subqueries and EXISTS included: 400 (the endpoint queries
  only this registry's data; the query worker's sandbox stops outbound connections even if this
  check were wrong, `store/sandbox.py`);
- nesting deeper than `MAX_NESTING` brackets, or an evaluation tree deeper than `MAX_DEPTH`: 422
  `query-too-complex` (Oxigraph evaluates recursively; at ~3,000 levels it overflows an 8 MiB stack).
Parsing is linear in the query; one parse of a 1 MiB query takes well under a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from passport_registry.errors import BadRequest, QueryTooComplex
from passport_registry.sparql.expressions import AGGREGATES, BUILT_INS
from passport_registry.sparql.lexer import Token, tokens, where
from passport_registry.sparql.triples import TriplesParser

#: The deepest bracket nesting ({, (, [) a query may have.
MAX_NESTING = 100
#: The deepest evaluation tree a query may ask for (sum of chain lengths along one path of the tree).
MAX_DEPTH = 1000

_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")
_CALLS = BUILT_INS | AGGREGATES | {"EXISTS"}
_PLAIN_VALUES = frozenset({"STRING", "INTEGER", "DECIMAL", "DOUBLE"})


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What the parse found: the query form, the IRIs of its FROM and FROM NAMED clauses (in order,
    absolute) and the estimated depth of its evaluation tree."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    depth: int = 0

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def inspect(text: str, base_iri: str | None = None) -> QueryShape:
    """Parse `text` as a SPARQL 1.1 query and return its shape; raise BadRequest or QueryTooComplex.

    >>> inspect("PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <b> { ?s ?p ?o }", "http://g/")
    QueryShape(form='SELECT', from_graphs=('http://g/a',), from_named_graphs=('http://g/b',), depth=2)
    >>> inspect("PREFIX ex: <http://x/> ASK { { ?s ex:a\\\\#b ?o } UNION { SERVICE <http://h/> {} } }")
    Traceback (most recent call last):
    ...
    passport_registry.errors.BadRequest: SERVICE is refused: this endpoint queries only this registry's data.
    """
    return _QueryParser(text, _nesting_checked(text), base_iri).query()


def _nesting_checked(text: str) -> list[Token]:
    """The tokens of `text`; refused as soon as the brackets nest deeper than `MAX_NESTING`, before
    the rest is read."""
    found = []
    depth = 0
    for token in tokens(text):
        found.append(token)
        if token.kind != "PUNCT":
            continue
        if token.text in _OPENING:
            depth += 1
            if depth > MAX_NESTING:
                raise QueryTooComplex(
                    f"The query nests brackets more than {MAX_NESTING} deep (at {where(text, token.at)}); "
                    "this endpoint evaluates at most that.",
                    max_nesting=MAX_NESTING,
                )
        elif token.text in _CLOSING:
            depth -= 1
    return found


class _QueryParser(TriplesParser):
    """The query forms, their clauses and the graph patterns, over the triples and expressions."""

    # -- the query ([1]-[31]) ---------------------------------------------------------------------

    def query(self) -> QueryShape:
        self._prologue()
        form = self.token.text.upper() if self.token.kind == "WORD" else ""
        if form in _UPDATES:
            raise BadRequest("SPARQL Update is refused: this endpoint is read-only.")
        if form not in _FORMS:
            self.fail("SELECT, CONSTRUCT, DESCRIBE or ASK")
        self.advance()
        depth = 0
        short_construct = False
        if form == "SELECT":
            depth = self._select_clause()
        elif form == "CONSTRUCT":
            if self.at("{"):
                self._construct_template()
            else:
                short_construct = True
        elif form == "DESCRIBE" and not self.accept("*"):
            count = 0
            while self.token.kind in ("VAR", "IRI", "PNAME"):
                self._var_or_iri()
                count += 1
            if count == 0:
                self.fail("a variable, an IRI or '*'")
            depth = count
        default, named = self._dataset_clauses()
        if short_construct:  # CONSTRUCT WHERE { TriplesTemplate }
            self.expect("WHERE")
            self.expect("{")
            depth += self._triples_template()
        elif form != "DESCRIBE" or self.at("WHERE", "{"):
            self.accept("WHERE")
            depth += self.group_graph_pattern()
        depth += self._solution_modifier() + self._values_clause()
        if self.token.kind != "END":
            self.fail("the end of the query")
        if depth > MAX_DEPTH:
            raise QueryTooComplex(
                f"The query is too complex to evaluate: its evaluation tree would be about {depth} levels "
                f"deep (long chains of UNION, OPTIONAL, BIND, operators or DESCRIBE terms count); "
                f"this endpoint evaluates at most {MAX_DEPTH}.",
                max_depth=MAX_DEPTH,
            )
        return QueryShape(form, default, named, depth)

    def _prologue(self) -> None:
        while True:
            if self.accept("BASE"):
                self.base = self._iriref()
            elif self.accept("PREFIX"):
                token = self.token
                if token.kind != "PNAME" or not token.text.endswith(":") or token.text.count(":") != 1:
                    self.fail("a prefix name such as 'ex:'")
                self.advance()
                self.prefixes[token.text[:-1]] = self._iriref()
            else:
                return

    def _select_clause(self) -> int:
        self.accept("DISTINCT", "REDUCED")
        if self.accept("*"):
            return 0
        cost = count = 0
        while True:
            if self.token.kind == "VAR":
                self.advance()
            elif self.accept("("):
                cost = max(cost, self.expression())
                self.expect("AS")
                self._var()
                self.expect(")")
            else:
                break
            count += 1
        if count == 0:
            self.fail("a variable, '(' expression AS variable ')' or '*'")
        return cost + count

    def _dataset_clauses(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        default: list[str] = []
        named: list[str] = []
        while self.accept("FROM"):
            (named if self.accept("NAMED") else default).append(self.iri())
        return tuple(default), tuple(named)

    def _subselect(self) -> int:
        self.expect("SELECT")
        cost = self._select_clause()
        self.accept("WHERE")
        cost += self.group_graph_pattern()
        return cost + self._solution_modifier() + self._values_clause()

    def _solution_modifier(self) -> int:
        cost = 0
        if self.accept("GROUP"):
            self.expect("BY")
            cost += self._conditions(self._group_condition)
        if self.accept("HAVING"):
            cost += self._conditions(self._constraint)
        if self.accept("ORDER"):
            self.expect("BY")
            cost += self._conditions(self._order_condition)
        for _ in range(2):
            if self.accept("LIMIT", "OFFSET"):
                if self.token.kind != "INTEGER":
                    self.fail("an integer")
                self.advance()
        return cost

    def _conditions(self, condition: Callable[[], int | None]) -> int:
        """One or more of `condition` (which returns None when no condition starts here)."""
        cost = count = 0
        while (found := condition()) is not None:
            cost = max(cost, found)
            count += 1
        if count == 0:
            self.fail("a condition")
        return cost + count

    def _group_condition(self) -> int | None:
        if self.token.kind == "VAR":
            self.advance()
            return 1
        if self.accept("("):
            cost = self.expression()
            if self.accept("AS"):
                self._var()
            self.expect(")")
            return cost + 1
        return self._constraint()

    def _order_condition(self) -> int | None:
        if self.accept("ASC", "DESC"):
            return self.bracketted_expression()
        if self.token.kind == "VAR":
            self.advance()
            return 1
        return self._constraint()

    def _constraint(self) -> int | None:
        """BrackettedExpression | BuiltInCall | FunctionCall, or None when none starts here."""
        token = self.token
        if self.at("("):
            return self.bracketted_expression()
        if token.kind in ("IRI", "PNAME"):
            self.iri()
            return self.arg_list(allow_distinct=True) + 1
        if token.kind == "WORD" and token.text.upper() in _CALLS:
            return self.built_in_call()
        if self.at("NOT") and self.peek().text.upper() == "EXISTS":
            return self.built_in_call()
        return None

    def _values_clause(self) -> int:
        return self._data_block() if self.accept("VALUES") else 0

    def _data_block(self) -> int:
        if self.token.kind == "VAR":
            self.advance()
            self.expect("{")
            self._data_block_values("}")
            return 1
        self.expect("(")
        while self.token.kind == "VAR":
            self.advance()
        self.expect(")")
        self.expect("{")
        while not self.accept("}"):
            self.expect("(")
            self._data_block_values(")")
        return 1

    def _data_block_values(self, closing: str) -> None:
        """DataBlockValue* up to and including `closing`. VALUES blocks can hold hundreds of thousands
        of values, so the common ones (plain strings, numbers, IRIs) take a short path."""
        tokens = self.tokens
        while True:
            token = tokens[self.index]
            kind = token.kind
            if kind in _PLAIN_VALUES:  # never the last token: END follows every value
                after = tokens[self.index + 1]
                if after.kind != "LANGTAG" and (kind != "STRING" or after.text != "^^"):
                    self.index += 1
                    continue
            if kind == "PUNCT" and token.text == closing:
                self.index += 1
                return
            if kind in ("IRI", "PNAME"):
                self.iri()
            elif not self.accept("UNDEF"):
                self.literal()

    # -- graph patterns ([53]-[69]) ---------------------------------------------------------------

    def group_graph_pattern(self) -> int:
        self.expect("{")
        if self.at("SELECT"):
            cost = self._subselect() + 1
            self.expect("}")
            return cost
        elements = deepest = 0
        while not self.accept("}"):
            if self.at("SERVICE"):
                raise BadRequest("SERVICE is refused: this endpoint queries only this registry's data.")
            if self.at("{"):
                count = 1
                deepest = max(deepest, self.group_graph_pattern())
                while self.accept("UNION"):
                    deepest = max(deepest, self.group_graph_pattern())
                    count += 1
                elements += count
            elif self.accept("OPTIONAL", "MINUS"):
                deepest = max(deepest, self.group_graph_pattern())
                elements += 1
            elif self.accept("GRAPH"):
                self._var_or_iri()
                deepest = max(deepest, self.group_graph_pattern())
                elements += 1
            elif self.accept("FILTER"):
                found = self._constraint()
                if found is None:
                    self.fail("a bracketed expression or a function call")
                deepest = max(deepest, found)
                elements += 1
            elif self.accept("BIND"):
                self.expect("(")
                deepest = max(deepest, self.expression())
                self.expect("AS")
                self._var()
                self.expect(")")
                elements += 1
            elif self.accept("VALUES"):
                elements += self._data_block()
            else:
                triples, cost = self._triples_same_subject(path=True)
                elements += triples
                deepest = max(deepest, cost)
                if not self.at("}"):
                    if self.accept("."):
                        continue
                    if not self._starts_pattern():
                        self.fail("'.', '}' or a graph pattern")
                continue
            self.accept(".")
        return elements + deepest + 1

    def _starts_pattern(self) -> bool:
        return self.at("{", "OPTIONAL", "MINUS", "GRAPH", "FILTER", "BIND", "VALUES", "SERVICE")
