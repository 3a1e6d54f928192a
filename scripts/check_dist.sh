#!/usr/bin/env bash
# What a user who installs the built wheel gets: build the sdist and wheel, check their metadata with
# twine, install the wheel into a fresh venv (no source tree on sys.path), then `acsid --version` and a
# round trip against the installed emulator. Run by `make dist-check` and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
trap 'kill "${emulator_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

rm -rf dist
"$python" -m build --sdist --wheel --outdir dist . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$python" -m twine check --strict dist/*
wheel=$(ls dist/*.whl)

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
cd "$work"  # nothing of the clone on sys.path from here on
acsid="$work/venv/bin/acsid"
"$acsid" --version

"$acsid" emulator --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 300); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
connection_string=$(head -n 1 "$work/emulator.out")
[ -n "$connection_string" ] || { echo "the installed emulator did not start:"; cat "$work/emulator.err"; exit 1; }
export AZURE_COMMUNICATION_CONNECTION_STRING=$connection_string
user=$("$acsid" user create -o tsv --query rawId)
"$acsid" token issue --user "$user" --scope chat -o tsv --query user_id | grep -qx "$user"
"$acsid" user delete --user "$user" --yes
# The web console's page comes from the wheel's package data: each of its files is served.
console=$(sed -n 's|^console: \(http://[^/]*\)/#token=.*|\1|p' "$work/emulator.err")
[ -n "$console" ] || { echo "the installed emulator printed no console address:"; cat "$work/emulator.err"; exit 1; }
for file in / /console.js /console.css /favicon.svg; do
  "$work/venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10)' "$console$file"
done
echo "dist: $(cd "$OLDPWD" && ls dist | tr '\n' ' ')installs and round-trips"
