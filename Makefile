# Two commands set radar up on a fresh machine: `make demo` and `make test`.
# Both share `make install`, which is idempotent: the stamp files below make a second
# run take well under a second unless pyproject.toml or uv.lock changed.
PYTHON ?= python3.11
VENV := .venv
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install install-test demo test lint bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --inexact keeps uv itself in the venv; --frozen installs exactly what uv.lock pins.
# --compile-bytecode and compileall: every `radar` command imports SQLAlchemy, SQLModel and
# pydantic; compiling them from source at each start (no .pyc, e.g. under
# PYTHONDONTWRITEBYTECODE=1) more than doubled the start-up time.
COMPILE := $(VENV)/bin/python -m compileall -q radar models spiders >/dev/null
$(VENV)/.installed: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --inexact --quiet --compile-bytecode --python $(VENV)/bin/python
	$(COMPILE)
	@touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --inexact --quiet --extra test --compile-bytecode --python $(VENV)/bin/python
	$(COMPILE)
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/radar demo

test: install-test
	$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

# models/ and spiders/ install as radar.models and radar.spiders (package-dir in pyproject.toml);
# mypy follows no import hook, so it reads them through these links under the names the code
# imports ([tool.mypy] mypy_path and files). `mypy` alone checks what [tool.mypy] lists.
MYPY_LINKS := $(VENV)/mypy-path/radar
$(MYPY_LINKS)/models $(MYPY_LINKS)/spiders: | $(VENV)/bin/python
	mkdir -p $(MYPY_LINKS)
	ln -sfn ../../../$(notdir $@) $@

# Both run, so one report shows every finding; either one failing fails the target.
lint: install-test $(MYPY_LINKS)/models $(MYPY_LINKS)/spiders
	$(VENV)/bin/ruff check radar models spiders tests; ruff=$$?; $(VENV)/bin/mypy && exit $$ruff

# Benchmarks live apart from the tests (tests/benchmarks/) and print their figures.
bench: install-test
	for b in tests/benchmarks/bench_*.py; do $(VENV)/bin/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
