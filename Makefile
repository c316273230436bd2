# Two commands do all set-up on a fresh machine:
#   make run   - create .venv if missing, install, run the BRIGHT virtual trial and write its
#                report (SCENARIO=... for another intervention scenario)
#   make test  - create .venv if missing, install with test extras, run the test suite
#                (its browser test needs Debian's chromium: see README.md, "Teaching app")
#   make app   - serve the teaching app on http://127.0.0.1:8765/
VENV := .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/bright.toml
OUT ?= results

.PHONY: run test app lint format bench clean-venv

$(VENV)/.installed: pyproject.toml constraints.txt
	@py="$${PYTHON:-}"; \
	if [ -z "$$py" ]; then \
	  for c in python3.12 $$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12 2>/dev/null) python3.13 python3; do \
	    if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then py=$$c; break; fi; \
	  done; \
	fi; \
	[ -n "$$py" ] || { echo "error: Python >= 3.12 not found; install it or run 'make PYTHON=/path/to/python3.12 ...'" >&2; exit 1; }; \
	[ -x $(PY) ] || { echo "creating $(VENV) with $$py"; $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	$(PY) -m sim.model.precompile
	@touch $@

# The teaching app's browser front end (Solara's JavaScript), fetched once with npm.
$(VENV)/.front-end: $(VENV)/.installed
	$(PY) -m sim.app.assets
	@touch $@

# The BRIGHT virtual trial on the shipped (calibrated) defaults, then its HTML report.
run: $(VENV)/.installed
	$(VENV)/bin/sim trial $(SCENARIO) --out $(OUT) --report
	@echo "To type sim commands directly (as the README does), put sim on your PATH with:"
	@echo "  source $(VENV)/bin/activate"

test: $(VENV)/.installed $(VENV)/.front-end
	$(PY) -m pytest -n 2 -q

app: $(VENV)/.front-end
	$(VENV)/bin/sim app

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_build.py

clean-venv:
	rm -rf $(VENV)
