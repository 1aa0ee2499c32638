# Council Commons — every target sets up .venv first (quick when nothing changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup serve build preview validate test bench lint browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

validate: setup
	$(BIN)/commons validate

build: setup
	$(BIN)/commons build

preview: setup
	$(BIN)/commons build --preview preview

serve: setup
	$(BIN)/commons serve --host $(HOST) --port $(PORT)

browser:
	@bash scripts/install-chromium.sh

test: setup browser
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: setup browser
	$(BIN)/python -m commons.bench

clean:
	rm -rf site preview .site-* .cache
