"""Importers: other battery passport data models -> passports in our JSON-LD (pure dict -> dict functions).

`batterypass.convert` reads Battery Pass v1.2.0/1.2.1 aspect payloads, `catenax.convert` a Catena-X
BatteryPass 6.1.0 document. Each returns an `ImportResult`: the passport, and every source value that it
could not carry (`ImportIssue`, with a JSON Pointer into the source). Importers never repair values to
make them pass the shapes; a `supplement=` may add attributes the source model cannot express, never
override one (`supplement.supplemented`).
"""

from passport_registry.importers.report import ImportIssue, ImportResult

__all__ = ["ImportIssue", "ImportResult"]
