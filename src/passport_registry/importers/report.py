"""What an import produced: the passport in our JSON-LD and every source value it could not carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

IssueKind = Literal["invalid", "unmapped", "note"]


@dataclass(frozen=True)
class ImportIssue:
    """One source value the importer did not put into the passport, or put somewhere worth saying, and why.

    `kind` is "invalid" when the value has a place in our model but cannot be expressed there (an
    enumeration label with no concept, a date that is not a date, a unit we cannot convert), and
    "unmapped" when our model has no place for it at all. A "note" is not an error: the value was carried,
    unchanged, but to another attribute than the source named, because its format says what it is (a
    Catena-X "CAS" identification written as an EC number is carried as the EC number). `path` is a JSON
    Pointer (RFC 6901) into the source document named by `source`.
    """

    kind: IssueKind
    source: str
    path: str
    value: Any
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "path": self.path,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class ImportResult:
    """A converted passport (compact JSON-LD using our context) and the issues met on the way.

    The importer never repairs a value to make it pass the shapes: a value it can express goes into
    `passport` unchanged (the shapes judge it), a value it cannot express goes into `issues` instead.
    """

    passport: dict[str, Any]
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        """The issues of kind "invalid": source values that our model has a place for but could not take."""
        return [issue for issue in self.issues if issue.kind == "invalid"]

    @property
    def notes(self) -> list[ImportIssue]:
        """The issues of kind "note": values carried unchanged, to another attribute than the source named."""
        return [issue for issue in self.issues if issue.kind == "note"]

    @property
    def unmapped(self) -> list[ImportIssue]:
        """The issues of kind "unmapped": source attributes that our model does not hold."""
        return [issue for issue in self.issues if issue.kind == "unmapped"]
