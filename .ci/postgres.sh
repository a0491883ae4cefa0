#!/usr/bin/env bash
# Starts a throw-away PostgreSQL for the tests (Debian's package; installed when missing) and prints
# the URL to export as INVOICE_DESK_TEST_DATABASE_URL. Usage: eval "$(bash .ci/postgres.sh)"
# The cluster lives in a temporary folder, listens on 127.0.0.1 only, trusts local connections
# (a test database with no data worth a password) and is stopped by `bash .ci/postgres.sh stop DIR`.
set -euo pipefail
# A free port unless one is given (a cluster left by an earlier run must not be reused).
PORT="${INVOICE_DESK_TEST_PG_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"

if [ "${1:-}" = "stop" ]; then
  su postgres -s /bin/bash -c "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl -D '$2/data' stop -m fast" >/dev/null
  exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
DIR="$(mktemp -d /tmp/invoice-desk-pg.XXXXXX)"
chown postgres "$DIR"
su postgres -s /bin/bash -c "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres >/dev/null"
su postgres -s /bin/bash -c "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1\" start >/dev/null"
su postgres -s /bin/bash -c "'$BIN/createdb' -h 127.0.0.1 -p $PORT invoice_desk_test"
echo "export INVOICE_DESK_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$PORT/invoice_desk_test"
echo "export INVOICE_DESK_TEST_PG_DIR=$DIR"
