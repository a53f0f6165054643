"""cxlib: a git-backed markdown knowledge base for customer-experience and experimentation
programs."""

__version__ = "0.2.0"
