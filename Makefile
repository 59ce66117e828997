# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format worker beat bench lighthouse clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# A first look: SQLite, tasks in-process, mail to the console and var/mail/ — unless
# DATABASE_URL, REDIS_URL or EMAIL_URL say otherwise.
# Links in email follow PORT; runserver's threads don't keep database connections open. With REDIS_URL
# set, a Celery worker with beat (digests, sweepers) runs beside the server; its log is var/celery.log.
run: export DEBUG ?= 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export CONN_MAX_AGE ?= 0
run: $(VENV)/.runtime-installed
	mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --demo-users
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: a Celery worker with beat runs beside the server (log: var/celery.log)"; \
		$(BIN)/celery -A portal worker --beat --loglevel INFO --schedule var/celerybeat-schedule >var/celery.log 2>&1 & \
		trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	else \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	fi

# The whole suite against PostgreSQL and Redis, browser journeys included.
test: $(VENV)/.dev-installed lint
	@if command -v docker-compose >/dev/null 2>&1; then \
		SECRET_KEY=only-for-validation JOURNAL_KEY=only-for-validation docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"; \
	else echo "docker-compose not installed: compose file not validated (CI installs it)"; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The same environment as `make run` (DEBUG's development key, SITE_URL from PORT), so the links the
# worker mails are the ones the server accepts.
worker: export REDIS_URL ?= redis://127.0.0.1:6379/0
worker: export DEBUG ?= 1
worker: export SITE_URL ?= http://127.0.0.1:$(PORT)
worker: $(VENV)/.runtime-installed
	$(BIN)/celery -A portal worker --loglevel INFO

beat: export REDIS_URL ?= redis://127.0.0.1:6379/0
beat: export DEBUG ?= 1
beat: $(VENV)/.runtime-installed
	$(BIN)/celery -A portal beat --loglevel INFO --schedule var/celerybeat-schedule

# Spanish texts of the account area (its pages and emails; alerts have their own es templates): update
# locale/es/LC_MESSAGES/django.po from the code, translate what is new, then run it again to compile the
# .mo that is committed beside it (tests/accounts/test_translations.py checks the two agree).
MESSAGES_ELSEWHERE := alerts articles bench community docs journal moderation portal static tests var \
	templates/alerts templates/articles templates/community templates/journal templates/moderation \
	templates/pages templates/portal
messages: $(VENV)/.runtime-installed
	DEBUG=1 $(BIN)/python manage.py makemessages --locale es --add-location file \
		$(foreach dir,$(MESSAGES_ELSEWHERE),--ignore '$(dir)/*')
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale es --ignore '.venv'

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache

# Benchmarks (not tests): `make bench` or `make bench BENCH_ARGS=--quick`. Needs PostgreSQL, Redis, wrk.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench $(BENCH_ARGS)

# Lighthouse (performance, accessibility, best practices, SEO) on home, an article, a thread, outcomes,
# subscribe and a search with "Did you mean", phone and desktop, served by gunicorn with DEBUG off; scores in bench/LIGHTHOUSE.md. Needs
# PostgreSQL, Chromium and Node.js 18.16+ with npm (the pinned Lighthouse goes to bench/node/node_modules).
bench/node/node_modules/.installed: bench/node/package-lock.json
	npm ci --prefix bench/node --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: $(VENV)/.dev-installed bench/node/node_modules/.installed
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)
