"""Repository tooling of the Lesto monorepo: plugin scaffolding, releases and consistency checks.

The command-line entry points are the scripts beside this package
(``tools/new-plugin``, ``tools/release``, ``tools/check``); CONTRIBUTING.md
describes them.
"""
