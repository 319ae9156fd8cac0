"""The HTTP face of the registry: the only package that imports FastAPI."""
