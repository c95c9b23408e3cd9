#!/usr/bin/env bash
# Runs stakegraph's local Neo4j Community server from its Maven Central jars.
#
#   neo4j/neo4j.sh fetch                 fetch the pinned server's jars into neo4j/lib (once)
#   neo4j/neo4j.sh start  [INSTANCE]     start it and wait until it answers Cypher
#   neo4j/neo4j.sh stop   [INSTANCE]     stop exactly the process that start started
#   neo4j/neo4j.sh status [INSTANCE]     running or not (exit 0 when running, 3 when not)
#   neo4j/neo4j.sh env    [INSTANCE]     print NEO4J_* exports, for: eval "$(neo4j/neo4j.sh env)"
#   neo4j/neo4j.sh reset  [INSTANCE]     stop it and delete its data, logs and password
#   neo4j/neo4j.sh dump   INSTANCE FILE  write its database (neo4j) to FILE (instance stopped)
#   neo4j/neo4j.sh load   INSTANCE FILE  replace its database with FILE's (instance stopped)
#
# INSTANCE is dev (default; Bolt 7687, HTTP 7474) or test (Bolt 7688, HTTP 7475). Each
# lives in .data/neo4j-<instance>/ at the repository root: conf/ (rendered from
# neo4j/neo4j.conf), data/, logs/ (console.log is the server's own output), run/neo4j.pid
# and password. See DEVELOPERS.md for how the pieces were found.
set -euo pipefail

readonly NEO4J_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly ROOT="$(dirname "$NEO4J_DIR")"
readonly LIB="$NEO4J_DIR/lib"
readonly START_TIMEOUT="${NEO4J_START_TIMEOUT:-90}"  # seconds until it must answer Cypher
readonly STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"    # seconds between SIGTERM and SIGKILL

log() { printf 'neo4j.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
	sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

# The pinned version, read from pom.xml so there is a single place to change it.
neo4j_version() {
	sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$NEO4J_DIR/pom.xml"
}

# --- Java ------------------------------------------------------------------------------

JAVA=""
find_java() {
	if [[ -n "${JAVA_HOME:-}" ]]; then
		JAVA="$JAVA_HOME/bin/java"
		[[ -x "$JAVA" ]] || die "JAVA_HOME is $JAVA_HOME but $JAVA is not an executable; Neo4j $(neo4j_version) needs Java 17 or newer"
	else
		JAVA="$(command -v java || true)"
		[[ -n "$JAVA" ]] || die "no java on PATH and JAVA_HOME unset; install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
	fi
	local line major
	line="$("$JAVA" -version 2>&1 | head -n 1)"
	# `openjdk version "17.0.15" ...`, `java version "1.8.0_402"`, `openjdk version "21" ...`
	major="$(sed -n 's/.*version "\([0-9]*\)[^"]*".*/\1/p' <<<"$line")"
	[[ "$major" == 1 ]] && major="$(sed -n 's/.*version "1\.\([0-9]*\).*/\1/p' <<<"$line")"
	[[ "$major" =~ ^[0-9]+$ ]] || die "cannot tell the version of $JAVA (it printed: $line); Neo4j needs Java 17 or newer"
	((major >= 17)) || die "$JAVA is Java $major; Neo4j $(neo4j_version) needs Java 17 or newer (set JAVA_HOME to a JDK 17+)"
}

# --- fetch -----------------------------------------------------------------------------

# lib/ is complete when the stamp names the pinned version: the stamp is written only after
# Maven succeeded, so an interrupted fetch is redone.
cmd_fetch() {
	local version stamp
	version="$(neo4j_version)"
	[[ -n "$version" ]] || die "no <neo4j.version> in $NEO4J_DIR/pom.xml"
	stamp="$LIB/.complete"
	if [[ -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
		return 0
	fi
	command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Neo4j $version from Maven Central (Debian: apt-get install maven)"
	log "fetching Neo4j $version and its runtime classpath from Maven Central into neo4j/lib ..."
	rm -rf "$LIB"
	# -q prints only errors; sed drops the colour codes Maven's console emits even with -B.
	(cd "$NEO4J_DIR" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory=lib 2>&1 | sed 's/\x1b\[[0-9;]*m//g') ||
		die "Maven could not fetch Neo4j $version (see its output above)"
	[[ -f "$LIB/neo4j-$version.jar" ]] || die "Maven finished but $LIB/neo4j-$version.jar is missing"
	printf '%s\n' "$version" >"$stamp"
	log "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1))"
}

# --- instances -------------------------------------------------------------------------

INSTANCE="" BOLT_PORT="" HTTP_PORT="" HOME_DIR="" PID_FILE="" PASSWORD_FILE="" CONSOLE_LOG=""
HEAP="" PAGECACHE=""
select_instance() {
	INSTANCE="${1:-dev}"
	case "$INSTANCE" in
	dev) BOLT_PORT=7687 HTTP_PORT=7474 ;;
	test) BOLT_PORT=7688 HTTP_PORT=7475 ;;
	# The benchmark loads 1M relationships in one transaction, whose state lives on the
	# heap; it gets more of this machine's 24 GiB than the everyday instances.
	bench) BOLT_PORT=7690 HTTP_PORT=7477 HEAP=6g PAGECACHE=3g ;;
	*) die "unknown instance '$INSTANCE' (expected dev, test or bench)" ;;
	esac
	# Two checkouts on one machine (a clean clone running CI beside a working copy) each
	# need their own ports.
	BOLT_PORT="${STAKEGRAPH_NEO4J_BOLT_PORT:-$BOLT_PORT}"
	HTTP_PORT="${STAKEGRAPH_NEO4J_HTTP_PORT:-$HTTP_PORT}"
	HOME_DIR="$ROOT/.data/neo4j-$INSTANCE"
	PID_FILE="$HOME_DIR/run/neo4j.pid"
	PASSWORD_FILE="$HOME_DIR/password"
	CONSOLE_LOG="$HOME_DIR/logs/console.log"
}

