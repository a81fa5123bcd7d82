"""The test suite (a package, so `tests.support` wins over the stray `tests` that literalai installs)."""
