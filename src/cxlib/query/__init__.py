"""Queries over any front-matter key: ``list --where``, saved queries, ``set --where`` and
``export --where`` read them.

:mod:`~cxlib.query.grammar` parses a query into the nodes of :mod:`~cxlib.query.nodes`;
:mod:`~cxlib.query.fields` knows which fields exist and finds a dotted path's values in a
document's data; :mod:`~cxlib.query.predicates` turns nodes into a test of one document;
:mod:`~cxlib.kb.records` reads every document's front-matter, through a cache of its own.
"""
