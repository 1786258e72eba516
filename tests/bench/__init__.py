"""``make bench``: the performance benchmark (run with ``python -m tests.bench.run``).

Nothing here is collected by pytest (no ``test_`` file names): the benchmark measures, it
does not pass or fail.
"""
