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

demo-profile: $(STAMP)
	@if [ ! -f $(DEMO_PROFILE)/store.db ]; then \
	  echo "Making a demo profile with $(DEMO_CASES) synthetic cases in $(DEMO_PROFILE)/ ..."; \
	  WORKBENCH_PASSPHRASE=demo $(BIN)/workbench --profile $(DEMO_PROFILE) init --demo && \
	  WORKBENCH_PASSPHRASE=demo $(BIN)/workbench --profile $(DEMO_PROFILE) demo-data --cases $(DEMO_CASES) --seed 1; \
	fi

run: demo-profile
	@echo "Opening the demo profile (passphrase: demo). A real window on Linux needs Debian's libxcb-cursor0."
	QT_QPA_PLATFORM= WORKBENCH_PASSPHRASE=demo $(BIN)/workbench --profile $(DEMO_PROFILE)

lint: $(STAMP)
	$(BIN)/ruff check workbench ui central db bench tests
	$(BIN)/mypy workbench
	$(BIN)/lint-imports

# The suite runs inside a private D-Bus session with an unlocked gnome-keyring when the machine has one,
# so the vault tests also meet a real Secret Service (.ci/run installs it).
test: lint
	@if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then \
	  dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
	    WORKBENCH_TEST_SECRET_SERVICE=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)'; \
	else \
	  $(BIN)/python -m pytest -q $(PYTEST_ARGS); \
	fi

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
