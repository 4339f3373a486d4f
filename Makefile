# coopwatch: `make run` sets up and runs the main job, `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: setup system run test test-fast eval bench clean lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# pip before 24 rejects extras in hash mode (lxml[html_clean] under justext): first the pip the lock pins.
	awk '/^pip==/{p=1} p{print} p&&!/\\$$/{exit}' requirements.lock > $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests use (PostgreSQL, Chromium, Java ...), listed in scripts/system-packages.txt.
system:
	scripts/setup-system.sh

# The main job: extract the project's example articles into out/examples.jsonl.
run: setup
	mkdir -p out
	$(BIN)/coopwatch extract examples -o out/examples.jsonl
	@echo "wrote out/examples.jsonl"

test: setup system
	$(BIN)/python -m pytest

# The quick loop while working on a rule: everything but PostgreSQL, the browser, Spark and the speed measurements.
test-fast: setup
	$(BIN)/python -m pytest -m "not (postgres or browser or spark or slow)"

# Quality bars on the shared seed gold and on the project's own example gold (see scripts/evaluate.py).
eval: setup
	$(BIN)/python scripts/evaluate.py --shared $(SHARED)

bench: setup
	$(BIN)/coopwatch bench

clean:
	rm -rf $(VENV) out

# Re-pin every dependency (all extras) with hashes after changing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --python-version 3.11 -o requirements.lock
