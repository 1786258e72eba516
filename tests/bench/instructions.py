"""Instructions per request, counted by valgrind's callgrind: a figure that does not move
with whatever else the machine is doing (wrk's requests/s on this shared 2-CPU machine vary
by 10% between runs of the same server, the size of the effect being measured).

For each setting (no plugins; every plugin in the tree loaded and enabled everywhere) it
runs a worker process under callgrind twice, serving the signed-in topic page ``W`` and then
``W + N`` times in-process (the test client: the same WSGI app, no network), and divides the
difference by ``N``, so start-up is not counted. ``PYTHONHASHSEED`` is fixed.

    python -m tests.bench.instructions [--requests N]

Reuses the corpus in ``bench-data/`` (``make bench`` builds it and readies it for the
plugins).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.corpus import DATA_DIR, ROOT

WARM_UP = 20


def serve(mode: str, count: int) -> None:
    """The process valgrind watches: build the app, then serve the page ``count`` times."""
    from tests.bench.run import forum_env, member_cookie
    from tests.contract.databases import plugin_packages

    facts = json.loads((DATA_DIR / "corpus.json").read_text())
    path = f"/t/{facts['topic']['slug']}/{facts['topic']['id']}"
    name, value = member_cookie(DATA_DIR).split(": ", 1)[1].split("=", 1)
    os.environ.update(forum_env(DATA_DIR))
    from forum import create_app

    config = {"PLUGINS": plugin_packages()} if mode == "plugins" else {}
    client = create_app(config).test_client()
    client.set_cookie(name, value)
    for _ in range(count):
        response = client.get(path)
        assert response.status_code == 200, response.status_code


def count(mode: str, requests: int) -> int:
    """Instructions callgrind counts for a whole process serving ``requests`` pages."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "tests.bench.instructions",
                "--serve",
                mode,
                str(requests),
            ],
            check=True,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        return int(match.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.instructions")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--serve", nargs=2, metavar=("MODE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    per_request = {}
    for mode in ("none", "plugins"):
        base = count(mode, WARM_UP)
        total = count(mode, WARM_UP + args.requests)
        per_request[mode] = (total - base) / args.requests
        print(f"{mode:8} {per_request[mode] / 1e6:8.2f} million instructions a request")
    ratio = per_request["plugins"] / per_request["none"]
    print(f"with every plugin loaded: {ratio - 1:+.1%} instructions per signed-in topic page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
