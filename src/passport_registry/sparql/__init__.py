"""SPARQL text and results: what a query asks for (`lexer`, `parser`, `expressions`, `iris`), the dataset
it may read (`dataset`), result documents (`results`), self-description (`description`)."""
