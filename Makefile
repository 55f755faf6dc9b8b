# The README's two commands: `make demo` and `make test`. Both set everything up themselves.
VENV ?= .venv
PY := $(VENV)/bin/python
PEELSTAT := $(VENV)/bin/peelstat
DEMO_WAREHOUSE ?= demo/warehouse.duckdb

.PHONY: demo test setup lint bench gallery clean

$(VENV)/.installed: pyproject.toml
	bash scripts/setup.sh $(VENV)
	touch $@

setup: $(VENV)/.installed

## demo: build a synthetic national warehouse and print a performance-report table
demo: setup
	$(PEELSTAT) demo --warehouse $(DEMO_WAREHOUSE)

## test: install everything (Java for Spark, PostgreSQL server) and run lint, types and all tests
test: setup
	bash scripts/test.sh $(VENV)

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy

bench: setup
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/measures.py
	$(PY) benchmarks/reports.py

## gallery: the report pages shown in docs/reports.md, from a SYNTHETIC warehouse (docs/gallery/*.png)
gallery: setup
	$(PY) scripts/gallery.py docs/gallery

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
