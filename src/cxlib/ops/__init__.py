"""Use cases, one module per command: take a knowledge base and options, return a result."""
