# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := build

.PHONY: demo test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/kg build seeds --out $(OUT)
	@echo
	@echo "Projects with a stated investment, largest first (kg query $(OUT)/graph.ttl --name projects-by-investment):"
	@$(BIN)/kg query $(OUT)/graph.ttl --name projects-by-investment

test: install-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(OUT) .pytest_cache
