"""Reads a GraphML or GEXF file with networkx and prints its nodes and edges as JSON,
for xml_test.go to compare with the document it was written from."""
import json
import sys

import networkx as nx

fmt, path = sys.argv[1], sys.argv[2]
g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": {str(n): d for n, d in g.nodes(data=True)},
    "edges": [{"source": str(u), "target": str(v), "data": d} for u, v, d in g.edges(data=True)],
}))
