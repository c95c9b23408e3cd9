// Package snapshot keeps the whole model in memory, indexed, once per graph version, so
// that the API's reads and analyses are served from memory with Neo4j as the system of
// record. Every write bumps the graph version in its own transaction (graph.Store
// Version), and each request first reads that version — one small round trip — so a write
// through any replica is seen by the next request on every replica.
//
// Releasability is applied here, per viewer, exactly as the store's own reads apply it: a
// node exists for a viewer when graph.Viewer.CanSee says so, and a relationship when both
// its ends do.
package snapshot

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/stakegraph/stakegraph/graph"
)

// Graph is one version of the whole model, indexed for the API's reads. It is immutable:
// requests share it without locks.
type Graph struct {
	version string
	nodes   []graph.Node // sorted by id
	lower   []string     // each node's name, lower-cased, for nameContains
	index   map[string]int32
	byLabel map[graph.Label][]int32 // node indexes of each label, in id order
	rels    []graph.Relationship
	// out and in hold, per node, the indexes of its relationships in (type, other end's id)
	// order.
	out, in    [][]int32
	ends       [][2]int32 // per relationship, the indexes of its start and end nodes
	restricted bool       // some node carries releasableTo: views differ per viewer
	size       int64      // estimated bytes, for the cache's budget

	mu    sync.Mutex
	views map[string]*view
}

// view is what one visibility class of viewers sees, as a document for the analyses.
type view struct {
	once sync.Once
	doc  *graph.Document
}

// Estimated bytes per node and per relationship of a Graph: the node structs with their
// strings, the indexes, and the adjacency lists. BenchmarkMemory measures them against the
// live heap on the medium generated model.
const (
	graphNodeBytes = 480
	graphRelBytes  = 195
)

// NewGraph indexes doc, which the Graph then owns, as version. Relationships whose ends
// are not among the nodes are dropped.
func NewGraph(version string, doc *graph.Document) *Graph {
	g := &Graph{version: version, nodes: doc.Nodes, byLabel: map[graph.Label][]int32{}, views: map[string]*view{}}
	slices.SortFunc(g.nodes, func(a, b graph.Node) int { return strings.Compare(a.ID, b.ID) })
	g.index = make(map[string]int32, len(g.nodes))
	g.lower = make([]string, len(g.nodes))
	for i := range g.nodes {
		n := &g.nodes[i]
		g.index[n.ID] = int32(i)
		g.lower[i] = strings.ToLower(n.Name)
		g.byLabel[n.Label] = append(g.byLabel[n.Label], int32(i))
		if len(n.ReleasableTo) > 0 {
			g.restricted = true
		}
	}
	g.rels = slices.DeleteFunc(doc.Relationships, func(r graph.Relationship) bool {
		_, from := g.index[r.From]
		_, to := g.index[r.To]
		return !from || !to
	})
	g.out = make([][]int32, len(g.nodes))
	g.in = make([][]int32, len(g.nodes))
	g.ends = make([][2]int32, len(g.rels))
	for i := range g.rels {
		r := &g.rels[i]
		from, to := g.index[r.From], g.index[r.To]
		g.ends[i] = [2]int32{from, to}
		g.out[from] = append(g.out[from], int32(i))
		g.in[to] = append(g.in[to], int32(i))
	}
	byTypeThen := func(other func(*graph.Relationship) string) func(a, b int32) int {
		return func(a, b int32) int {
			ra, rb := &g.rels[a], &g.rels[b]
			return cmp.Or(strings.Compare(string(ra.Type), string(rb.Type)), strings.Compare(other(ra), other(rb)))
		}
	}
	for i := range g.nodes {
		slices.SortFunc(g.out[i], byTypeThen(func(r *graph.Relationship) string { return r.To }))
		slices.SortFunc(g.in[i], byTypeThen(func(r *graph.Relationship) string { return r.From }))
	}
	g.size = int64(len(g.nodes))*graphNodeBytes + int64(len(g.rels))*graphRelBytes
	doc.Nodes, doc.Relationships = g.nodes, g.rels
	return g
}

// Version is the graph version this copy was read at.
func (g *Graph) Version() string { return g.version }

// Size is the Graph's estimated memory in bytes.
func (g *Graph) Size() int64 { return g.size }

// Counts is the number of nodes and relationships held.
func (g *Graph) Counts() (nodes, relationships int) { return len(g.nodes), len(g.rels) }

// Node returns the node with this id when the viewer may see it.
func (g *Graph) Node(v *graph.Viewer, id string) (*graph.Node, bool) {
	i, ok := g.index[id]
	if !ok || !v.CanSee(&g.nodes[i]) {
		return nil, false
	}
	return &g.nodes[i], true
}

