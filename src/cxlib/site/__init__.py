"""The static site of the library (``cxlib site``): pages, indexes, journey, reports, search."""
