"""The hostile-input corpus: a table of attacks run against a live registry (docs/security.md)."""