# The pid from the pid file when that process is alive and is our server for this home
# (so a pid reused by another process after a crash is never signalled); empty otherwise.
running_pid() {
	[[ -f "$PID_FILE" ]] || return 0
	local pid
	pid="$(cat "$PID_FILE")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--home-dir=$HOME_DIR"; then
		printf '%s\n' "$pid"
	fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs one Cypher statement over HTTP with the instance's password; succeeds only when
# Neo4j answered without errors (so the database, not just the port, is up).
cypher_ok() {
	local body
	body="$(curl -sS --max-time 5 -u "neo4j:$(cat "$PASSWORD_FILE")" \
		-H 'Content-Type: application/json' -H 'Accept: application/json' \
		-d "{\"statements\":[{\"statement\":\"$1\"}]}" \
		"http://127.0.0.1:$HTTP_PORT/db/neo4j/tx/commit" 2>/dev/null)" || return 1
	[[ "$body" == *'"results":[{'* && "$body" == *'"errors":[]'* ]]
}

render_conf() {
	local template
	template="$(<"$NEO4J_DIR/neo4j.conf")"
	template="${template//@BOLT_PORT@/$BOLT_PORT}"
	template="${template//@HTTP_PORT@/$HTTP_PORT}"
	if [[ -n "$HEAP" ]]; then
		template="${template//heap.initial_size=1g/heap.initial_size=$HEAP}"
		template="${template//heap.max_size=1g/heap.max_size=$HEAP}"
	fi
	if [[ -n "$PAGECACHE" ]]; then
		template="${template//pagecache.size=1g/pagecache.size=$PAGECACHE}"
	fi
	mkdir -p "$HOME_DIR/conf"
	printf '%s\n' "$template" >"$HOME_DIR/conf/neo4j.conf"
}

# The value of KEY in the rendered conf (the last one wins, as in Neo4j).
conf_value() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$HOME_DIR/conf/neo4j.conf" | tail -n 1 | sed 's/[[:space:]]*$//'
}

