# Every target creates .venv when it is missing, so a fresh clone needs only Python 3 and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ACSID  := $(VENV)/bin/acsid

.DEFAULT_GOAL := help
.PHONY: help install demo test lint completions docs bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install acsid with its test tools

demo: install  ## start the emulator and tour create → issue → revoke → delete
	$(PY) scripts/demo.py

test: install  ## run the whole test suite
	$(PY) -m pytest

lint: install  ## ruff, and mypy --strict over the package
	$(VENV)/bin/ruff check acsid_cli tests scripts
	$(VENV)/bin/mypy

completions: install  ## regenerate completions/ from the app
	_ACSID_COMPLETE=source_bash $(ACSID) > completions/acsid.bash
	_ACSID_COMPLETE=source_zsh $(ACSID) > completions/_acsid
	_ACSID_COMPLETE=source_fish $(ACSID) > completions/acsid.fish

docs: install  ## regenerate the command reference in README.md from --help
	$(PY) scripts/gen_reference.py

bench: install  ## start-up time of the CLI and the emulator's requests per second
	$(PY) scripts/bench.py
