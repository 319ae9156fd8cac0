"""A registry for EU battery passports (Regulation (EU) 2023/1542) served as linked data."""

__version__ = "0.1.0"
