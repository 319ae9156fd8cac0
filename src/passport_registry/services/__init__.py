"""What the registry does, without HTTP: parse, validate, authorise, store."""
