#!/usr/bin/env bash
# make bench-api: stakegraph's read API beside @neo4j/graphql (bench/api/peer.mjs, from
# the npm registry) on the same Neo4j and the same data (the demo seed), in paired
# autocannon rounds, after a check that both answers carry the same facts; and the nested
# query as hand-written Cypher through the Go driver (bench/api/cypher), the yardstick for
# the GraphQL layer's overhead. Writes the table into docs/benchmarks.md between its
# bench-api markers. Starts the `bench` Neo4j instance unless NEO4J_URI is set — and then
# REPLACES that database's data with the seed. ROUNDS, DURATION and CONNECTIONS pass on
# to bench/api/bench.mjs (defaults 2, 15 s, 16).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin .data
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [[ -n "${stop_neo4j:-}" ]]; then ./neo4j/neo4j.sh stop bench; fi
}
trap cleanup EXIT

go build -o bin/stakegraph ./cmd/stakegraph
(cd bench/api && if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
	npm ci --no-audit --no-fund; fi)

if [[ -z "${NEO4J_URI:-}" ]]; then
	./neo4j/neo4j.sh fetch
	if ! ./neo4j/neo4j.sh status bench >/dev/null; then stop_neo4j=1; fi
	./neo4j/neo4j.sh start bench
	eval "$(./neo4j/neo4j.sh env bench)"
	neo4j_pid="$(cat .data/neo4j-bench/run/neo4j.pid)"
else
	neo4j_pid="${NEO4J_PID:-}" # set it to count Neo4j's CPU on a server of your own
fi
./bin/stakegraph import -replace seed/demo.json

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sg_port="$(free_port)" peer_port="$(free_port)"
./bin/stakegraph serve -addr "127.0.0.1:$sg_port" -no-seed -rate 0 >.data/bench-api-stakegraph.log 2>&1 &
sg_pid=$!
pids+=("$sg_pid")
(cd bench/api && PORT="$peer_port" exec node peer.mjs) >.data/bench-api-peer.log 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
for _ in $(seq 1 120); do
	if curl -fs "http://127.0.0.1:$sg_port/readyz" >/dev/null &&
		curl -fs -H 'content-type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$peer_port/" >/dev/null; then
		break
	fi
	sleep 0.5
done

echo "== hand-written Cypher through the Go driver (the nested query)"
cypher="$(NEO4J_PID="$neo4j_pid" DURATION="${DURATION:-15}" go run ./bench/api/cypher)"
echo "$cypher"

echo "== stakegraph and @neo4j/graphql, paired rounds"
table="$(cd bench/api && SG_URL="http://127.0.0.1:$sg_port/graphql" PEER_URL="http://127.0.0.1:$peer_port/" \
	SG_PIDS="$sg_pid,$neo4j_pid" PEER_PIDS="$peer_pid,$neo4j_pid" node bench.mjs)"
echo "$table"

# The stakegraph nested round's CPU per request against the hand-written Cypher's.
nested_cpu="$(sed -n 's/^| nested: .*| \([0-9.]*\) \/ [0-9.]* ms .*$/\1/p' <<<"$table")"
overhead="$(python3 -c '
import json, sys
c = json.loads(sys.argv[1]); ms = c["cpuMsPerRequest"]
print("%.2f× the CPU per request of the hand-written Cypher (%.2f ms, %.0f req/s)" % (float(sys.argv[2]) / ms, ms, c["rps"]))' "$cypher" "$nested_cpu")"
echo "GraphQL layer, nested query: $overhead"

counts="$(python3 -c 'import json; d = json.load(open("seed/demo.json")); print("%d nodes, %d relationships" % (len(d["nodes"]), len(d["relationships"])))')"
section="$(cat <<MD
<!-- bench-api:begin (written by make bench-api; do not edit by hand) -->
Measured at commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- . ':!docs' || echo ' (with uncommitted changes)') on $(date -u +%Y-%m-%d), model: the demo seed
(\`seed/demo.json\`, $counts); ${ROUNDS:-2} paired rounds of ${DURATION:-15} s, ${CONNECTIONS:-16}
connections; load average at the end $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores.

$table

The nested query as hand-written Cypher through the Go driver: stakegraph used $overhead.
<!-- bench-api:end -->
MD
)"
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path).read()
new = sys.argv[1]
pat = re.compile(r"<!-- bench-api:begin.*?<!-- bench-api:end -->", re.S)
if not pat.search(text):
    sys.exit("docs/benchmarks.md has no bench-api markers")
open(path, "w").write(pat.sub(lambda _: new, text))
PY
echo "== docs/benchmarks.md updated"
