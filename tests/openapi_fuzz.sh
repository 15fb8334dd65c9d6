#!/usr/bin/env bash
# OpenAPI-driven fuzzing of the JSON API: schemathesis generates requests (valid and invalid)
# for every operation of /api/v1/openapi.json and fails on any 5xx answer.
#
#   bash tests/openapi_fuzz.sh
#
# Installs schemathesis (a test-time tool from PyPI, never shipped) into a virtualenv under
# ~/.cache/delphi-ci/ (DELPHI_CI_CACHE), builds `delphi` as the test suite does, starts
# `delphi serve` on a temporary SQLite database with the demo study and an owner's API token,
# and runs for at most ~3 minutes.
# DELPHI_OPENAPI_FUZZ_EXAMPLES: test cases per operation (default 25).
# DELPHI_OPENAPI_FUZZ_SECONDS: time budget of the run (default 150).
# DELPHI_BIN: a `delphi` binary to fuzz instead of building one.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=${DELPHI_SCHEMATHESIS_VENV:-${DELPHI_CI_CACHE:-$HOME/.cache/delphi-ci}/schemathesis-$SCHEMATHESIS_VERSION}
EXAMPLES=${DELPHI_OPENAPI_FUZZ_EXAMPLES:-25}
SECONDS_BUDGET=${DELPHI_OPENAPI_FUZZ_SECONDS:-150}

if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# DELPHI_BIN: the binary to fuzz (.ci/run passes the one its test suite built). Otherwise it is
# built as `cargo test` builds it (with the dev-dependencies' features), so that after a
# `cargo test` nothing is compiled again; a plain `cargo build` would rebuild the crates whose
# features differ.
if [ -n "${DELPHI_BIN:-}" ]; then
  DELPHI=$DELPHI_BIN
else
  cargo test --quiet --locked --no-run --test it
  DELPHI=$PWD/target/debug/delphi
fi

WORK=$(mktemp -d /tmp/delphi-openapi-fuzz.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$WORK/delphi.db"
export DELPHI__DATA__DIR="$WORK/data"
export DELPHI__SERVER__BIND="127.0.0.1:$PORT"
export DELPHI__SERVER__PUBLIC_URL="http://127.0.0.1:$PORT"
export DELPHI__LOG__LEVEL=warn
# Fuzzed requests open and close rounds: keep the outbox worker and scheduler quiet.
export DELPHI__WORKERS__OUTBOX_INTERVAL_SECS=3600

EMAIL=fuzz@example.org
PASSWORD="a long enough fuzzing password"
"$DELPHI" demo >/dev/null
printf '%s\n%s\n' "$PASSWORD" "$PASSWORD" | "$DELPHI" admin add --email "$EMAIL" --name "OpenAPI fuzz" >/dev/null
"$DELPHI" study grant lmn-2024 --email "$EMAIL" --role owner >/dev/null
TOKEN=$("$DELPHI" token create --email "$EMAIL" --label "openapi fuzz" | tail -n 1)

"$DELPHI" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "delphi serve did not start:"; cat "$WORK/server.log"; exit 1
  fi
  sleep 0.2
done

status=0
# `timeout` is the hard stop; --max-time lets schemathesis end cleanly before it.
# Run from the temporary folder: schemathesis leaves a cache (.schemathesis/) where it runs.
# The hooks teach schemathesis the raw email body of POST /api/v1/bounces (message/rfc822).
HOOKS_DIR="$PWD/tests"
(cd "$WORK" && PYTHONPATH="$HOOKS_DIR${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=openapi_hooks \
  timeout $((SECONDS_BUDGET + 60)) "$VENV/bin/schemathesis" run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error \
  --max-examples "$EXAMPLES" \
  --max-time "$SECONDS_BUDGET" \
  --request-timeout 60 \
  --workers 2 \
  --seed 1 \
  --suppress-health-check all \
  --warnings off) \
  || status=$?

# A panic is a bug even if its answer was not a 5xx.
if grep -E 'panicked at' "$WORK/server.log"; then
  echo "the server panicked during the run (log above)"
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "openapi fuzz: FAILED (exit $status); server log tail:"
  tail -n 40 "$WORK/server.log"
else
  echo "openapi fuzz: ok"
fi
exit "$status"
