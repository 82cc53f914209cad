# The two commands of the README:
#   make book   build the book into _build/html (creates .venv and installs everything first)
#   make test   run every test: lint, unit/property/doctests, nbval, book build, browser
# Everything installs into ./.venv from constraints.txt (exact versions), so a fresh
# machine with only Python 3.11, pip and make reproduces CI.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: book execute-cache test lint unit notebooks browser lab execute lock bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip>=24"
	$(PIP_INSTALL) -c constraints.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (mlecourse)" > /dev/null
	touch $(STAMP)

NOTEBOOKS := $(wildcard book/chapters/*.ipynb book/appendix/*.ipynb)
JCACHE    := _build/.jupyter_cache

## book: build the HTML book into _build/html (notebooks executed through the cache)
book: $(STAMP) execute-cache
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going

# Fill the book's execution cache on both cores (the build itself executes one notebook at a
# time). Unchanged notebooks are skipped; one that fails here is re-run by the build, where
# execute.raise_on_error makes it fail loudly.
execute-cache: $(STAMP)
	yes | $(BIN)/jcache notebook -p $(JCACHE) add $(NOTEBOOKS) > /dev/null
	$(BIN)/jcache project -p $(JCACHE) execute --executor local-parallel --timeout 600 -v WARNING

## test: everything CI checks, in the order that fails fastest
test: lint unit notebooks book browser

lint: $(STAMP)
	$(BIN)/ruff check mlecourse tests benchmarks book tools
	$(BIN)/ruff format --check mlecourse tests benchmarks book tools

# Two workers: the machine (and CI) has two cores. Hypothesis and TensorFlow tests dominate.
unit: $(STAMP)
	$(BIN)/python -m pytest -m "not browser" -q -n 2 --dist loadfile

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
		-o addopts="" -q -n 2 --dist loadfile book

browser: $(STAMP)
	$(BIN)/python -m pytest -m browser -q -n 2 tests/browser

## lab: open the notebooks in JupyterLab, with the kernel that sees mlecourse
# JupyterLab refuses to start as root ("Running as root is not recommended"), which is what
# a container runs as: allow it only when the user really is root. LAB_ARGS passes extra
# options (the JupyterLab browser test adds a port and a token); LAB_DIR is the folder shown.
LAB_DIR  ?= book/chapters
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab $(strip $(LAB_ROOT) $(LAB_ARGS)) $(LAB_DIR)

## execute: re-run notebooks in place, store outputs without stderr (NB=path for just one)
NB ?= $(NOTEBOOKS)
execute: $(STAMP)
	$(BIN)/python tools/execute_notebook.py $(NB)

## lock: refresh constraints.txt from the current environment
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)==' > constraints.txt

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_losses.py

clean:
	rm -rf _build $(VENV)
