"""Report the slowest pathological renders at the end of the run, so a regression towards
the time bound shows before it fails."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from tests.core.rendering.test_pathological import slowest

    timings = slowest()
    if not timings:
        return
    terminalreporter.section("slowest pathological renders")
    for elapsed, name in timings:
        terminalreporter.write_line(f"{elapsed:6.3f} s  {name}")
