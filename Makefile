# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install
# exactly what requirements/lock.txt pins (hashes checked), so a dependency's new release never
# changes what a fresh clone gets. `make lock` refreshes the lock on purpose; `make test-latest`
# runs the suite on the newest releases our ranges allow, in a venv of its own.
PYTHON ?= python3
VENV   := .venv
ifeq ($(OS),Windows_NT)
BIN    := $(VENV)/Scripts
else
BIN    := $(VENV)/bin
endif
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements/lock.txt
EXTRAS := dev,postgres
UV     := uv==0.13.9

.PHONY: demo test tools samples bench clean lock test-latest

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	@# the build backend comes from the lock too (no isolated build fetching the newest setuptools)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@# an editable install compiles nothing, and PYTHONDONTWRITEBYTECODE=1 (set on some machines) stops
	@# Python writing .pyc at run time: every `docaudit` start would compile the package (~0.3 s)
	$(BIN)/python -m compileall -q docaudit
	@touch $(STAMP)

## Refresh the lock to the newest releases pyproject.toml allows (then run `make test` and commit it).
lock: $(STAMP)
	$(BIN)/python -m pip install -q $(UV)
	$(BIN)/python -m uv pip compile pyproject.toml requirements/build.in --extra dev --extra postgres \
	  --universal --python-version 3.11 --generate-hashes --no-header --upgrade -o $(LOCK)

## The suite on the newest releases (not the lock), in .venv-latest: a dependency that breaks us
## shows up here as a named failure, before it reaches the lock.
test-latest: tools
	@test -x .venv-latest/bin/python || $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install -q --upgrade pip setuptools wheel
	.venv-latest/bin/python -m pip install -q --upgrade --upgrade-strategy eager -e ".[$(EXTRAS)]"
	@.venv-latest/bin/python -m pip freeze --exclude-editable > .venv-latest/versions.txt
	@echo "test-latest: newer than the lock:"; \
	  .venv-latest/bin/python requirements/drift.py $(LOCK) .venv-latest/versions.txt || true
	.venv-latest/bin/python -m pytest -q

## Scan the bundled sample audit folder with its demo trust root (results in samples/.docaudit/).
demo: $(STAMP)
	$(BIN)/docaudit scan samples --trust samples/trust/root.pem --period 2021-01-01..2021-06-30
	@echo; echo "--- docaudit check: a clerk's checklist before sending (exit 1 = the document has errors)"
	-$(BIN)/docaudit check samples/check/dau-lech-vi-tri.pdf samples/check/sha1-khoa-1024.pdf --trust samples/trust/root.pem

## Run the whole test suite (installs poppler's pdfsig for the cross-check when it can).
test: $(STAMP) tools
	$(BIN)/python -m pytest -q

## External tools used by tests: poppler-utils (pdfsig), chromium + chromium-driver (HTML report test).
tools:
	@command -v pdfsig >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	      || echo "make: could not install poppler-utils; the pdfsig cross-check will say why it cannot run"; \
	  else echo "make: pdfsig not found and cannot install it here; the pdfsig cross-check will say why it cannot run"; fi; }
	@{ test -x /usr/bin/chromium && test -x /usr/bin/chromedriver; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "make: could not install chromium and chromium-driver; the browser test will say why it cannot run"; \
	  else echo "make: chromium/chromedriver not found and cannot install them here; the browser test will say why it cannot run"; fi; }

## Regenerate samples/ deterministically (needs the dev extra: reportlab, Pillow).
samples: $(STAMP)
	$(BIN)/python samples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .venv-latest samples/.docaudit .pytest_cache
