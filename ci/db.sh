#!/usr/bin/env bash
# Throwaway database servers for tests: one PostgreSQL 15 and one MariaDB, on 127.0.0.1, in a
# temporary folder, with no password.
#
#   eval "$(ci/db.sh start)"   # prints `export FORGE_TEST_PG_URL=...` lines (and FORGE_TEST_DB_DIR)
#   cargo test ...
#   ci/db.sh stop              # stops both servers and removes the folder ($FORGE_TEST_DB_DIR)
#
# Works as root (PostgreSQL then runs as the `postgres` user: initdb refuses root) or as a plain
# user. Installs Debian's mariadb-server with apt-get when `mariadbd` is missing. Never touches the
# system services. Everything but the export lines goes to standard error.
set -euo pipefail

log() { echo "db.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# The first of the named programs found on PATH or in the given folders.
find_bin() {
	local name=$1
	shift
	if command -v "$name" >/dev/null 2>&1; then
		command -v "$name"
		return
	fi
	local dir
	for dir in "$@"; do
		if [[ -x "$dir/$name" ]]; then
			echo "$dir/$name"
			return
		fi
	done
	return 1
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	local port tries=0
	while ((tries < 200)); do
		port=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
		tries=$((tries + 1))
	done
	die "no free port found"
}

# Polls `$@` every 50 ms until it succeeds, for at most $1 seconds.
wait_until() {
	local seconds=$1
	shift
	local deadline=$((SECONDS + seconds))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || return 1
		sleep 0.05
	done
}

pg_bin_dirs=(/usr/lib/postgresql/15/bin)
my_bin_dirs=(/usr/sbin /usr/bin /usr/local/sbin /usr/local/bin)

# Runs a PostgreSQL program as the user that owns the cluster.
as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start_postgres() {
	local dir=$1 initdb pg_ctl port data=$1/pg
	initdb=$(find_bin initdb "${pg_bin_dirs[@]}") || die "initdb not found (install postgresql-15)"
	pg_ctl=$(find_bin pg_ctl "${pg_bin_dirs[@]}") || die "pg_ctl not found (install postgresql-15)"
	command -v psql >/dev/null || die "psql not found (install postgresql-client-15)"
	if [[ $(id -u) == 0 ]]; then
		id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
		mkdir -p "$data"
		chown postgres "$data"
	fi
	as_pg "$initdb" --pgdata="$data" --username=postgres --auth=trust --encoding=UTF8 --locale=C \
		--no-sync --no-instructions >"$dir/pg-initdb.log" 2>&1 ||
		die "initdb failed: $(tail -5 "$dir/pg-initdb.log")"
	local tries=0
	while :; do
		port=$(free_port)
		if as_pg "$pg_ctl" --pgdata="$data" --log="$data/server.log" --wait --timeout=60 \
			--options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$data' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >"$dir/pg-start.log" 2>&1; then
			break
		fi
		tries=$((tries + 1))
		((tries < 5)) || die "postgres did not start: $(tail -5 "$data/server.log" 2>/dev/null)"
	done
	echo "PG_DATA=$data" >>"$dir/state"
	echo "PG_CTL=$pg_ctl" >>"$dir/state"
	echo "export FORGE_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres" >>"$dir/exports"
}

install_mariadb() {
	log "mariadbd not found: installing mariadb-server with apt-get"
	{
		apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server mariadb-client
	} >"$1/apt.log" 2>&1 || die "apt-get install mariadb-server failed: $(tail -5 "$1/apt.log")"
}

start_mariadb() {
	local dir=$1 data=$1/my mariadbd install_db admin client port
	mariadbd=$(find_bin mariadbd "${my_bin_dirs[@]}") || {
		install_mariadb "$dir"
		mariadbd=$(find_bin mariadbd "${my_bin_dirs[@]}") || die "mariadbd still missing"
	}
	install_db=$(find_bin mariadb-install-db "${my_bin_dirs[@]}") || die "mariadb-install-db not found"
	admin=$(find_bin mariadb-admin "${my_bin_dirs[@]}") || die "mariadb-admin not found"
	client=$(find_bin mariadb "${my_bin_dirs[@]}") || die "the mariadb client not found"
	local user_opt=()
	[[ $(id -u) == 0 ]] && user_opt=(--user=root)
	mkdir -p "$data"
	"$install_db" --no-defaults "${user_opt[@]}" --datadir="$data" --auth-root-authentication-method=normal \
		--skip-test-db >"$dir/my-install.log" 2>&1 ||
		die "mariadb-install-db failed: $(tail -5 "$dir/my-install.log")"
	local sock=$dir/my.sock tries=0 pid
	while :; do
		port=$(free_port)
		# setsid: the server must outlive this script and the shell that evals its output.
		setsid "$mariadbd" --no-defaults "${user_opt[@]}" --datadir="$data" --socket="$sock" \
			--port="$port" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$dir/my.pid" \
			--log-error="$dir/my.err" --tmpdir="$dir" --character-set-server=utf8mb4 \
			--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-use-native-aio=0 \
			--innodb-buffer-pool-size=64M --innodb-fast-shutdown=2 --skip-log-bin --max-connections=200 \
			</dev/null >/dev/null 2>&1 &
		pid=$!
		if wait_until 60 "$admin" --no-defaults --protocol=socket --socket="$sock" -u root ping &&
			kill -0 "$pid" 2>/dev/null; then
			break
		fi
		kill "$pid" 2>/dev/null || true
		tries=$((tries + 1))
		((tries < 5)) || die "mariadbd did not start: $(tail -5 "$dir/my.err" 2>/dev/null)"
	done
	echo "MY_PID=$pid" >>"$dir/state"
	# root@localhost has no password; let TCP connections from 127.0.0.1 in as root too.
	"$client" --no-defaults --protocol=socket --socket="$sock" -u root -e \
		"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" ||
		die "could not create root@127.0.0.1"
	echo "export FORGE_TEST_MYSQL_URL=mysql://root@127.0.0.1:$port/" >>"$dir/exports"
}

stop_all() {
	local dir=$1
	[[ -f "$dir/state" ]] || return 0
	local PG_DATA="" PG_CTL="" MY_PID=""
	# shellcheck disable=SC1091
	source "$dir/state"
	if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
		as_pg "$PG_CTL" --pgdata="$PG_DATA" --mode=immediate --wait stop >/dev/null 2>&1 || true
	fi
	if [[ -n "$MY_PID" ]] && kill -0 "$MY_PID" 2>/dev/null; then
		kill "$MY_PID" 2>/dev/null || true
		wait_until 30 bash -c "! kill -0 $MY_PID" || kill -9 "$MY_PID" 2>/dev/null || true
	fi
}

cmd_start() {
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/forge-db.XXXXXX")
	chmod 755 "$dir"
	: >"$dir/state"
	echo "export FORGE_TEST_DB_DIR=$dir" >"$dir/exports"
	# On any failure, leave nothing behind.
	trap 'stop_all "$dir"; rm -rf "$dir"' EXIT
	start_postgres "$dir"
	start_mariadb "$dir"
	trap - EXIT
	cat "$dir/exports"
}

cmd_stop() {
	local dir=${FORGE_TEST_DB_DIR:-}
	[[ -n "$dir" ]] || die "FORGE_TEST_DB_DIR is not set: nothing to stop"
	[[ -d "$dir" ]] || die "$dir does not exist: nothing to stop"
	[[ -f "$dir/state" ]] || die "$dir was not made by ci/db.sh start"
	stop_all "$dir"
	rm -rf "$dir"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
*) die "usage: ci/db.sh start|stop" ;;
esac
