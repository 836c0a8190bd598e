# Two commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Every absolute link (mails, feeds, sitemap, QR codes) is built from this; `make run
# PORT=8101` serves and links on port 8101.
PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint messages clean bench bench-scales two-hosts backup-rehearsal

$(BIN)/activate: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(BIN)/activate

run: $(BIN)/activate
	DEBUG=1 PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py migrate --no-input
	DEBUG=1 PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py load_demo
	DEBUG=1 PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own test database);
# `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
test: $(BIN)/activate
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh and compile the zh_Hans catalogue after changing user-facing text.
messages: $(BIN)/activate
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=locale_overrides --no-obsolete --add-location=file
	DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Province-scale benchmark (never part of `make test`): a scratch PostgreSQL database is
# dropped, migrated, filled (bench/generate.py), then loaded with wrk against gunicorn
# (bench/load.py); results in bench/results/. Needs PostgreSQL, Redis and wrk.
BENCH_DB ?= portal_bench
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_REDIS ?= redis://127.0.0.1:6379/15
BENCH_SCALE ?= 1
bench: $(BIN)/activate
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get install -y wrk) || echo "wrk missing: the load run will be skipped"
	psql "$(BENCH_PG)/postgres" -q -c "DROP DATABASE IF EXISTS $(BENCH_DB)" -c "CREATE DATABASE $(BENCH_DB)"
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) DEBUG=1 $(BIN)/python manage.py load_demo > /dev/null
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(BIN)/python bench/generate.py --scale $(BENCH_SCALE) --json bench/results/generate.json
	-command -v wrk >/dev/null && DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) REDIS_URL=$(BENCH_REDIS) $(BIN)/python bench/load.py --summary bench/results/generate.json --label scale-$(BENCH_SCALE)

# Both scales (1/20 in BENCH_DB_small, then full), each figure compared (bench/compare.py):
# the same within 20%.
bench-scales: $(BIN)/activate
	$(MAKE) bench BENCH_SCALE=0.05 BENCH_DB=$(BENCH_DB)_small
	$(MAKE) bench BENCH_SCALE=1
	$(BIN)/python bench/compare.py

# Two gunicorn processes behind haproxy (Debian package) share sessions, rate limits and
# the page cache; uses the database `make bench` left.
two-hosts: $(BIN)/activate
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || apt-get install -y haproxy
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) REDIS_URL=$(BENCH_REDIS) $(BIN)/python bench/two_hosts.py

# Backup and restore rehearsal (pg_dump, pg_restore into BENCH_DB_restore, row counts
# compared, times printed) of the database `make bench` left, or of BACKUP_SOURCE.
BACKUP_SOURCE ?= $(BENCH_PG)/$(BENCH_DB)
backup-rehearsal:
	bench/backup_rehearsal.sh $(BACKUP_SOURCE)

clean:
	rm -rf $(VENV) .pytest_cache