// Find returns one page of the nodes that f selects, ordered by id, with the same meaning
// as graph.Store's FindNodes: a keyset page after f.After, and the count of every match.
func (g *Graph) Find(v *graph.Viewer, f graph.NodeFilter) graph.NodePage {
	page := graph.NodePage{Nodes: []graph.Node{}}
	g.filter(v, f, func(i int32) {
		page.TotalCount++
		if f.After != "" && g.nodes[i].ID <= f.After {
			return
		}
		if len(page.Nodes) < f.First {
			page.Nodes = append(page.Nodes, g.nodes[i])
		} else {
			page.HasNextPage = true
		}
	})
	return page
}

// filter calls fn, in id order, with the index of each node that f's simple conditions
// (label, ids, name, kind…) select and the viewer may see; f's First and After are not
// read.
func (g *Graph) filter(v *graph.Viewer, f graph.NodeFilter, fn func(i int32)) {
	var candidates []int32
	switch {
	case f.IDs != nil:
		for _, id := range f.IDs {
			if i, ok := g.index[id]; ok && (f.Label == "" || g.nodes[i].Label == f.Label) {
				candidates = append(candidates, i)
			}
		}
		slices.Sort(candidates) // node indexes are in id order
		candidates = slices.Compact(candidates)
	case f.Label != "":
		candidates = g.byLabel[f.Label]
	default:
		candidates = make([]int32, len(g.nodes))
		for i := range candidates {
			candidates[i] = int32(i)
		}
	}
	q := strings.ToLower(strings.TrimSpace(f.NameContains))
	for _, i := range candidates {
		n := &g.nodes[i]
		if v.CanSee(n) && (q == "" || strings.Contains(g.lower[i], q)) &&
			(f.Kind == "" || n.Kind == f.Kind) && (f.Domain == "" || n.Domain == f.Domain) &&
			(f.Region == "" || n.Region == f.Region) && (f.Code == "" || n.Code == f.Code) &&
			(f.Category == "" || n.Category == f.Category) {
			fn(i)
		}
	}
}

// Edge is one relationship seen from a node: the relationship and the node at its other
// end, both shared with the Graph (never modify them).
type Edge struct {
	Rel  *graph.Relationship
	Node *graph.Node
}

// Related returns id's relationships of type t in direction dir that the viewer may see,
// ordered by the other end's id (for Both, outgoing ones first).
func (g *Graph) Related(v *graph.Viewer, id string, t graph.RelType, dir graph.Direction) []Edge {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	var out []Edge
	add := func(list []int32, far func(*graph.Relationship) string) {
		lo, _ := slices.BinarySearchFunc(list, t, func(ri int32, t graph.RelType) int {
			return strings.Compare(string(g.rels[ri].Type), string(t))
		})
		for _, ri := range list[lo:] {
			r := &g.rels[ri]
			if r.Type != t {
				break
			}
			n := &g.nodes[g.index[far(r)]]
			if v.CanSee(n) {
				out = append(out, Edge{Rel: r, Node: n})
			}
		}
	}
	if dir == graph.Outgoing || dir == graph.Both {
		add(g.out[i], func(r *graph.Relationship) string { return r.To })
	}
	if dir == graph.Incoming || dir == graph.Both {
		add(g.in[i], func(r *graph.Relationship) string { return r.From })
	}
	return out
}

// visibilityKey names the class of viewers who see the same nodes: administrators see all,
// everyone else what is releasable to their nation.
func visibilityKey(v *graph.Viewer) string {
	if v.SeesAll() {
		return "*"
	}
	if v == nil {
		return ""
	}
	return v.Nation
}

// Document is the part of the model the viewer may see, for the analyses: shared with the
// Graph and with every viewer of the same class, so never modify it.
func (g *Graph) Document(v *graph.Viewer) *graph.Document {
	key := visibilityKey(v)
	if !g.restricted {
		key = "*" // every viewer sees everything
	}
	g.mu.Lock()
	w, ok := g.views[key]
	if !ok {
		w = &view{}
		g.views[key] = w
	}
	g.mu.Unlock()
	w.once.Do(func() {
		if key == "*" {
			w.doc = &graph.Document{Version: graph.DocumentVersion, Nodes: g.nodes, Relationships: g.rels}
			return
		}
		doc := &graph.Document{Version: graph.DocumentVersion}
		seen := make([]bool, len(g.nodes))
		for i := range g.nodes {
			if v.CanSee(&g.nodes[i]) {
				seen[i] = true
				doc.Nodes = append(doc.Nodes, g.nodes[i])
			}
		}
		for i := range g.rels {
			r := &g.rels[i]
			if seen[g.index[r.From]] && seen[g.index[r.To]] {
				doc.Relationships = append(doc.Relationships, *r)
			}
		}
		w.doc = doc
	})
	return w.doc
}
