# Two commands do everything on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test accuracy bench samples clean themes-eval

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-store
	$(BIN)/ofstl ingest samples --store demo-store
	$(BIN)/ofstl timeline hillingdon --store demo-store
	@echo
	@echo "The demo store is ./demo-store. Use it with --store demo-store, or for this shell:"
	@echo "  export OFSTL_STORE=$$PWD/demo-store"
	@echo "then: .venv/bin/ofstl timeline hounslow   .venv/bin/ofstl diff hillingdon   .venv/bin/ofstl list"

test: $(STAMP)
	$(BIN)/python -m pytest $(TESTS)

accuracy: $(STAMP)
	$(BIN)/python -m tests.accuracy $(SHARED)/corpus

# The theme tagger on its fresh test set (never used for tuning), the 5,098 real items and the corpus store.
themes-eval: $(STAMP)
	$(BIN)/python -m tests.themes_eval $(SHARED)

bench: $(STAMP)
	$(BIN)/python -m tests.bench $(SHARED)/corpus

samples: $(STAMP)
	$(BIN)/python samples/make_pdfs.py

clean:
	rm -rf $(VENV) demo-store bench-out .pytest_cache
