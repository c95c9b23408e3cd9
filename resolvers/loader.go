package resolvers

import (
	"context"
	"sync"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/graph/snapshot"
)

// maxDates bounds the distinct asOf dates one request may analyse: each is a projection
// of the whole model.
const maxDates = 8

// loader is one GraphQL operation's view of the model: the snapshot of the graph version
// current when the operation first read it, so every field of one answer reads the same
// version. Reading it costs one round trip (the version) when the cache holds that
// version, and a full read of the graph otherwise. A write in the operation makes the
// next read take the version again.
type loader struct {
	cache *snapshot.Cache

	mu    sync.Mutex
	g     *snapshot.Graph
	dates map[graph.Date]bool
}

type loaderKey struct{}

// withLoader gives ctx a fresh loader; one per GraphQL operation.
func withLoader(ctx context.Context, c *snapshot.Cache) context.Context {
	return context.WithValue(ctx, loaderKey{}, &loader{cache: c, dates: map[graph.Date]bool{}})
}

// loader is the operation's loader; outside an operation (tests calling resolvers
// directly) a throwaway one.
func (r *Resolver) loader(ctx context.Context) *loader {
	if l, ok := ctx.Value(loaderKey{}).(*loader); ok {
		return l
	}
	return &loader{cache: r.snapshots(), dates: map[graph.Date]bool{}}
}

// graph returns the operation's snapshot, reading it on first use.
func (l *loader) graph(ctx context.Context) (*snapshot.Graph, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.g != nil {
		return l.g, nil
	}
	g, err := l.cache.Graph(ctx)
	if err != nil {
		return nil, err
	}
	l.g = g
	return g, nil
}

// wrote forgets the snapshot after a write of this operation, so the fields read after
// it see the write.
func (l *loader) wrote() {
	l.mu.Lock()
	l.g = nil
	l.mu.Unlock()
}

// model returns the analysis projection at asOf (today when nil) of what the viewer sees,
// refusing more than maxDates distinct dates in one operation.
func (l *loader) model(ctx context.Context, asOf *graph.Date) (*snapshot.Graph, *analysis.Model, error) {
	g, err := l.graph(ctx)
	if err != nil {
		return nil, nil, err
	}
	d := graph.Today()
	if asOf != nil && *asOf != "" {
		d = *asOf
	}
	l.mu.Lock()
	if !l.dates[d] && len(l.dates) >= maxDates {
		l.mu.Unlock()
		return nil, nil, graph.Errorf(graph.ETOOCOMPLEX, "asOf",
			"one request may analyse at most %d distinct asOf dates; split it into several requests", maxDates)
	}
	l.dates[d] = true
	l.mu.Unlock()
	m, err := l.cache.Model(ctx, g, graph.ViewerFrom(ctx), d)
	return g, m, err
}

// related returns id's relationships of type t in direction dir that the viewer may see.
func (l *loader) related(ctx context.Context, id string, t graph.RelType, dir graph.Direction) ([]snapshot.Edge, error) {
	g, err := l.graph(ctx)
	if err != nil {
		return nil, err
	}
	return g.Related(graph.ViewerFrom(ctx), id, t, dir), nil
}

// links returns n's relationships as links with both ends, for relationship views.
func (l *loader) links(ctx context.Context, n *graph.Node, t graph.RelType, dir graph.Direction) ([]graph.Link, error) {
	edges, err := l.related(ctx, n.ID, t, dir)
	if err != nil {
		return nil, err
	}
	return edgeLinks(n, edges), nil
}

// neighbours returns the nodes at the other end of id's relationships, as one label's type.
func neighbours[T nodeKind](ctx context.Context, l *loader, id string, t graph.RelType, dir graph.Direction) ([]T, error) {
	edges, err := l.related(ctx, id, t, dir)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(edges))
	for i, e := range edges {
		out[i] = T(*e.Node)
	}
	return out, nil
}

// node returns the node with this id when the viewer may see it.
func (l *loader) node(ctx context.Context, id string) (*graph.Node, error) {
	g, err := l.graph(ctx)
	if err != nil {
		return nil, err
	}
	n, _ := g.Node(graph.ViewerFrom(ctx), id)
	return n, nil
}
