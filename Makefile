# The two commands of the README:
#   make book   build the book into _build/html (creates .venv and installs everything first)
#   make test   run every test: lint, unit/property/doctests (with the PyTorch re-runs, so it
#               also installs torch, test-only), nbval natively and at NumPy's baseline SIMD,
#               book build, browser
# Everything installs into ./.venv from constraints.txt (exact versions), so a fresh
# machine with only Python 3.11, pip and make reproduces CI.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: book execute-cache test lint wheel-check unit torch notebooks notebooks-baseline browser lab \
	execute lock lock-check bench clean pdf pdf-check

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip>=24"
	$(PIP_INSTALL) -c constraints.txt -e ".[test]"
	$(BIN)/python tools/install_kernel.py > /dev/null
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
# pdf comes before unit: tests/test_pdf.py is part of the unit run, and under CI it fails
# when the PDF is missing.
test: lint wheel-check pdf pdf-check unit notebooks notebooks-baseline book browser

## lint: ruff (style; on the package also docstrings and type hints) and mypy (the package)
lint: $(STAMP)
	$(BIN)/ruff check mlecourse tests benchmarks book tools
	$(BIN)/ruff format --check mlecourse tests benchmarks book tools
	$(BIN)/mypy

## wheel-check: build sdist and wheel, install the wheel alone (NumPy core, no TensorFlow) into a
## fresh venv, and import a loss and a solution from it, outside the source tree
define WHEEL_CHECK
import importlib.metadata, importlib.util, pathlib, sys
import mlecourse
from mlecourse.losses import binary_cross_entropy
from mlecourse.solutions import ch04
for module in (mlecourse, ch04):
    path = pathlib.Path(module.__file__)
    assert path.is_relative_to(sys.prefix), f"{module.__name__} imported from {path}, not the wheel"
assert importlib.util.find_spec("tensorflow") is None, "the runtime dependencies pulled in TensorFlow"
meta = importlib.metadata.metadata("mlecourse")
assert meta["License-Expression"] == "MIT", meta["License-Expression"]
files = {f.name for f in importlib.metadata.files("mlecourse")}
assert {"LICENSE", "py.typed", "explorable.js"} <= files, f"LICENSE, py.typed or explorable.js missing from the wheel: {sorted(files)}"
from mlecourse.check import exercises
assert len(exercises()) >= 30, "the wheel lacks the exercise checkers"
bce = float(binary_cross_entropy([1.0], [0.0], from_logits=True))
assert abs(bce - 0.6931471805599453) < 1e-15, bce  # log 2
print(f"wheel check: mlecourse {mlecourse.__version__} (License-Expression MIT) imports "
      f"losses and solutions.ch04 from {pathlib.Path(mlecourse.__file__).parent} without TensorFlow")
endef
export WHEEL_CHECK
wheel-check: $(STAMP)
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(BIN)/python -m build --installer uv --outdir "$$tmp/dist" . > "$$tmp/build.log" 2>&1 \
		|| { cat "$$tmp/build.log"; exit 1; }; \
	$(BIN)/uv venv --quiet --python $(BIN)/python "$$tmp/venv"; \
	$(BIN)/uv pip install --quiet --python "$$tmp/venv/bin/python" -c constraints.txt \
		"$$tmp"/dist/mlecourse-*.whl; \
	cd "$$tmp" && venv/bin/python -c "$$WHEEL_CHECK"

## torch: PyTorch 2.13.0 into .venv, for tests/torch (the re-runs of the book's PyTorch values)
# Test-only: not a dependency of the package, of `make book`, pyproject.toml or constraints.txt
# (PyPI's default torch is a CUDA build of several GB). The CPU wheel comes from the pip
# configuration's index or find-links; -c constraints.txt keeps torch's own dependencies
# (sympy, jinja2, ...) at the locked versions.
TORCH := $(VENV)/.torch
$(TORCH): $(STAMP)
	$(PIP_INSTALL) -c constraints.txt torch==2.13.0
	$(BIN)/python -c "import torch; print('torch', torch.__version__)"
	touch $@
torch: $(TORCH)

# Two workers: the machine (and CI) has two cores. Hypothesis and TensorFlow tests dominate.
unit: $(STAMP) $(TORCH)
	$(BIN)/python -m pytest -m "not browser" -q -n 2 --dist loadfile

NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
	-o addopts="" -q -n 2 --dist loadfile book

notebooks: $(STAMP)
	$(NBVAL)

