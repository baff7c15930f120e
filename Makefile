# Soundpath — the two commands are `make run` and `make test` (see README.md).
.PHONY: run test install check lint format benchmarks screenshots figures clean

install:
	@bash webapp/scripts/install.sh

run: install
	@bash webapp/scripts/run.sh

test:
	@bash webapp/scripts/install.sh --with-browser
	@bash webapp/scripts/test.sh

check lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf var/ staticfiles/ .pytest_cache .ruff_cache

# On demand, never part of `make test`: speed and quality figures written to benchmarks/.
# Needs PostgreSQL and Redis as `make test` does, and wrk (apt-get install -y wrk); see benchmarks/README.md.
benchmarks: install
	NUMBA_CACHE_DIR=var/numba-cache .venv/bin/python -m benchmarks.run_all

# Regenerate the lesson figures (deterministic SVGs under curriculum/static/curriculum/figures/).
figures: install
	MPLBACKEND=Agg .venv/bin/python -m curriculum.figures

# Refresh the README's screenshots from the browser journey tests (needs PostgreSQL and Redis).
screenshots: install
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots bash webapp/scripts/test.sh tests/browser/test_journey.py tests/browser/test_newcomer.py
