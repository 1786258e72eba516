# LMC Hub. `make run` sets everything up and serves the demo forum; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run install test lint format bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP)

# Served over plain http on 127.0.0.1, so the session cookie cannot be marked Secure here.
# E-mail: a local SMTP server (aiosmtpd) on 127.0.0.1:8025 writes every message the forum
# sends to instance/mail.log, and `flask forum mail send --loop` sends the queue to it; both
# stop with the web server (Ctrl-C).
DEV_MAIL := FORUM_MAIL_SMTP_PORT=8025
run: $(STAMP)
	$(BIN)/flask forum init
	$(BIN)/flask forum seed-demo --if-empty
	$(BIN)/flask forum resources extract
	@mkdir -p instance
	@echo "Mail the forum sends is written to instance/mail.log"
	trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:8025 >> instance/mail.log 2>&1 & \
	$(DEV_MAIL) $(BIN)/flask forum mail send --loop >> instance/mail.log 2>&1 & \
	$(DEV_MAIL) FORUM_SESSION_COOKIE_SECURE=false FORUM_REMEMBER_COOKIE_SECURE=false \
		$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark needs wrk (a Debian package); install it when it is missing.
bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m tests.bench.run

clean:
	rm -rf $(VENV) *.egg-info
