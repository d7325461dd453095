# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := build

.PHONY: demo test bench install install-test browser notebook clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The browser tests drive Debian's Chromium (never a downloaded browser) and need a CJK font to draw Chinese labels.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-wqy-microhei; fi

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed | browser
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/kg build seeds --out $(OUT)
	@echo
	@echo "Investments stated for projects and for places' batches of projects, largest first (kg query $(OUT)/graph.ttl --name projects-by-investment):"
	@$(BIN)/kg query $(OUT)/graph.ttl --name projects-by-investment

# Runs notebooks/explore.ipynb headless on KG_INPUT (a folder of reports; seeds/ by default) into KG_OUT
notebook: install-test
	KG_INPUT="$(KG_INPUT)" KG_OUT="$(or $(KG_OUT),$(OUT))" $(BIN)/python tools/run_notebook.py

test: install-test
	$(BIN)/python -m pytest -q

# Whole-command timings (bench/whole.py): kg build against bare jieba.lcut, -j 1 against -j 2 and Dask.
# KG_BENCH_CORPUS=FOLDER (default: ../shared/corpus unpacked), KG_BENCH_REPORTS (300), KG_BENCH_RUNS (3)
bench: install-test
	$(BIN)/python bench/whole.py

clean:
	rm -rf $(OUT) .pytest_cache
