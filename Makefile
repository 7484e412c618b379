# Two entry points, each doing its own set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OUTPUT ?= output

.PHONY: run test lint bench fixtures clean bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,report,dask,lint,cluster,export]'
	$(PY) -m compileall -q clippings
	touch $(STAMP)

## The package's .pyc files, as a pip install writes them: an editable install writes none, and
## with PYTHONDONTWRITEBYTECODE set each command would compile every module again. Only modules
## changed since are rewritten; Python checks each .pyc against its source, so none is stale.
bytecode: $(STAMP)
	@$(PY) -m compileall -q clippings

## Crawl every site offline from fixtures/ into output/ and print a summary.
run: bytecode
	$(VENV)/bin/clippings crawl all --replay fixtures --output $(OUTPUT)

## The whole test suite, after the lint.
test: lint bytecode
	$(PY) -m pytest -q

## The import contracts (the doors one way, no cycle, Scrapy only in crawl/; pyproject.toml) and ruff.
lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check clippings tests bench
	$(VENV)/bin/ruff format --check clippings tests bench

## Rebuild the generated fixtures under fixtures/ from fixtures/_build/ (every page checked
## first; a failed check writes nothing). CHECK=1 checks only. `git status` shows what changed.
fixtures: $(STAMP)
	$(PY) fixtures/_build/build.py $(if $(CHECK),--check)

## Benchmarks (figures, not pass/fail).
bench: bytecode
	$(PY) bench/extraction.py
	$(PY) bench/heldout_bodies.py --pages $${PAGES:-2000}
	$(PY) bench/dates.py
	$(PY) bench/throughput.py --pages $${PAGES:-2000} --rounds $${ROUNDS:-5}
	$(PY) bench/reextract.py --pages $${PAGES:-2000} --rounds $${ROUNDS:-5}
	$(PY) bench/export.py --articles $${ARTICLES:-10000}

clean:
	rm -rf $(VENV) build *.egg-info
