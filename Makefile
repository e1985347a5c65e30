# Two commands do everything on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test accuracy bench samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-store
	$(BIN)/ofstl ingest samples --store demo-store
	$(BIN)/ofstl timeline hillingdon --store demo-store

test: $(STAMP)
	$(BIN)/python -m pytest $(TESTS)

accuracy: $(STAMP)
	$(BIN)/python -m tests.accuracy $(SHARED)/corpus

bench: $(STAMP)
	$(BIN)/python -m tests.bench $(SHARED)/corpus

samples: $(STAMP)
	$(BIN)/python samples/make_pdfs.py

clean:
	rm -rf $(VENV) demo-store bench-out .pytest_cache
