"""The command line: parse, call one operation, render, choose the exit code. Only place that prints."""