## notebooks-baseline: strict nbval again, NumPy limited to its baseline SIMD and oneDNN off
# A stored output must hold on any CPU: NPY_DISABLE_CPU_FEATURES gets every SIMD group above
# NumPy's baseline that this CPU has (computed by tools/numpy_baseline.py, which then verifies
# that NumPy honours it), and TF_ENABLE_ONEDNN_OPTS=0 turns oneDNN off.
notebooks-baseline: $(STAMP)
	@set -e; groups="$$(env -u NPY_DISABLE_CPU_FEATURES $(BIN)/python tools/numpy_baseline.py)"; \
	export NPY_DISABLE_CPU_FEATURES="$$groups" TF_ENABLE_ONEDNN_OPTS=0; \
	$(BIN)/python tools/numpy_baseline.py --verify; \
	$(NBVAL)

browser: $(STAMP)
	$(BIN)/python -m pytest -m browser -q -n 2 tests/browser

## pdf: the whole book as one PDF, _build/latex/mlecourse.pdf (TeX from Debian: CONTRIBUTING.md)
# Sphinx's LaTeX builder with Jupyter Book's class (the notebooks come from the same execution
# cache as `make book`: nothing executed twice), then XeLaTeX through latexmk (Sphinx's latexmkrc). Its output is
# long; it goes to _build/latex/latexmk.log and is shown only when LaTeX fails. Without the
# Debian tools, `make test` outside CI skips the PDF (as the browser test skips without
# Chromium); `make pdf` itself, or CI, fails.
PDF       := _build/latex/mlecourse.pdf
PDF_TOOLS := xelatex latexmk rsvg-convert pdftotext
PDF_SKIP  := $(if $(filter test,$(MAKECMDGOALS)),$(if $(filter true,$(CI)),,yes))
pdf: $(STAMP) execute-cache
	@set -e; missing=""; for tool in $(PDF_TOOLS); do \
		command -v $$tool > /dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "pdf: not installed:$$missing (CONTRIBUTING.md, The PDF)"; \
		[ -n "$(PDF_SKIP)" ] && { echo "pdf: skipped (make test outside CI)"; exit 0; }; \
		exit 1; fi; \
	$(BIN)/jupyter-book build . --builder latex -W -n --keep-going; \
	cd _build/latex; \
	latexmk -pdf -dvi- -ps- -interaction=nonstopmode -halt-on-error mlecourse.tex \
		> latexmk.log 2>&1 || { tail -n 60 latexmk.log; exit 1; }; \
	pdfinfo mlecourse.pdf | awk '/^Pages:/ {p = $$2} /^File size:/ {b = $$3} \
		END {printf "pdf: $(PDF): %d pages, %.1f MB\n", p, b / 1e6}'

## pdf-check: the PDF's text (pdftotext) holds every chapter, theorem and the bibliography, no
## raw MyST, no line cut at the margin, and LaTeX's log no unresolved reference (tests/test_pdf.py)
pdf-check: $(STAMP)
	$(BIN)/python -m pytest -q -o addopts="-p no:cacheprovider" tests/test_pdf.py

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

## lock: resolve constraints.txt from pyproject.toml (the `test` extra, any Python 3.11, Linux x86-64)
# uv keeps every version already pinned in constraints.txt that still satisfies pyproject, so a
# new dependency changes only what it needs; `make lock UPGRADE=--upgrade` moves everything to
# the newest allowed versions (`UPGRADE="--upgrade-package numpy"` just one). The uv that
# resolves is the one pinned in constraints.txt, so the lock reproduces.
UPGRADE   ?=
UV_PIN    := $(shell sed -n 's/^uv==//p' constraints.txt)
UV_REQ    := $(if $(UV_PIN),uv==$(UV_PIN),uv)
LOCK_ARGS := pyproject.toml --extra test --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" --quiet
$(VENV)/lock-tools/bin/uv: constraints.txt
	$(PYTHON) -m venv $(VENV)/lock-tools
	$(VENV)/lock-tools/bin/python -m pip install --quiet --disable-pip-version-check "$(UV_REQ)"
	touch $@
lock: $(VENV)/lock-tools/bin/uv
	$(VENV)/lock-tools/bin/uv pip compile $(LOCK_ARGS) $(UPGRADE) --output-file constraints.txt

## lock-check: the lock is what `make lock` resolves from pyproject.toml today (needs PyPI)
lock-check: $(VENV)/lock-tools/bin/uv
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; cp constraints.txt "$$tmp/lock.txt"; \
	$(VENV)/lock-tools/bin/uv pip compile $(LOCK_ARGS) --output-file "$$tmp/lock.txt"; \
	diff -u constraints.txt "$$tmp/lock.txt" && echo "lock check: constraints.txt is what make lock resolves"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_losses.py

clean:
	rm -rf _build $(VENV)
