"""The command line: parse, call one operation, render, choose the exit code.

The only place that prints.
"""
