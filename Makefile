# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test tools samples bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@# an editable install compiles nothing, and PYTHONDONTWRITEBYTECODE=1 (set on some machines) stops
	@# Python writing .pyc at run time: every `docaudit` start would compile the package (~0.3 s)
	$(BIN)/python -m compileall -q docaudit
	@touch $(STAMP)

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
	rm -rf $(VENV) samples/.docaudit .pytest_cache
