"""`make bench`: how fast acsid starts and answers, and how many signed requests the emulator serves.

A script, not a timed test: numbers depend on the machine, so they are reported, not asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from acsid_cli.emulator.process import run_emulator

RUNS = 15
AZ_REFERENCE = {"--help": 0.45, "token issue": 0.61}  # az 2.91 medians on a 2-vCPU machine (reference notes)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def report(label: str, argv: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    timed(argv, env)  # warm the page cache
    samples = sorted(timed(argv, env) for _ in range(runs))
    median = statistics.median(samples)
    print(f"  {label:<44} median {median * 1000:6.0f} ms   best {samples[0] * 1000:6.0f} ms   (n={runs})")
    return median


def loaded_modules(args: list[str]) -> set[str]:
    code = ("import sys; from acsid_cli.cli.app import app\n"
            "try:\n    app(" + repr(args) + ")\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split("\n")[-2]
    return set(out.split())


def main() -> int:
    python = sys.executable
    env = dict(os.environ)
    print("start-up (no network):")
    report("python -c 'import typer' (the floor)", [python, "-c", "import typer"], env)
    report("acsid --version", [python, "-m", "acsid_cli", "--version"], env)
    help_time = report("acsid --help", [python, "-m", "acsid_cli", "--help"], env)
    print(f"  {'az communication identity --help':<44} median {AZ_REFERENCE['--help'] * 1000:6.0f} ms   (reference)")
    heavy = {"requests", "rich", "keyring", "jmespath", "cryptography", "urllib3"}
    print(f"  heavy modules imported by --version: {sorted(loaded_modules(['--version']) & heavy) or 'none'}")

    with run_emulator() as emulator:
        env["AZURE_COMMUNICATION_CONNECTION_STRING"] = emulator.connection_string
        print(f"\nend to end against the emulator ({emulator.endpoint}):")
        report("acsid user create", [python, "-m", "acsid_cli", "user", "create"], env, runs=10)
        issue = report("acsid token issue --scope chat", [python, "-m", "acsid_cli", "token", "issue", "--scope",
                                                           "chat"], env, runs=10)
        print(f"  {'az ... token issue --user (loopback stub)':<44} median {AZ_REFERENCE['token issue'] * 1000:6.0f}"
              " ms   (reference)")
    print(f"\nacsid --help is {AZ_REFERENCE['--help'] / help_time:.1f}x faster than az's; "
          f"token issue {AZ_REFERENCE['token issue'] / issue:.1f}x.")

    print("\nemulator throughput:")
    sys.stdout.flush()
    return subprocess.run([python, str(Path(__file__).with_name("bench_emulator.py"))]).returncode


if __name__ == "__main__":
    sys.exit(main())
