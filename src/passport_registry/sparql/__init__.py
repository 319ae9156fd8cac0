"""SPARQL text and results: what a query asks for (`scan`), result documents (`results`), self-description."""
