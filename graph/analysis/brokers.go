package analysis

import (
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// Brokers are the nodes and links the coordination network cannot lose without falling
// apart (docs/analyses.md, "Analyses").
type Brokers struct {
	ArticulationPoints []string    // sorted ids
	Bridges            [][2]string // each pair sorted, list sorted
	// Explanation names the articulation points, the ends of every bridge and the
	// relationship that forms each bridge.
	Explanation Explanation
}

// brGraph is the coordination network in compressed adjacency form: node i's incident
// edges are adj[off[i]:off[i+1]], each entry naming the other end and the edge's index, so
// that parallel edges stay distinct.
type brGraph struct {
	ids  []string
	off  []int32
	to   []int32
	edge []int32
	eu   []int32 // edge index → one end
	ev   []int32 // edge index → the other end
	rels []int32 // edge index → index in Model.Relationships
}

// brCoordination builds the undirected coordination network at AsOf from the PART_OF,
// COORDINATES_WITH and valid PARTY_TO that count (NewModel has already dropped those of
// agreements that do not count). Only nodes with a link are indexed: an isolated node is
// never an articulation point nor the end of a bridge, and not walking every node of the
// model keeps Brokers fast. Node order is first appearance; it changes neither answer.
func (m *Model) brCoordination() *brGraph {
	// Edges are counted first so that the slices are allocated once: at 100k nodes,
	// growing them by doubling costs more than the walk itself.
	ne := 0
	for i := range m.Relationships {
		switch m.Relationships[i].Type {
		case graph.RelPartOf, graph.RelCoordinatesWith, graph.RelPartyTo:
			ne++
		}
	}
	g := &brGraph{ids: make([]string, 0, ne), rels: make([]int32, 0, ne)}
	index := make(map[string]int32, ne)
	node := func(id string) int32 {
		i, ok := index[id]
		if !ok {
			i = int32(len(g.ids))
			index[id] = i
			g.ids = append(g.ids, id)
		}
		return i
	}
	from, to := make([]int32, 0, ne), make([]int32, 0, ne)
	for i := range m.Relationships {
		r := &m.Relationships[i]
		if r.Type != graph.RelPartOf && r.Type != graph.RelCoordinatesWith && r.Type != graph.RelPartyTo || r.From == r.To {
			continue
		}
		from = append(from, node(r.From))
		to = append(to, node(r.To))
		g.rels = append(g.rels, int32(i))
	}
	g.eu, g.ev = from, to
	n := len(g.ids)
	g.off = make([]int32, n+1)
	for e := range from {
		g.off[from[e]+1]++
		g.off[to[e]+1]++
	}
	for i := range n {
		g.off[i+1] += g.off[i]
	}
	g.to = make([]int32, 2*len(from))
	g.edge = make([]int32, 2*len(from))
	pos := slices.Clone(g.off[:n])
	for e := range from {
		u, v := from[e], to[e]
		g.to[pos[u]], g.edge[pos[u]] = v, int32(e)
		pos[u]++
		g.to[pos[v]], g.edge[pos[v]] = u, int32(e)
		pos[v]++
	}
	return g
}

// Brokers returns the articulation points and bridges of the coordination network.
// Parallel edges (A COORDINATES_WITH B and B COORDINATES_WITH A) are two links, so neither
// is a bridge.
func (m *Model) Brokers() Brokers {
	g := m.brCoordination()
	cut, bridges := brTarjan(g)
	// The explanation is built by hand rather than with explainer: on a network of 100k
	// nodes there are tens of thousands of bridges, and sorting slices beats filling sets.
	b := Brokers{ArticulationPoints: []string{}, Bridges: make([][2]string, 0, len(bridges))}
	for i, isCut := range cut {
		if isCut {
			b.ArticulationPoints = append(b.ArticulationPoints, g.ids[i])
		}
	}
	slices.Sort(b.ArticulationPoints)
	named := slices.Clone(cut) // nodes the explanation names, by index, so each once
	rels := make([]string, 0, len(bridges))
	for _, e := range bridges {
		r := &m.Relationships[g.rels[e]]
		b.Bridges = append(b.Bridges, [2]string{min(r.From, r.To), max(r.From, r.To)})
		rels = append(rels, r.Key().ID())
		named[g.eu[e]], named[g.ev[e]] = true, true
	}
	nodes := make([]string, 0, len(rels)+len(b.ArticulationPoints))
	for i, ok := range named {
		if ok {
			nodes = append(nodes, g.ids[i])
		}
	}
	slices.SortFunc(b.Bridges, func(x, y [2]string) int {
		if c := strings.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return strings.Compare(x[1], y[1])
	})
	slices.Sort(nodes)
	slices.Sort(rels)
	// Two relationships between the same pair are never both bridges, so rels has no
	// duplicates.
	b.Explanation = Explanation{Nodes: nodes, Relationships: rels}
	return b
}

// brTarjan finds articulation points and bridges (Hopcroft–Tarjan low-link) with an
// explicit stack, since a path of 100k agencies would overflow a recursive walk's budget.
// A child skips only the very edge it came in by, not every edge to its parent, so a
// parallel edge counts as a back edge and prevents a false bridge.
func brTarjan(g *brGraph) (cut []bool, bridges []int32) {
	n := len(g.ids)
	disc := make([]int32, n) // 0 = not visited
	low := make([]int32, n)
	cut = make([]bool, n)
	type frame struct{ v, inEdge, next int32 }
	var stack []frame
	var clock int32
	for root := range int32(n) {
		if disc[root] != 0 {
			continue
		}
		clock++
		disc[root], low[root] = clock, clock
		stack = append(stack[:0], frame{v: root, inEdge: -1, next: g.off[root]})
		rootChildren := 0
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			v := f.v
			if f.next < g.off[v+1] {
				w, e := g.to[f.next], g.edge[f.next]
				f.next++
				if e == f.inEdge {
					continue
				}
				if disc[w] == 0 {
					clock++
					disc[w], low[w] = clock, clock
					if v == root {
						rootChildren++
					}
					stack = append(stack, frame{v: w, inEdge: e, next: g.off[w]})
				} else if disc[w] < low[v] {
					low[v] = disc[w]
				}
				continue
			}
			inEdge := f.inEdge
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				break
			}
			p := stack[len(stack)-1].v
			if low[v] < low[p] {
				low[p] = low[v]
			}
			if low[v] > disc[p] {
				bridges = append(bridges, inEdge)
			}
			if p != root && low[v] >= disc[p] {
				cut[p] = true
			}
		}
		if rootChildren >= 2 {
			cut[root] = true
		}
	}
	return cut, bridges
}
