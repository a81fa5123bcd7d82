"""The test suite.

A regular package so that `tests.support` wins over the stray top-level `tests` package
that the literalai wheel (pulled in by chainlit) installs into site-packages.
"""
