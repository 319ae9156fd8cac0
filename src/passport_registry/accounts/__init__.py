"""Accounts and credentials, kept in their own store that no passport query or SPARQL endpoint can reach."""
