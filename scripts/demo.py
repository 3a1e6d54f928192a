"""`make demo`: start the emulator on a free port and walk acsid through create → issue → revoke → delete."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from acsid_cli.emulator.process import run_emulator


def main() -> int:
    with run_emulator() as emulator:
        env = {**os.environ, "AZURE_COMMUNICATION_CONNECTION_STRING": emulator.connection_string, "COLUMNS": "120"}
        env.pop("ACSID_PROFILE", None)

        def acsid(*args: str, show: bool = True) -> str:
            if show:
                print(f"\n$ acsid {shlex.join(args)}", flush=True)
            done = subprocess.run([sys.executable, "-m", "acsid_cli", *args], env=env, capture_output=True, text=True)
            if show:
                sys.stdout.write(done.stdout + done.stderr)
            if done.returncode != 0:
                raise SystemExit(f"demo failed: acsid {shlex.join(args)} exited {done.returncode}:\n{done.stderr}")
            return done.stdout.strip()

        print(f"acsid demo against the local emulator at {emulator.endpoint}")
        print("(AZURE_COMMUNICATION_CONNECTION_STRING points at it; its key is the emulator's well-known one)")

        print("\n# 1. Create an identity")
        user = acsid("user", "create", "-o", "tsv", "--query", "rawId")

        print("\n# 2. Issue a chat + voip token for it, valid 60 minutes (the table leaves the long token out)")
        acsid(
            "token",
            "issue",
            "--scope",
            "chat",
            "voip",
            "--user",
            user,
            "--expires-in",
            "60",
            "-o",
            "table",
            "--query",
            "{user_id: user_id, expires_on: expires_on}",
        )
        token = acsid(
            "token",
            "issue",
            "--scope",
            "chat",
            "voip",
            "--user",
            user,
            "--expires-in",
            "60",
            "-o",
            "tsv",
            "--query",
            "token",
            show=False,
        )
        print(f"\n$ TOKEN=$(acsid token issue --scope chat voip --user {user} --expires-in 60 -o tsv --query token)")
        print(f"  the emulator says this token is: {emulator.validate(token)['status']}")

        print("\n# 3. A new identity and its token in one request (no --user)")
        second_user = acsid("token", "issue", "--scope", "chat", "-o", "tsv", "--query", "user_id")

        print("\n# 4. Revoke the tokens of the first identity")
        acsid("token", "revoke", "--user", user, "--yes")
        print(f"  the emulator now says $TOKEN is: {emulator.validate(token)['status']}")

        print("\n# 5. Delete both identities")
        acsid("user", "delete", "--user", user, "--yes")
        acsid("user", "delete", "--user", second_user, "--yes")
        alive = [i["id"] for i in emulator.identities() if not i["deleted"]]
        print(f"\nidentities left in the emulator: {len(alive)}")
    print("\nemulator stopped. That was the tour: see README.md for more.")
    print("acsid is .venv/bin/acsid; to type plain `acsid`, run: source .venv/bin/activate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
