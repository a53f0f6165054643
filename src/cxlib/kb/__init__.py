"""The repository: finding the root, reading documents safely, templates, git."""
