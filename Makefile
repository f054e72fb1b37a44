# Two entry points: `make app` serves the explainer, `make test` runs the whole suite.
# Installs are skipped while the stamp files in .venv are newer than the requirements.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
# axe-core (npm, pinned by package-lock.json): the browser tests audit every page with it
AXE := node_modules/axe-core/axe.min.js
PORT ?= 8501
# numpy's BLAS on one thread per process: the app runs its own two-thread SVD pool, and
# the matrices here (H x H, H <= 128) are too small for BLAS threads to pay
export OPENBLAS_NUM_THREADS := 1
# the suite on both cores (pytest-xdist; four workers were tried: no faster, and browser checks
# timed out under the contention), a test file per worker so each file's served app and browser
# pages start once, in the order tests/conftest.py sets (heaviest first; xdist would otherwise
# sort files by test count); `make test PYTEST_ARGS=...` runs what you pass
PYTEST_ARGS ?= -n 2 --dist loadfile --no-loadscope-reorder
# kaleido (slide export) drives Debian's Chromium
export BROWSER_PATH ?= $(CHROMIUM)
# root installs system packages directly; anyone else goes through sudo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: app dev serve test lint venv chromium nginx node clean
.DELETE_ON_ERROR:

app: chromium $(VENV)/.installed-runtime
	$(BIN)/streamlit run Home.py --server.port $(PORT)

# a developer's server: reloads when a file is saved (the config serves a class instead)
dev: chromium $(VENV)/.installed-runtime
	$(BIN)/streamlit run Home.py --server.port $(PORT) \
		--server.fileWatcherType auto --server.runOnSave true

# a class: one streamlit replica per core behind nginx on $(PORT) (python -m explainer.serve -h)
serve: chromium nginx $(VENV)/.installed-runtime
	$(BIN)/python -m explainer.serve --port $(PORT) $(SERVE_ARGS)

test: chromium nginx $(AXE) $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ -n "$(PYTEST_RC_FILE)" ]; then echo $$rc > "$(PYTEST_RC_FILE)"; fi; exit $$rc

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

venv: $(BIN)/python

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		$(APT) update && $(APT) install -y chromium; \
	fi

nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		$(APT) update && $(APT) install -y nginx-light; \
	fi

node:
	@if ! command -v npm >/dev/null; then \
		$(APT) update && $(APT) install -y npm; \
	fi

# npm ci installs exactly the lock file's versions; rerun when it changes
$(AXE): package.json package-lock.json | node
	npm ci --no-audit --no-fund
	touch $@

# a bare Debian python3 lacks ensurepip until python3-venv is installed
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { \
		rm -rf $(VENV) && $(APT) update && $(APT) install -y python3-venv && \
		$(PYTHON) -m venv $(VENV); }

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# the dev set includes the runtime set, so it refreshes both stamps
$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $(VENV)/.installed-runtime $@

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-results
