# Plaza: `make run` and `make test` are all a newcomer needs (see README.md).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 5000
export FLASK_APP := wsgi

.PHONY: install run wales test test-fast i18n i18n-compile lint demo worker clean

# Set-up step both commands call: idempotent, and quick when nothing changed.
install: $(STAMP) i18n-compile

$(STAMP): requirements.txt requirements-test.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-test.txt
	touch $(STAMP)

i18n-compile: $(STAMP)
	$(BIN)/pybabel -q compile -d translations -D messages

# Extract strings from code and templates, update every catalog, compile.
i18n: $(STAMP)
	$(BIN)/pybabel -q extract -F translations/babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 \
	    -c Translators: --sort-by-file --project=Plaza -o translations/messages.pot .
	for l in en es fr ar cy; do test -f translations/$$l/LC_MESSAGES/messages.po || \
	    $(BIN)/pybabel -q init -i translations/messages.pot -d translations -D messages -l $$l; done
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m app.core.i18n_tools fix-headers
	$(MAKE) i18n-compile

# Development server on SQLite with demo data and the mail worker. `make run PORT=5100` serves on
# another port; links in mail follow it (SERVER_BASE_URL), unless SERVER_BASE_URL is set.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	SERVER_BASE_URL=$${SERVER_BASE_URL:-http://127.0.0.1:$(PORT)} PLAZA_START_WORKER=1 \
	    $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The Wales worked example (README, "Run it for a real country"): its own SQLite file and profile.
wales: export PLAZA_PROFILE := gb-wls
wales: export DATABASE_URL := sqlite:///$(CURDIR)/instance/wales.db
wales: install
	$(BIN)/flask db upgrade
	PORT=$(PORT) sh docs/examples/wales/load.sh
	SERVER_BASE_URL=$${SERVER_BASE_URL:-http://127.0.0.1:$(PORT)} PLAZA_START_WORKER=1 \
	    $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite (DATABASE_URL=postgresql://... for PostgreSQL); prints the ten slowest.
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=10 $(PYTEST_ARGS)

# Style: ruff's rules and its formatter (applied to the whole tree once; CI checks both).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance/plaza.db
