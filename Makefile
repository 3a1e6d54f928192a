# Every target creates .venv when it is missing, so a fresh clone needs only Python 3 and make.
# `make demo` installs what acsid needs at run time; `make test` and `make lint` add the test tools.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ACSID  := $(VENV)/bin/acsid
# Editable installs in "compat" mode put the source folder on sys.path: no import hook to pay at start-up.
EDITABLE := --config-settings editable_mode=compat

.DEFAULT_GOAL := help
.PHONY: help install demo test lint check dist dist-check completions docs bench screenshot imports

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml acsid_cli/__init__.py | $(PY)  # the version is read from __init__.py
	$(PY) -m pip install --quiet -e . $(EDITABLE)
	$(PY) -m compileall -q acsid_cli  # as pip does for a regular install; start-up reads the .pyc files
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install --quiet -e '.[test]' $(EDITABLE)
	touch $@

install: $(VENV)/.runtime  ## create .venv and install acsid (run .venv/bin/acsid, or source .venv/bin/activate)

demo: $(VENV)/.runtime  ## start the emulator and tour create → issue → revoke → delete
	$(PY) scripts/demo.py

# Two workers (pytest-xdist), one a core, each with its own session fixtures (emulators, the browser); a worker
# that runs out takes tests the other has not started (worksteal), so both end together. A developer's
# `pytest tests/x.py` runs in one process. pytest keeps its assertion rewriting of the tests and of the packages
# that are pytest plugins (hypothesis, acsid) in __pycache__: where PYTHONDONTWRITEBYTECODE is set, each worker
# would redo it (2 s of CPU), and each pytester run its share.
test: $(VENV)/.test  ## run the whole test suite
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n 2 --dist worksteal

lint: $(VENV)/.test  ## ruff (rules and format), and mypy: strict over the package, every body of the tests checked
	$(VENV)/bin/ruff check acsid_cli tests scripts
	$(VENV)/bin/ruff format --check acsid_cli tests scripts
	$(VENV)/bin/mypy

check: lint test  ## lint, then the whole test suite: what CI runs

dist: $(VENV)/.test  ## build the sdist and wheel into dist/
	rm -rf dist
	$(PY) -m build --sdist --wheel --outdir dist .

dist-check: $(VENV)/.test  ## build, twine check, install the wheel in a fresh venv, round-trip its emulator
	PYTHON=$(PY) scripts/check_dist.sh

completions: $(VENV)/.runtime  ## regenerate completions/ from the app (zsh needs #compdef on the first line)
	_ACSID_COMPLETE=source_bash $(ACSID) | sed '/./,$$!d' > completions/acsid.bash
	_ACSID_COMPLETE=source_zsh $(ACSID) | sed '/./,$$!d' > completions/_acsid
	_ACSID_COMPLETE=source_fish $(ACSID) | sed '/./,$$!d' > completions/acsid.fish

docs: $(VENV)/.runtime  ## regenerate the command reference in README.md from --help
	$(PY) scripts/gen_reference.py

bench: $(VENV)/.test  ## start-up and peak memory side by side with az and the SDK; emulator throughput
	$(PY) -m compileall -q acsid_cli
	$(PY) scripts/bench.py

screenshot: $(VENV)/.test  ## the web console in Debian's headless Chromium, into docs/console.png
	$(PY) scripts/screenshot_console.py

imports: $(VENV)/.runtime  ## which of acsid's modules a run of each command imports
	$(PY) scripts/imports.py
