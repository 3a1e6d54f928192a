"""`make bench`: signed requests per second the emulator serves, for create and for issue-token.

The emulator runs as a separate process (as users run it). Client threads each keep one keep-alive
connection and send requests signed like the SDK's, until --requests are done or --seconds pass.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import itertools
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from acsid_cli.emulator.process import run_emulator
from acsid_cli.signing import sign

VERSION = "2023-10-01"
ISSUE_BODY = json.dumps({"scopes": ["chat"]}).encode()

# (method, target, body, expected status), for the i-th request of a connection.
RequestFor = Callable[[int], tuple[str, str, bytes, int]]


@dataclass
class Phase:
    name: str
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        done = len(self.latencies)
        rate = done / self.elapsed if self.elapsed else 0.0
        p50, p99 = (statistics.quantiles(self.latencies, n=100)[i] * 1000 for i in (49, 98))
        failed = f"   {len(self.failures)} FAILED" if self.failures else ""
        return f"  {self.name:<8} {done:6d} requests in {self.elapsed:5.2f} s  {rate:7.0f} req/s" + (
            f"   p50 {p50:5.2f} ms   p99 {p99:5.2f} ms{failed}"
        )


def run_phase(name: str, host: str, key: bytes, requests_for: list[RequestFor], total: int, seconds: float) -> Phase:
    """One thread per connection; together they send `total` requests or stop after `seconds`."""
    phase = Phase(name)
    tickets = itertools.count()  # next() is atomic under the GIL: each request number is taken once
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(request_for: RequestFor) -> None:
        conn = http.client.HTTPConnection(host, timeout=30)
        latencies, failures = [], []
        while next(tickets) < total and time.perf_counter() < deadline:
            method, target, body, expected = request_for(len(latencies))
            started = time.perf_counter()
            conn.request(
                method, target, body, {"Content-Type": "application/json", **sign(method, target, host, body, key)}
            )
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != expected:
                failures.append(f"{method} {target}: {response.status}")
        conn.close()
        with lock:
            phase.latencies.extend(latencies)
            phase.failures.extend(failures)

    threads = [threading.Thread(target=client, args=(r,)) for r in requests_for]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.elapsed = time.perf_counter() - started
    return phase


def create_request(_: int) -> tuple[str, str, bytes, int]:
    return "POST", f"/identities?api-version={VERSION}", b"", 201


def issue_request_for(identity_id: str) -> RequestFor:
    target = f"/identities/{quote(identity_id, safe='')}/:issueAccessToken?api-version={VERSION}"
    return lambda _: ("POST", target, ISSUE_BODY, 200)


def new_identity(host: str, key: bytes) -> str:
    conn = http.client.HTTPConnection(host, timeout=30)
    method, target, body, _ = create_request(0)
    conn.request(method, target, body, sign(method, target, host, body, key))
    return json.loads(conn.getresponse().read())["identity"]["id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests per phase (default 5000)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections (default 4)")
    parser.add_argument("--seconds", type=float, default=15, help="time limit per phase (default 15)")
    args = parser.parse_args()

    with run_emulator("--quiet") as emulator:
        host, key = urlsplit(emulator.endpoint).netloc, base64.b64decode(emulator.access_key)
        print(f"emulator at {emulator.endpoint}, {args.connections} keep-alive connections, signed requests")
        create = run_phase("create", host, key, [create_request] * args.connections, args.requests, args.seconds)
        print(create.report(), flush=True)
        issuers = [issue_request_for(new_identity(host, key)) for _ in range(args.connections)]
        issue = run_phase("issue", host, key, issuers, args.requests, args.seconds)
        print(issue.report())
    failures = create.failures + issue.failures
    for failure in failures[:5]:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
