#!/usr/bin/env bash
# A private PostgreSQL server for the collector's tests: its own initdb data folder, its own
# port and socket folder, no TCP. `start DIR` initialises the server's folder if needed, starts
# the server, creates the database `nazar` and prints its connection URL (also written to
# DIR/url); `stop DIR` stops it. Every role but nazar_password is trusted (see pg_hba below).
# PostgreSQL refuses to run as root, so as root (CI) the server
# runs as the `postgres` user and DIR is given to postgres; when postgres cannot reach DIR (a
# build folder under /root, say) the server lives in a private folder under /tmp instead, named
# in DIR/home. Exits non-zero with the reason when anything fails.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
port=${NAZAR_PG_PORT:-5439}  # only names the socket file in the server's folder: no clashes

# The newest installed server unless NAZAR_PG_BIN names one (TOOLCHAIN.md: 15 on Debian 12).
bin=${NAZAR_PG_BIN:-}
if [ -z "$bin" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "pg_server: no PostgreSQL server: ${bin:-/usr/lib/postgresql/*/bin}/pg_ctl is missing" \
       "(install the postgresql package: scripts/install-deps.sh)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "pg_server: running as root needs the postgres user (install the postgresql package)" >&2
    exit 1
  fi
  as_pg=(runuser -u postgres --)
  db_user=postgres
else
  as_pg=()
  db_user=$(id -un)
fi

case $action in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    rm -f "$dir/url"
    home=$dir
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
      if ! "${as_pg[@]}" test -w "$dir"; then
        home=$(cat "$dir/home" 2>/dev/null || true)
        if [ -z "$home" ] || [ ! -d "$home" ]; then
          home=$(mktemp -d /tmp/nazar-pg.XXXXXX)
          echo "$home" >"$dir/home"
        fi
        chown postgres:postgres "$home"
      fi
    fi
    sock=$home/s
    "${as_pg[@]}" mkdir -p "$sock"
    if [ ! -f "$home/data/PG_VERSION" ]; then
      "${as_pg[@]}" rm -rf "$home/data"
      # trust: the server listens only on a socket in a private folder. C locale: byte order.
      if ! "${as_pg[@]}" "$bin/initdb" -A trust -E UTF8 --locale=C -D "$home/data" \
           >"$dir/initdb.log" 2>&1; then
        echo "pg_server: initdb -D $home/data failed:" >&2
        cat "$dir/initdb.log" >&2
        exit 1
      fi
    fi
    # One role must log in with its password (SCRAM over the socket), so the collector's
    # PGPASSFILE path is tested (faults.mjs password-rotation creates the role); every other
    # role is trusted. First match wins: the line goes first.
    hba=$home/data/pg_hba.conf
    hba_line="local all nazar_password scram-sha-256"
    hba_changed=0
    if ! "${as_pg[@]}" grep -qxF "$hba_line" "$hba"; then
      "${as_pg[@]}" sh -c '{ printf "%s\n" "$2"; cat "$1"; } >"$1.new" && mv "$1.new" "$1"' \
        sh "$hba" "$hba_line"
      hba_changed=1
    fi
    if "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1 &&
       [ "$hba_changed" = 1 ]; then
      "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" reload >/dev/null
    fi
    if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
      if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
           -o "-p $port -k $sock -c listen_addresses=''" start >/dev/null; then
        echo "pg_server: the server in $home/data did not start; its log:" >&2
        tail -n 30 "$home/server.log" >&2 || true
        exit 1
      fi
    fi
    psql=("${as_pg[@]}" "$bin/psql" -h "$sock" -p "$port" -d postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'nazar'")" != 1 ]; then
      "${psql[@]}" -c "CREATE DATABASE nazar"
    fi
    url="postgresql://$db_user@/nazar?host=$sock&port=$port"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  stop)
    rm -f "$dir/url"
    home=$(cat "$dir/home" 2>/dev/null || echo "$dir")
    if [ -f "$home/data/PG_VERSION" ] &&
       "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
      "${as_pg[@]}" "$bin/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null
    fi
    echo "pg_server: stopped the server in $home"
    ;;
  *) usage ;;
esac
