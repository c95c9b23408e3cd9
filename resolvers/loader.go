package resolvers

import (
	"context"
	"sync"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
)

// loader batches traversals so that one GraphQL request costs a number of database round
// trips bounded by the shape of the query, not by the number of rows.
//
// Every list of nodes a resolver returns is registered as a sibling group. When a field
// of one node is resolved (say Nation.agencies), the loader fetches that field for the
// whole group in one Store.Related call and caches the answer for the siblings; the nodes
// that call returns form one new group, so the next level down is again one call. This is
// deterministic: no timers, no waiting for goroutines to gather.
type loader struct {
	store graph.Store

	mu      sync.Mutex
	groups  map[string]*group // node id → the first group it was returned in
	batches map[batchKey]*batch
	proj    *projection
}

type group struct{ ids []string }

type batchKey struct {
	g   *group
	t   graph.RelType
	dir graph.Direction
}

type batch struct {
	once  sync.Once
	edges map[string][]graph.Edge
	err   error
}

type loaderKey struct{}

// withLoader gives ctx a fresh loader; one per GraphQL operation.
func withLoader(ctx context.Context, s graph.Store) context.Context {
	return context.WithValue(ctx, loaderKey{}, &loader{
		store: s, groups: map[string]*group{}, batches: map[batchKey]*batch{},
	})
}

// loaderFrom returns ctx's loader; outside an operation (tests calling resolvers
// directly) a throwaway one.
func loaderFrom(ctx context.Context, s graph.Store) *loader {
	if l, ok := ctx.Value(loaderKey{}).(*loader); ok {
		return l
	}
	return withLoader(ctx, s).Value(loaderKey{}).(*loader)
}

// projection is the request's analysis projection, created on first use.
func (l *loader) projection() *projection {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.proj == nil {
		l.proj = &projection{models: map[graph.Date]*analysis.Model{}}
	}
	return l.proj
}

// register records ids as siblings whose fields are fetched together.
func (l *loader) register(ids []string) {
	if len(ids) == 0 {
		return
	}
	g := &group{ids: ids}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if _, ok := l.groups[id]; !ok {
			l.groups[id] = g
		}
	}
}

// related returns id's relationships of type t in direction dir, fetching them for all of
// id's siblings at once.
func (l *loader) related(ctx context.Context, id string, t graph.RelType, dir graph.Direction) ([]graph.Edge, error) {
	l.mu.Lock()
	g, ok := l.groups[id]
	if !ok {
		g = &group{ids: []string{id}}
		l.groups[id] = g
	}
	k := batchKey{g: g, t: t, dir: dir}
	b, ok := l.batches[k]
	if !ok {
		b = &batch{}
		l.batches[k] = b
	}
	l.mu.Unlock()
	b.once.Do(func() {
		b.edges, b.err = l.store.Related(ctx, g.ids, t, dir)
		if b.err != nil {
			return
		}
		var far []string
		seen := map[string]bool{}
		for _, edges := range b.edges {
			for _, e := range edges {
				if !seen[e.Node.ID] {
					seen[e.Node.ID] = true
					far = append(far, e.Node.ID)
				}
			}
		}
		l.register(far)
	})
	return b.edges[id], b.err
}

// links returns id's relationships as links with both ends, for relationship views.
func (l *loader) links(ctx context.Context, n *graph.Node, t graph.RelType, dir graph.Direction) ([]graph.Link, error) {
	edges, err := l.related(ctx, n.ID, t, dir)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Link, len(edges))
	for i := range edges {
		e := &edges[i]
		out[i] = graph.Link{Relationship: e.Rel, FromNode: n, ToNode: &e.Node, Side: n.ID}
		if e.Rel.From != n.ID {
			out[i].FromNode, out[i].ToNode = &e.Node, n
		}
	}
	return out, nil
}

// neighbours returns the nodes at the other end of id's relationships.
func (l *loader) neighbours(ctx context.Context, id string, t graph.RelType, dir graph.Direction) ([]graph.Node, error) {
	edges, err := l.related(ctx, id, t, dir)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Node, len(edges))
	for i, e := range edges {
		out[i] = e.Node
	}
	return out, nil
}
