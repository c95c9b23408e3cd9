#!/usr/bin/env python3
"""Times networkx's articulation points and bridges on an edge list written by
cmd/benchmark (one "u v" pair a line), for docs/benchmarks.md. Prints JSON."""
import json
import sys
import time

import networkx as nx


def main(path):
    t0 = time.perf_counter()
    g = nx.Graph()
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                g.add_edge(parts[0], parts[1])
    load = time.perf_counter() - t0
    # CPU time beside wall time: on a shared machine the wall clock measures the load too.
    t1, c1 = time.perf_counter(), time.process_time()
    aps = list(nx.articulation_points(g))
    t2, c2 = time.perf_counter(), time.process_time()
    bridges = list(nx.bridges(g))
    t3, c3 = time.perf_counter(), time.process_time()
    print(json.dumps({
        "networkx": nx.__version__,
        "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "loadSeconds": load,
        "articulationPointsSeconds": t2 - t1, "bridgesSeconds": t3 - t2,
        "articulationPointsCPUSeconds": c2 - c1, "bridgesCPUSeconds": c3 - c2,
        "articulationPoints": len(aps), "bridges": len(bridges),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
