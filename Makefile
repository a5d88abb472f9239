# letterkit: the two commands a fresh Debian machine needs are `make letter` and `make test`.
# Both install what is missing first (apt, as root or through sudo): the HarfBuzz subsetting
# library WeasyPrint uses; for the tests also the judges they call, Grammalecte (French
# grammar), LibreOffice (lays out the DOCX and ODT) and poppler-utils; then a virtual
# environment in .venv with letterkit in it.

VENV   ?= .venv
PYTHON ?= python3
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
BIN    := $(VENV)/bin

.PHONY: letter test lint messages setup system test-system packages clean

letter: setup
	$(BIN)/letterkit compose --assoc ARPE --themes mediation --date 2026-03-01 --force

# The suite runs on two worker processes (pytest-xdist); the slow test (the wheel installed
# with its dependencies in a fresh venv: mostly waiting on pip) runs beside it, not after it.
test: test-system setup
	@$(BIN)/pytest -q -m slow -p no:cacheprovider > .pytest-slow.log 2>&1 & slow=$$!; \
	$(BIN)/pytest -n 2 -m "not slow"; status=$$?; \
	if wait $$slow; then tail -n 1 .pytest-slow.log; else cat .pytest-slow.log; status=1; fi; \
	rm -f .pytest-slow.log; exit $$status

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# The interface's French: extract the marked strings (babel.cfg) into letterkit.pot, bring
# fr/letterkit.po in step, compile letterkit.mo (committed: the wheel ships it). Translate
# the new strings of letterkit.po, then run it again.
messages: setup
	$(BIN)/python scripts/messages.py

setup: system $(VENV)/.installed

# Debian packages: each installed once, only if missing.
SYSTEM_PACKAGES      := libharfbuzz-subset0
TEST_SYSTEM_PACKAGES := python3-grammalecte libreoffice-writer-nogui poppler-utils

system:
	@$(MAKE) --no-print-directory packages PACKAGES="$(SYSTEM_PACKAGES)"

test-system:
	@$(MAKE) --no-print-directory packages PACKAGES="$(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)"

packages:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[test]"
	$(BIN)/python -m compileall -q src  # bytecode even where PYTHONDONTWRITEBYTECODE is set
	touch $@

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
