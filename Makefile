# Zaakwerkbank: two set-up commands, `make run` and `make test`; both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PROFILE ?= demo-profile
DEMO_CASES ?= 300
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench clean demo-profile

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO_CENTRAL ?= demo-central
DEMO_PORT ?= 8765
DEMO_URL := http://127.0.0.1:$(DEMO_PORT)
# Start the demo's central on loopback in the background (its pid in $(DEMO_CENTRAL)/pid) and wait until it answers.
START_CENTRAL = mkdir -p $(DEMO_CENTRAL) && \
	($(BIN)/python -m central serve --db $(DEMO_CENTRAL)/central.db --host 127.0.0.1 --port $(DEMO_PORT) \
	  >>$(DEMO_CENTRAL)/central.log 2>&1 & echo $$! >$(DEMO_CENTRAL)/pid) && \
	for i in $$(seq 60); do $(BIN)/python -c "import httpx; httpx.get('$(DEMO_URL)/v1/health').raise_for_status()" \
	  2>/dev/null && break; sleep 0.5; done
STOP_CENTRAL = kill $$(cat $(DEMO_CENTRAL)/pid) 2>/dev/null || true

demo-profile: $(STAMP)
	@if [ ! -f $(DEMO_PROFILE)/store.db ]; then \
	  echo "Making a demo profile with $(DEMO_CASES) synthetic cases in $(DEMO_PROFILE)/, enrolled with a local central ..."; \
	  export CENTRAL_PASSWORD=demo WORKBENCH_CENTRAL_PASSWORD=demo WORKBENCH_PASSPHRASE=demo-wachtwoord; \
	  mkdir -p $(DEMO_CENTRAL); \
	  $(BIN)/python -m central add-user demo --role handler --team "Team Demo" --display-name "Demo Pzb'er" \
	    --db $(DEMO_CENTRAL)/central.db >/dev/null 2>&1; \
	  $(BIN)/python -m central add-user controleur --role reviewer --team "Team Demo" --display-name "Demo Controleur" \
	    --db $(DEMO_CENTRAL)/central.db >/dev/null 2>&1; \
	  $(START_CENTRAL); \
	  $(BIN)/workbench --profile $(DEMO_PROFILE) init --demo && \
	  $(BIN)/workbench --profile $(DEMO_PROFILE) enroll --server $(DEMO_URL) --user demo && \
	  $(BIN)/workbench --profile $(DEMO_PROFILE) demo-data --cases $(DEMO_CASES) --seed 1; \
	  status=$$?; $(STOP_CENTRAL); exit $$status; \
	fi

run: demo-profile
	@echo "Opening the demo profile (passphrase: demo-wachtwoord) with its central on $(DEMO_URL)."
	@echo "A real window on Linux needs Qt's X11 libraries; on Debian: apt-get install libxcb-cursor0 libxcb-icccm4" \
	  "libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 (see the README)."
	@$(START_CENTRAL); \
	QT_QPA_PLATFORM= WORKBENCH_PASSPHRASE=demo-wachtwoord $(BIN)/workbench --profile $(DEMO_PROFILE); \
	status=$$?; $(STOP_CENTRAL); exit $$status

lint: $(STAMP)
	$(BIN)/ruff check workbench ui central db bench tests
	$(BIN)/mypy workbench ui central
	$(BIN)/lint-imports

# The suite runs inside a private D-Bus session with an unlocked gnome-keyring when the machine has one,
# so the vault tests also meet a real Secret Service (.ci/run installs it). That daemon gets a private
# HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR in a temporary folder: without them it would open (and unlock
# with "pw", and write test secrets into) the user's own ~/.local/share/keyrings/login.keyring, and could
# take over the control socket of the desktop's own daemon. tests/workbench/test_keyring_isolation.py
# fails when the suite's keyring lives under the real home. Central runs on SQLite in the first pass; when
# WORKBENCH_TEST_PG_URL names a PostgreSQL (.ci/run starts one), the central and sync suites run a second
# time against it.
PG_SUITES := tests/central tests/workbench/sync tests/ui/sync
PYTEST_ALL = env -u WORKBENCH_TEST_PG_URL $(BIN)/python -m pytest -q $(PYTEST_ARGS) && \
	if [ -n "$$WORKBENCH_TEST_PG_URL" ]; then \
	  echo "--- the central and sync suites again, against PostgreSQL ---"; \
	  $(BIN)/python -m pytest -q $(PG_SUITES); \
	fi
PRIVATE_KEYRING = keyring_home=$$(mktemp -d "$${TMPDIR:-/tmp}/zaakwerkbank-keyring.XXXXXX") && \
	trap 'rm -rf "$$keyring_home"' EXIT && mkdir -m 700 "$$keyring_home/data" "$$keyring_home/runtime" && \
	export KEYRING_HOME="$$keyring_home"
test: lint
	@if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then \
	  $(PRIVATE_KEYRING) || exit 1; \
	  dbus-run-session -- sh -c 'printf pw | env HOME="$$KEYRING_HOME" XDG_DATA_HOME="$$KEYRING_HOME/data" \
	      XDG_RUNTIME_DIR="$$KEYRING_HOME/runtime" gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
	    export WORKBENCH_TEST_SECRET_SERVICE=1; $(PYTEST_ALL)'; \
	else \
	  $(PYTEST_ALL); \
	fi

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info $(DEMO_PROFILE) $(DEMO_CENTRAL)
