"""`make bench`, bulk part: 1,000 identities with a chat token, side by side, against the emulator on loopback.

- acsid in one command (--rate 0: the emulator has no limit);
- the official Python SDK in a plain loop, and in a ThreadPoolExecutor as wide as acsid's default;
- a shell loop of single `acsid token issue` calls (50, extrapolated to 1,000);
- the README's 500-identity pipeline (create | issue | revoke | delete) at the default pace;
- 2,000 creates against `acsid emulator --throttle service`, at acsid's default pace;
- the peak memory of deleting 1,000 and 100,000 ids read from stdin (unknown ids: the emulator answers 404,
  which is as much work for acsid as a deletion).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from acsid_cli.cli.invocation import DEFAULT_PARALLEL
from acsid_cli.emulator import DEFAULT_RESOURCE_ID
from acsid_cli.emulator.process import run_emulator

N = 1000
ACSID = [sys.executable, "-m", "acsid_cli"]


def timed(argv: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, int]:
    """Wall seconds, and peak memory in KiB from GNU time (0 without it)."""
    with tempfile.NamedTemporaryFile("r") as report, open(stdin or os.devnull) as source:
        prefix = ["/usr/bin/time", "-f", "%M", "-o", report.name] if os.path.exists("/usr/bin/time") else []
        started = time.perf_counter()
        subprocess.run([*prefix, *argv], env=env, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        peak = (report.read().strip().splitlines() or [""])[-1]  # after "Command exited with ..."
    return elapsed, int(peak) if peak.isdigit() else 0


def line(label: str, items: int, seconds: float, note: str = "") -> None:
    print(f"  {label:<52} {items:>6} in {seconds:6.1f} s  {items / seconds:7.0f} per s  {note}")


def sdk(endpoint: str, key: str, parallel: int) -> float:
    from azure.communication.identity import CommunicationIdentityClient
    from azure.core.credentials import AzureKeyCredential

    client = CommunicationIdentityClient(endpoint, AzureKeyCredential(key))
    started = time.perf_counter()
    if parallel == 1:
        for _ in range(N):
            client.create_user_and_token(["chat"])
    else:
        with ThreadPoolExecutor(parallel) as pool:
            list(pool.map(lambda _: client.create_user_and_token(["chat"]), range(N)))
    return time.perf_counter() - started


PIPELINE = 500


def pipeline(env: dict[str, str]) -> float:
    """The README's pipeline of 500 identities, its four commands in one shell pipe, without --rate."""
    acsid = " ".join(ACSID)
    stages = [
        f"{acsid} user create --count {PIPELINE} -o jsonl",
        f"{acsid} token issue --scope chat --user - -o jsonl",
        f"{acsid} token revoke --user - --yes -o jsonl",
        f"{acsid} user delete --user - --yes -o none",
    ]
    started = time.perf_counter()
    subprocess.run(["bash", "-o", "pipefail", "-c", " | ".join(stages)], env=env, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    with run_emulator() as emulator:
        env = {**os.environ, "AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string}
        print(f"{N:,} identities with a chat token, against the emulator ({emulator.endpoint}):")
        seconds, _ = timed(
            [*ACSID, "token", "issue", "--scope", "chat", "--count", str(N), "--rate", "0", "-o", "none"], env
        )
        line("acsid token issue --scope chat --count 1000 --rate 0", N, seconds, f"(--parallel {DEFAULT_PARALLEL})")
        line("official SDK, plain loop", N, sdk(emulator.endpoint, emulator.access_key, 1))
        line(
            f"official SDK, ThreadPoolExecutor({DEFAULT_PARALLEL})",
            N,
            sdk(emulator.endpoint, emulator.access_key, DEFAULT_PARALLEL),
        )
        single = sum(timed([*ACSID, "token", "issue", "--scope", "chat", "-o", "none"], env)[0] for _ in range(50))
        line("shell loop of single acsid calls (50, extrapolated)", N, single * N / 50)
        line(
            "README pipeline: create | issue | revoke | delete, default pace",
            PIPELINE,
            pipeline(env),
            "(the emulator says it does not throttle)",
        )

        with tempfile.TemporaryDirectory() as folder:
            print("\npeak memory of `acsid user delete --user - --yes --rate 0` with ids on stdin:")
            for count in (1_000, 100_000):
                ids = os.path.join(folder, f"{count}.txt")
                with open(ids, "w") as file:
                    file.writelines(
                        f"8:acs:{DEFAULT_RESOURCE_ID}_{n:08x}-0000-0000-0000-003a0d000000\n"
                        for n in range(10**8, 10**8 + count)
                    )
                seconds, kib = timed(
                    [*ACSID, "user", "delete", "--user", "-", "--yes", "--rate", "0", "-o", "none"], env, stdin=ids
                )
                line(f"{count:,} ids", count, seconds, f"peak {kib / 1024:.1f} MiB")

    with run_emulator("--throttle", "service") as throttled:
        env = {**os.environ, "AZURE_COMMUNICATION_CONNECTION_STRING": throttled.connection_string}
        print("\nagainst `acsid emulator --throttle service` (1,000 creates per 30 s), at acsid's default pace:")
        seconds, _ = timed([*ACSID, "user", "create", "--count", "2000", "-o", "none"], env)
        statuses = [entry["status"] for entry in throttled.requests()]
        line(
            "acsid user create --count 2000",
            statuses.count(201),
            seconds,
            f"({statuses.count(429)} answered 429, {len(throttled.identities())} identities in the emulator)",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
