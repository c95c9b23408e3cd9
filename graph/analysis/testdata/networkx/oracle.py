#!/usr/bin/env python3
"""Independent oracle for graph/analysis (Brokers, Coalitions), run by networkx_oracle_test.go.

Usage: oracle.py CASES.json OUT.json
       oracle.py --bench DOC.json ASOF          (times articulation_points + bridges)

Each case names an interchange document (graph.Document as JSON), an asOf date, a
threshold and the partition the Go code found. This script projects the document at asOf
on its own, following docs/analyses.md, "Validity by date" (validFrom <= d < validTo, signed <= d < expires, an agreement
that does not count is dropped with its relationships), and answers with networkx:
  - articulation points and bridges of the coordination network (a MultiGraph, so that two
    COORDINATES_WITH in opposite directions are two parallel links);
  - the alignment graph over nations (weighted Jaccard of priorities, a nation's priority
    being the max over itself and its agencies; edges with weight >= threshold);
  - the best modularity Louvain finds over several seeds, and the modularity of the Go
    partition on that graph;
  - the overlap score of every pair of nations, None where both pursue nothing (an empty
    union) and 0 where only one does.
"""
import json
import sys
import time

import networkx as nx


def counts(frm, to, d):
    return (not frm or frm <= d) and (not to or d < to)


def project(doc, d):
    labels = {}
    for n in doc["nodes"]:
        if n["label"] == "Agreement" and not counts(n.get("signed"), n.get("expires"), d):
            continue
        labels[n["id"]] = n["label"]
    rels = []
    for r in doc["relationships"]:
        if r["from"] not in labels or r["to"] not in labels:
            continue
        if r["type"] in ("PROVIDES", "PARTY_TO") and not counts(r.get("validFrom"), r.get("validTo"), d):
            continue
        rels.append(r)
    return labels, rels


def coordination(labels, rels):
    g = nx.MultiGraph()
    g.add_nodes_from(i for i, l in labels.items() if l in ("Nation", "Agency", "Agreement"))
    for r in rels:
        if r["type"] in ("PART_OF", "COORDINATES_WITH", "PARTY_TO"):
            g.add_edge(r["from"], r["to"])
    return g


def priorities(labels, rels):
    nations = sorted(i for i, l in labels.items() if l == "Nation")
    nation_of = {r["from"]: r["to"] for r in rels if r["type"] == "PART_OF"}
    prio = {n: {} for n in nations}
    for r in rels:
        if r["type"] != "PURSUES":
            continue
        s = r["from"]
        n = s if labels[s] == "Nation" else nation_of.get(s)
        if n is None:
            continue
        prio[n][r["to"]] = max(prio[n].get(r["to"], 0), r["priority"])
    return nations, prio


def jaccard(pa, pb):
    union = set(pa) | set(pb)
    if not union:
        return None
    lo = sum(min(pa.get(o, 0), pb.get(o, 0)) for o in union)
    hi = sum(max(pa.get(o, 0), pb.get(o, 0)) for o in union)
    return lo / hi


def overlaps(labels, rels):
    nations, prio = priorities(labels, rels)
    return [[a, b, jaccard(prio[a], prio[b])] for i, a in enumerate(nations) for b in nations[i + 1:]]


def alignment(labels, rels, threshold):
    nations, prio = priorities(labels, rels)
    g = nx.Graph()
    g.add_nodes_from(nations)
    for i, a in enumerate(nations):
        for b in nations[i + 1:]:
            pa, pb = prio[a], prio[b]
            union = set(pa) | set(pb)
            lo = sum(min(pa.get(o, 0), pb.get(o, 0)) for o in union)
            hi = sum(max(pa.get(o, 0), pb.get(o, 0)) for o in union)
            if lo > 0 and lo / hi >= threshold:
                g.add_edge(a, b, weight=lo / hi)
    return g


def answer(case):
    with open(case["doc"]) as f:
        doc = json.load(f)
    labels, rels = project(doc, case["asOf"])
    cg = coordination(labels, rels)
    ag = alignment(labels, rels, case["threshold"])
    out = {
        "articulationPoints": sorted(nx.articulation_points(cg)),
        "bridges": sorted(sorted(e) for e in nx.bridges(cg)),
        "alignment": sorted([min(u, v), max(u, v), w] for u, v, w in ag.edges(data="weight")),
        "louvainBest": None,
        "oursModularity": None,
        "overlaps": overlaps(labels, rels),
    }
    if ag.number_of_edges() > 0:
        best = max(
            nx.community.modularity(ag, nx.community.louvain_communities(ag, weight="weight", seed=s), weight="weight")
            for s in range(case.get("seeds", 5))
        )
        out["louvainBest"] = best
        out["oursModularity"] = nx.community.modularity(ag, [set(c) for c in case["communities"]], weight="weight")
    return out


def bench(doc_path, d):
    with open(doc_path) as f:
        doc = json.load(f)
    labels, rels = project(doc, d)
    g = coordination(labels, rels)
    # One run: networkx takes seconds here, and the margin asked for (30x) dwarfs its noise.
    t0 = time.perf_counter()
    aps = set(nx.articulation_points(g))
    brs = list(nx.bridges(g))
    dt = time.perf_counter() - t0
    print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                      "articulationPoints": len(aps), "bridges": len(brs), "seconds": dt}))


def main():
    if sys.argv[1] == "--bench":
        bench(sys.argv[2], sys.argv[3])
        return
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    with open(sys.argv[2], "w") as f:
        json.dump({c["name"]: answer(c) for c in cases}, f)


if __name__ == "__main__":
    main()
