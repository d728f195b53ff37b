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
	@touch $(STAMP)

## Scan the bundled sample audit folder with its demo trust root (results in samples/.docaudit/).
demo: $(STAMP)
	$(BIN)/docaudit scan samples --trust samples/trust/root.pem --period 2021-01-01..2021-06-30

## Run the whole test suite (installs poppler's pdfsig for the cross-check when it can).
test: $(STAMP) tools
	$(BIN)/python -m pytest -q

## Optional external tools used by tests: poppler-utils (pdfsig).
tools:
	@command -v pdfsig >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	      || echo "make: could not install poppler-utils; the pdfsig cross-check will say why it cannot run"; \
	  else echo "make: pdfsig not found and cannot install it here; the pdfsig cross-check will say why it cannot run"; fi; }

## Regenerate samples/ deterministically (needs the dev extra: reportlab, Pillow).
samples: $(STAMP)
	$(BIN)/python samples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) samples/.docaudit .pytest_cache
