#!/usr/bin/env bash
# A throwaway Postgres cluster for the consent log's tests and benchmark.
#   tests/support/pg.sh start DIR PORT   initdb (if DIR/data is new) and start on 127.0.0.1:PORT
#   tests/support/pg.sh stop DIR         stop it at once (what a crash looks like to the server)
#   tests/support/pg.sh bin              print the folder that holds initdb (or fail)
# Postgres refuses to run as root: as root, every command runs as the `postgres` user.
set -euo pipefail

find_bin() {
  local d
  for d in /usr/local/bin /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  echo "pg.sh: no Postgres found (make tool-postgres installs it)" >&2
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(find_bin)
case "${1:-}" in
  bin) echo "$BIN" ;;
  start)
    dir=$2 port=$3
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$BIN/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1
    fi
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
      -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200" -w start >/dev/null
    ;;
  stop)
    dir=$2
    as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: pg.sh start DIR PORT | stop DIR | bin" >&2; exit 2 ;;
esac
