"""Readers of other tools' records (``cxlib import``): each turns the files a user saved into
:class:`~cxlib.importers.records.Incoming` documents, and the plan decides what to write."""
