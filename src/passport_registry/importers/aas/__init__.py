"""IDTA-02035 (Digital Battery Passport) in the Asset Administration Shell: our passports as AAS submodels
(`writing`) and AAS documents as our passports (`reading`), both driven by one table (`mapping`)."""

from passport_registry.importers.aas.reading import AAS_SUPPORTED, convert
from passport_registry.importers.aas.writing import ShellIds, environment, submodel_id

__all__ = ["AAS_SUPPORTED", "ShellIds", "convert", "environment", "submodel_id"]
