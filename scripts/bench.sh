#!/usr/bin/env bash
# Benchmarks the analyses on a large generated model (issue 3's targets) and, in the same
# run, networkx on the same coordination network. Starts the `bench` Neo4j instance
# (more heap: the model is imported in one transaction) unless NEO4J_URI is set, and stops
# it again if it started it. Usage: scripts/bench.sh [preset] (default: large);
# SKIP_IMPORT=1 reuses the model already loaded. With NEO4J_URI set, NEO4J_PID (the server's
# process id, e.g. from its run/neo4j.pid) adds Neo4j's CPU time to the figures.
# Figures go to stdout; docs/benchmarks.md records them with the machine they came from.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-large}"
work=".data/bench"
mkdir -p "$work" bin

go build -o bin/stakegraph ./cmd/stakegraph
go build -o bin/benchmark ./cmd/benchmark

if [[ -z "${NEO4J_URI:-}" ]]; then
	if ! ./neo4j/neo4j.sh status bench >/dev/null; then trap './neo4j/neo4j.sh stop bench' EXIT; fi
	if [[ "${SKIP_IMPORT:-}" != 1 ]]; then
		# Import into an empty database: replacing a model of this size in the same
		# transaction would hold both in the heap.
		./neo4j/neo4j.sh reset bench
	fi
	./neo4j/neo4j.sh start bench
	eval "$(./neo4j/neo4j.sh env bench)"
	NEO4J_PID="$(cat .data/neo4j-bench/run/neo4j.pid)"
fi
# Wall times on a shared machine measure its load as well: CPU times go beside them.
pidflag=()
if [[ -n "${NEO4J_PID:-}" ]]; then pidflag=(-neo4j-pid "$NEO4J_PID"); fi
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), graph/gen at $(git log -1 --format=%h -- graph/gen)"

model="$work/$preset.json"
if [[ ! -s "$model" ]]; then
	echo "== generating the $preset model"
	/usr/bin/time -f "%e s, peak RSS %M KiB" ./bin/stakegraph gen -preset "$preset" -seed 1 "$model"
fi
if [[ "${SKIP_IMPORT:-}" == 1 ]]; then
	echo "== SKIP_IMPORT=1: using the model already in $NEO4J_URI"
else
	echo "== importing $model (one transaction)"
	n0="$(if [[ -n "${NEO4J_PID:-}" ]]; then awk '{print $14+$15}' "/proc/$NEO4J_PID/stat"; else echo 0; fi)"
	/usr/bin/time -f "%e s wall, %U s user + %S s system CPU, peak RSS %M KiB" ./bin/stakegraph import -replace "$model"
	if [[ -n "${NEO4J_PID:-}" ]]; then
		echo "Neo4j CPU during the import: $(awk -v n0="$n0" '{printf "%.1f", ($14+$15-n0)/100}' "/proc/$NEO4J_PID/stat") s"
	fi
fi

echo "== analyses (Go): a first run right after the import, then three more"
./bin/benchmark -asof 2026-11-27 -max-order 3 "${pidflag[@]}" -edges "$work/coordination.edges" | tee "$work/go-1.json"
for run in 2 3 4; do ./bin/benchmark -asof 2026-11-27 -max-order 3 "${pidflag[@]}" >"$work/go-$run.json"; done

echo "== networkx on the same coordination network"
/usr/bin/python3 scripts/networkx_brokers.py "$work/coordination.edges" | tee "$work/networkx.json"

/usr/bin/python3 - "$work/networkx.json" "$work"/go-{1,2,3,4}.json <<'PY'
import json, statistics, sys
nx = json.load(open(sys.argv[1])); runs = [json.load(open(p)) for p in sys.argv[2:]]
cold = {x["name"]: x for x in runs[0]["figures"]}
# Each figure is the median of the runs after the first; the first (cold caches right
# after a large import) is reported beside the projection.
def median(name, key="seconds"):
    return statistics.median(r_.get(key, 0) for run in runs[1:] for r_ in run["figures"] if r_["name"] == name)
f = {name: dict(x, seconds=median(name), cpu=median(name, "cpuSeconds"), neo=median(name, "neo4jCPUSeconds")) for name, x in cold.items()}
def cpu(name):
    x = f[name]
    return f"CPU {x['cpu']:.2f}" + (f" + Neo4j {x['neo']:.2f}" if x["neo"] else "")
go = {"peakRSSMiB": max(r["peakRSSMiB"] for r in runs)}
coldp = cold["read the graph from Neo4j"]["seconds"] + cold["build the projection"]["seconds"] + cold["order-1 cut sets of every objective"]["seconds"]
read = f["read the graph from Neo4j"]["seconds"]; proj = f["build the projection"]["seconds"]
o1 = f["order-1 cut sets of every objective"]["seconds"]; o2 = f["order-2 cut sets of every objective"]["seconds"]
br = f["brokers (articulation points and bridges)"]["seconds"]
wi = f["what-if, three nations down"]["seconds"]
nxs = nx["articulationPointsSeconds"] + nx["bridgesSeconds"]
nxc = nx["articulationPointsCPUSeconds"] + nx["bridgesCPUSeconds"]
rows = [
  ("model", f["read the graph from Neo4j"]["note"], ""),
  ("projection (read from Neo4j + build) + order-1 scan", f"{read + proj + o1:.2f} s (read {read:.2f}, build {proj:.2f}, scan {o1:.2f}); first run after the import {coldp:.2f} s", "< 5 s"),
  ("CPU time of those steps (the benchmark process; Neo4j)", f"read {cpu('read the graph from Neo4j')}; build {cpu('build the projection')}; scan {cpu('order-1 cut sets of every objective')}", ""),
  ("order-2 scan of every objective", f"{o2:.2f} s ({f['order-2 cut sets of every objective']['note']})", "< 60 s"),
  ("order-3 scan of every objective", f"{f['order-3 cut sets of every objective']['seconds']:.2f} s ({f['order-3 cut sets of every objective']['note']})", ""),
  ("brokers: articulation points + bridges", f"{br*1000:.1f} ms ({f['brokers (articulation points and bridges)']['note']})", ""),
  ("networkx articulation_points + bridges", f"{nxs*1000:.1f} ms ({nx['articulationPoints']} APs, {nx['bridges']} bridges, networkx {nx['networkx']})", ""),
  ("speed-up over networkx", f"{nxs/br:.0f}x", ">= 30x"),
  ("speed-up over networkx in CPU time", f"{nxc/f['brokers (articulation points and bridges)']['cpu']:.0f}x (networkx {nxc*1000:.0f} ms, Go {f['brokers (articulation points and bridges)']['cpu']*1000:.0f} ms of CPU)", ""),
  ("what-if, three nations down", f"{wi*1000:.1f} ms ({f['what-if, three nations down']['note']})", ""),
  ("peak RSS of the analysis process", f"{go['peakRSSMiB']:.0f} MiB", "< 2048 MiB"),
]
print("\n| measure | result | target |\n|---|---|---|")
for r in rows: print(f"| {r[0]} | {r[1]} | {r[2]} |")
PY
