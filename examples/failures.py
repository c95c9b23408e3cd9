#!/usr/bin/env python3
"""Pull the gaps and the single points of failure of every objective from a stakegraph
server into CSV files, and load the model into networkx from the GraphML export.

    python3 examples/failures.py [--url http://127.0.0.1:8080] [--out DIR] [--as-of YYYY-MM-DD]

The server is --url, else $STAKEGRAPH_URL, else http://127.0.0.1:8080; a token in
$STAKEGRAPH_TOKEN is sent as the bearer token (a server without authentication needs none).
Writes DIR/gaps.csv and DIR/single_points_of_failure.csv (DIR defaults to the current
directory) and prints a summary. The GraphQL part uses only the standard library; the graph
part needs networkx (Debian: python3-networkx). docs/scripting.md explains each step.
"""
import argparse
import csv
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request

GAPS = """
query($asOf: Date) {
  gaps(asOf: $asOf, first: 100000) {
    kind
    objective { id name }
    capability { id name }
    stakeholder { id name }
    threat { id name }
  }
  gapCounts(asOf: $asOf) { kind count }
}
"""

SPOF = """
query($asOf: Date) {
  singlePointsOfFailure(asOf: $asOf) {
    objective { id name }
    achievable
    cutSets { events { __typename id name } }
  }
}
"""


class GraphQLError(Exception):
    """The server answered errors; each has a message and extensions.code."""


def request(url, token, path, body=None):
    """GET (or POST body, as JSON) url+path and return the response's bytes."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url.rstrip("/") + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        # Refusals (401, 429, ...) come as GraphQL errors too: show them.
        raise GraphQLError(f"{e.code} {e.reason}: {e.read().decode(errors='replace')}") from None


def graphql(url, token, query, variables=None):
    """Run one GraphQL request and return its data, raising GraphQLError on errors."""
    answer = json.loads(request(url, token, "/graphql", {"query": query, "variables": variables or {}}))
    if answer.get("errors"):
        raise GraphQLError("; ".join(
            f"{e.get('extensions', {}).get('code', '?')}: {e['message']}" for e in answer["errors"]))
    return answer["data"]


def ref(node, key):
    """The id or name of an optional node of a gap ('' when the gap has none)."""
    return node[key] if node else ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=os.environ.get("STAKEGRAPH_URL", "http://127.0.0.1:8080"))
    p.add_argument("--out", default=".")
    p.add_argument("--as-of", default=None, help="the date the analyses see (default: today)")
    args = p.parse_args()
    token = os.environ.get("STAKEGRAPH_TOKEN", "")
    variables = {"asOf": args.as_of}
    os.makedirs(args.out, exist_ok=True)

    # 1. Gaps, one row each. gapCounts counts all of them: if it says more than the
    #    rows returned, the list was cut at `first`.
    data = graphql(args.url, token, GAPS, variables)
    gaps = data["gaps"]
    total = sum(c["count"] for c in data["gapCounts"])
    if total > len(gaps):
        print(f"warning: {total} gaps, only {len(gaps)} returned", file=sys.stderr)
    with open(os.path.join(args.out, "gaps.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "objective", "capability", "stakeholder", "threat"])
        for g in gaps:
            w.writerow([g["kind"], ref(g["objective"], "id"), ref(g["capability"], "id"),
                        ref(g["stakeholder"], "id"), ref(g["threat"], "id")])

    # 2. Single points of failure of every objective (coalition view): one row per
    #    objective and event; an objective with none gets one row with an empty event.
    spof = graphql(args.url, token, SPOF, variables)["singlePointsOfFailure"]
    with open(os.path.join(args.out, "single_points_of_failure.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["objective", "objective_name", "achievable", "event", "event_type", "event_name"])
        for o in spof:
            events = [e for cs in o["cutSets"] for e in cs["events"]]
            for e in events or [{"id": "", "__typename": "", "name": ""}]:
                w.writerow([o["objective"]["id"], o["objective"]["name"], str(o["achievable"]).lower(),
                            e["id"], e["__typename"], e["name"]])

    # 3. The model as a networkx graph, from the GraphML export (what this token may see).
    import networkx as nx  # only this step needs it

    with tempfile.NamedTemporaryFile(suffix=".graphml") as f:
        f.write(request(args.url, token, "/export.graphml"))
        f.flush()
        g = nx.read_graphml(f.name)
    # For example: how many objectives each single point of failure would take down, and
    # how many capabilities it provides (its outgoing PROVIDES edges).
    hangs = {}
    for o in spof:
        for cs in o["cutSets"]:
            for e in cs["events"]:
                hangs.setdefault(e["id"], set()).add(o["objective"]["id"])
    top = sorted(hangs, key=lambda e: (-len(hangs[e]), e))[:5]

    summary = {
        "gaps": len(gaps),
        "objectives": len(spof),
        "objectivesWithSinglePoint": sum(1 for o in spof if o["cutSets"]),
        "graph": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()},
        "topSinglePoints": [{
            "id": e,
            "type": g.nodes[e]["type"] if e in g else None,
            "objectives": len(hangs[e]),
            "provides": sum(1 for _, _, d in g.out_edges(e, data=True) if d.get("type") == "PROVIDES") if e in g else 0,
        } for e in top],
    }
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    try:
        main()
    except GraphQLError as e:
        sys.exit(f"failures.py: {e}")
    except urllib.error.URLError as e:
        sys.exit(f"failures.py: cannot reach the server: {e.reason}")