# Neo4j's launcher (Neo4jCommand) would start a second JVM for the server; we start the
# server's entry point ourselves so the pid we record is the server's. The JVM arguments
# are what the launcher derives from the conf: -Xms/-Xmx from the heap settings and one
# argument per server.jvm.additional line.
java_args() {
	local heap_initial heap_max
	heap_initial="$(conf_value 'server\.memory\.heap\.initial_size')"
	heap_max="$(conf_value 'server\.memory\.heap\.max_size')"
	if [[ -n "$heap_initial" ]]; then printf '%s\n' "-Xms$heap_initial"; fi
	if [[ -n "$heap_max" ]]; then printf '%s\n' "-Xmx$heap_max"; fi
	sed -n 's/^[[:space:]]*server\.jvm\.additional[[:space:]]*=[[:space:]]*//p' "$HOME_DIR/conf/neo4j.conf" | sed 's/[[:space:]]*$//'
}

set_initial_password() {
	if [[ -d "$HOME_DIR/data/databases/system" ]]; then
		die "$HOME_DIR has a database but no password file; run '$0 reset $INSTANCE' to start afresh"
	fi
	local password
	password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
	[[ ${#password} -ge 16 ]] || die "could not generate a password"
	log "setting a new random password for user neo4j ($PASSWORD_FILE)"
	(umask 077 && printf '%s\n' "$password" >"$PASSWORD_FILE.new")
	if ! NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf" "$JAVA" -cp "$LIB/*" \
		org.neo4j.server.startup.Neo4jAdminCommand dbms set-initial-password "$password" \
		>"$HOME_DIR/logs/set-initial-password.log" 2>&1; then
		cat "$HOME_DIR/logs/set-initial-password.log" >&2
		rm -f "$PASSWORD_FILE.new"
		die "neo4j-admin dbms set-initial-password failed"
	fi
	mv "$PASSWORD_FILE.new" "$PASSWORD_FILE"
}

# Byte offsets of the logs when this start began, so a failure shows only its own lines.
CONSOLE_OFFSET=0 DEBUG_OFFSET=0
fail_start() {
	log "error: $*"
	log "output of this start ($CONSOLE_LOG, last 40 lines):"
	tail -c +"$((CONSOLE_OFFSET + 1))" "$CONSOLE_LOG" 2>/dev/null | tail -n 40 >&2 || true
	local debug="$HOME_DIR/logs/debug.log"
	if [[ -f "$debug" ]] && tail -c +"$((DEBUG_OFFSET + 1))" "$debug" | grep -q ' ERROR '; then
		log "errors of this start in $debug:"
		tail -c +"$((DEBUG_OFFSET + 1))" "$debug" | grep ' ERROR ' | tail -n 10 >&2 || true
	fi
	exit 1
}

cmd_start() {
	select_instance "${1:-}"
	local pid
	pid="$(running_pid)"
	if [[ -n "$pid" ]]; then
		log "$INSTANCE instance already running (pid $pid, bolt://127.0.0.1:$BOLT_PORT)"
		return 0
	fi
	rm -f "$PID_FILE"
	cmd_fetch
	find_java
	command -v curl >/dev/null || die "curl is needed to check that Neo4j answers (Debian: apt-get install curl)"
	if port_open "$BOLT_PORT" || port_open "$HTTP_PORT"; then
		die "port $BOLT_PORT or $HTTP_PORT on 127.0.0.1 is already taken by another process; stop it, or set NEO4J_URI to use that server"
	fi

	mkdir -p "$HOME_DIR"/{data,logs,run,plugins,import}
	render_conf
	[[ -f "$PASSWORD_FILE" ]] || set_initial_password

	local -a jvm
	mapfile -t jvm < <(java_args)
	log "starting the $INSTANCE instance (Neo4j $(neo4j_version), bolt://127.0.0.1:$BOLT_PORT, home $HOME_DIR)"
	printf '\n===== %s neo4j.sh start %s =====\n' "$(date -u +%FT%TZ)" "$INSTANCE" >>"$CONSOLE_LOG"
	CONSOLE_OFFSET="$(stat -c %s "$CONSOLE_LOG")"
	DEBUG_OFFSET="$(stat -c %s "$HOME_DIR/logs/debug.log" 2>/dev/null || echo 0)"
	# setsid: a Ctrl-C in the terminal reaches the API, not Neo4j; the caller (make run)
	# stops Neo4j itself afterwards, in that order. The inner shell writes its own pid and
	# execs java, so the pid file holds the JVM's pid whether or not setsid forks.
	setsid bash -c 'printf "%s\n" "$$" >"$1"; shift; exec "$@"' _ "$PID_FILE" \
		"$JAVA" -cp "$HOME_DIR/conf/*:$HOME_DIR/plugins/*:$LIB/*" "${jvm[@]}" \
		org.neo4j.server.CommunityEntryPoint \
		"--home-dir=$HOME_DIR" "--config-dir=$HOME_DIR/conf" --console-mode \
		</dev/null >>"$CONSOLE_LOG" 2>&1 &
	local launcher=$!

	# Wait until Bolt accepts connections and a Cypher query answers with the password.
	local started=$SECONDS
	while :; do
		pid="$(cat "$PID_FILE" 2>/dev/null || true)"
		if ! kill -0 "$launcher" 2>/dev/null && { [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; }; then
			rm -f "$PID_FILE"
			fail_start "Neo4j ($INSTANCE) exited during start-up"
		fi
		if port_open "$BOLT_PORT" && cypher_ok 'RETURN 1'; then
			break
		fi
		if ((SECONDS - started >= START_TIMEOUT)); then
			log "Neo4j did not answer within ${START_TIMEOUT}s; stopping it"
			cmd_stop "$INSTANCE" || true
			fail_start "Neo4j ($INSTANCE) did not answer on bolt://127.0.0.1:$BOLT_PORT within ${START_TIMEOUT}s"
		fi
		sleep 0.5
	done
	log "$INSTANCE instance ready in $((SECONDS - started))s (pid $(cat "$PID_FILE"), bolt://127.0.0.1:$BOLT_PORT)"
}

cmd_stop() {
	select_instance "${1:-}"
	local pid
	pid="$(running_pid)"
	if [[ -z "$pid" ]]; then
		[[ -f "$PID_FILE" ]] && log "$INSTANCE instance not running (removing stale $PID_FILE)" ||
			log "$INSTANCE instance not running"
		rm -f "$PID_FILE"
		return 0
	fi
	log "stopping the $INSTANCE instance (pid $pid) ..."
	kill -TERM "$pid" 2>/dev/null || true
	local started=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS - started >= STOP_TIMEOUT)); then
			log "pid $pid still alive ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
			break
		fi
		sleep 0.2
	done
	rm -f "$PID_FILE"
	log "$INSTANCE instance stopped after $((SECONDS - started))s"
}

cmd_status() {
	select_instance "${1:-}"
	local pid
	pid="$(running_pid)"
	if [[ -n "$pid" ]]; then
		echo "$INSTANCE: running (pid $pid, bolt://127.0.0.1:$BOLT_PORT, http://127.0.0.1:$HTTP_PORT, home $HOME_DIR)"
	else
		echo "$INSTANCE: not running (home $HOME_DIR)"
		return 3
	fi
}

cmd_env() {
	select_instance "${1:-}"
	[[ -f "$PASSWORD_FILE" ]] || die "no password yet for the $INSTANCE instance; run '$0 start $INSTANCE' first"
	printf 'export NEO4J_URI=%q NEO4J_USER=neo4j NEO4J_PASSWORD=%q NEO4J_DATABASE=neo4j\n' \
		"bolt://127.0.0.1:$BOLT_PORT" "$(cat "$PASSWORD_FILE")"
}

cmd_reset() {
	select_instance "${1:-}"
	cmd_stop "$INSTANCE"
	rm -rf "$HOME_DIR"
	log "removed $HOME_DIR"
}

# --- dump and load ---------------------------------------------------------------------

# neo4j-admin (Neo4jAdminCommand, the class behind the tarball's neo4j-admin script) runs on
# the same jars and the instance's conf. Neo4j Community cannot stop one database while the
# server runs, and neo4j-admin refuses to dump or load a database that is mounted, so the
# instance must be stopped: we say so rather than stop a server someone is using.
admin() {
	NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf" "$JAVA" -cp "$LIB/*" \
		org.neo4j.server.startup.Neo4jAdminCommand "$@"
}

require_stopped() {
	local pid
	pid="$(running_pid)"
	[[ -z "$pid" ]] || die "the $INSTANCE instance is running (pid $pid); Neo4j Community can $1 only a stopped database: run '$0 stop $INSTANCE', then '$0 $1 $INSTANCE …', then '$0 start $INSTANCE'"
}

cmd_dump() {
	[[ $# -eq 2 ]] || die "usage: $0 dump INSTANCE FILE"
	select_instance "$1"
	local file="$2"
	[[ -d "$HOME_DIR/data/databases/neo4j" ]] || die "the $INSTANCE instance has no database to dump ($HOME_DIR/data/databases/neo4j is missing)"
	require_stopped dump
	cmd_fetch
	find_java
	render_conf
	local tmp
	tmp="$(mktemp -d "${TMPDIR:-/tmp}/neo4j-dump.XXXXXX")"
	# shellcheck disable=SC2064 # expand tmp now
	trap "rm -rf '$tmp'" EXIT
	log "dumping the $INSTANCE instance's database neo4j to $file ..."
	local started=$SECONDS
	admin database dump neo4j --to-path="$tmp" >"$HOME_DIR/logs/dump.log" 2>&1 ||
		{ cat "$HOME_DIR/logs/dump.log" >&2; die "neo4j-admin database dump failed"; }
	mv "$tmp/neo4j.dump" "$file"
	log "dumped in $((SECONDS - started))s: $file ($(du -h "$file" | cut -f1))"
}

cmd_load() {
	[[ $# -eq 2 ]] || die "usage: $0 load INSTANCE FILE"
	select_instance "$1"
	local file="$2"
	[[ -f "$file" ]] || die "no dump file $file"
	require_stopped load
	cmd_fetch
	find_java
	mkdir -p "$HOME_DIR"/{data,logs,run,plugins,import}
	render_conf
	# A fresh instance gets its password first, as start would: set-initial-password works
	# only before the server's first start, which follows the load.
	[[ -f "$PASSWORD_FILE" ]] || set_initial_password
	local tmp
	tmp="$(mktemp -d "${TMPDIR:-/tmp}/neo4j-load.XXXXXX")"
	# shellcheck disable=SC2064 # expand tmp now
	trap "rm -rf '$tmp'" EXIT
	# load reads <database>.dump from a folder; a link keeps FILE where it is.
	ln -s "$(cd "$(dirname "$file")" && pwd -P)/$(basename "$file")" "$tmp/neo4j.dump"
	log "loading $file into the $INSTANCE instance's database neo4j (replacing it) ..."
	local started=$SECONDS
	admin database load neo4j --from-path="$tmp" --overwrite-destination=true >"$HOME_DIR/logs/load.log" 2>&1 ||
		{ cat "$HOME_DIR/logs/load.log" >&2; die "neo4j-admin database load failed"; }
	log "loaded in $((SECONDS - started))s; start it with '$0 start $INSTANCE'"
}

main() {
	local cmd="${1:-}"
	shift || true
	case "$cmd" in
	fetch) cmd_fetch ;;
	start) cmd_start "$@" ;;
	stop) cmd_stop "$@" ;;
	status) cmd_status "$@" ;;
	env) cmd_env "$@" ;;
	reset) cmd_reset "$@" ;;
	dump) cmd_dump "$@" ;;
	load) cmd_load "$@" ;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

main "$@"
