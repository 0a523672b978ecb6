"""Internals of :mod:`lesto.router` (a radix-tree router with find-my-way semantics).

Import the public names from :mod:`lesto.router`; the modules here may move.
"""
