package resolvers

import (
	"context"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/snapshot"
	"github.com/stakegraph/stakegraph/resolvers/generated"
)

// listPage is one page of a list as the connection types show it.
type listPage struct {
	snapshot.Result
	cursors []string
	info    *generated.PageInfo
}

// pageInfo fills Relay's PageInfo and each item's cursor from a result.
func pageOf(res snapshot.Result, sig string, plain bool) *listPage {
	p := &listPage{Result: res, info: &generated.PageInfo{HasNextPage: res.HasNextPage, HasPreviousPage: res.HasPreviousPage}}
	for _, k := range res.Keys {
		p.cursors = append(p.cursors, encodeKeyCursor(sig, k, plain))
	}
	if n := len(p.cursors); n > 0 {
		p.info.StartCursor, p.info.EndCursor = &p.cursors[0], &p.cursors[n-1]
	}
	return p
}

// list reads one page of a root list of label l (GraphQL type typ): the simple filter,
// the where condition, the order and the page.
func (r *Resolver) list(ctx context.Context, f graph.NodeFilter, where map[string]any, a pageArgs) (*listPage, error) {
	typ := string(f.Label)
	cond, err := toCond(typ+"Where", nilIfEmpty(where), "where")
	if err != nil {
		return nil, err
	}
	page, sig, err := toPage(typ, a, 1, true)
	if err != nil {
		return nil, err
	}
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return nil, err
	}
	res := g.Select(graph.ViewerFrom(ctx), snapshot.Query{Filter: f, Where: cond, Page: page})
	return pageOf(res, sig, sig == "" && len(page.OrderBy) == 0), nil
}

// nilIfEmpty makes an absent where nil (gqlgen passes a nil map for it).
func nilIfEmpty(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

// relFieldOf finds the traversal field of a node type in where.go's tables.
func relFieldOf(typ, field string) relSpec {
	r, ok := relField(typ, field)
	if !ok {
		panic("resolvers: no traversal " + typ + "." + field) // the tables and the schema disagree
	}
	return r
}

// relField finds the traversal field of a node type (Nation, …) in where.go's table; ok is
// false for any other field.
func relField(typ, field string) (relSpec, bool) {
	if s, ok := whereByType[typ+"Where"]; ok {
		for _, r := range s.rels {
			if r.field == field {
				return r, true
			}
		}
	}
	return relSpec{}, false
}

// itemType is the GraphQL type a traversal's items have: the relationship view or the
// far node's type.
func (r relSpec) itemType() string {
	if r.view != "" {
		return r.view
	}
	return string(r.far)
}

// traversal reads a traversal field's items that match its arguments; ties is how a
// connection's cursor ends (the far end's id, then the relationship's).
func (r *Resolver) traversal(ctx context.Context, from *graph.Node, typ, field string, where map[string]any, a pageArgs) (*listPage, error) {
	rs := relFieldOf(typ, field)
	cond, err := toCond(rs.whereType(), nilIfEmpty(where), "where")
	if err != nil {
		return nil, err
	}
	page, sig, err := toPage(rs.itemType(), a, 2, false)
	if err != nil {
		return nil, err
	}
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return nil, err
	}
	res := g.SelectEdges(graph.ViewerFrom(ctx), from.ID, snapshot.EdgeQuery{
		Type: rs.rel, Dir: rs.dir, Far: rs.far, Where: cond, OnNode: rs.view == "", Page: page,
	})
	return pageOf(res, sig, false), nil
}

// noArgs reports whether a traversal field was asked without arguments: it then answers
// as it always has, in its natural order.
func noArgs(where map[string]any, orderBy []map[string]any, first *int) bool {
	return where == nil && orderBy == nil && first == nil
}

// traverseNodes answers a traversal field that lists nodes.
func traverseNodes[T nodeKind](ctx context.Context, r *Resolver, from *graph.Node, typ, field string, where map[string]any, orderBy []map[string]any, first *int) ([]T, error) {
	if noArgs(where, orderBy, first) {
		rs := relFieldOf(typ, field)
		return neighbours[T](ctx, r.loader(ctx), from.ID, rs.rel, rs.dir)
	}
	p, err := r.traversal(ctx, from, typ, field, where, traversalArgs(orderBy, first))
	if err != nil {
		return nil, err
	}
	return edgeNodes[T](p.Edges), nil
}

// traverseLinks answers a traversal field that lists relationship views.
func (r *Resolver) traverseLinks(ctx context.Context, from *graph.Node, typ, field string, where map[string]any, orderBy []map[string]any, first *int) ([]graph.Link, error) {
	if noArgs(where, orderBy, first) {
		rs := relFieldOf(typ, field)
		return r.loader(ctx).links(ctx, from, rs.rel, rs.dir)
	}
	p, err := r.traversal(ctx, from, typ, field, where, traversalArgs(orderBy, first))
	if err != nil {
		return nil, err
	}
	return edgeLinks(from, p.Edges), nil
}

// traversalArgs are a traversal list's arguments as paging arguments: without first,
// every item.
func traversalArgs(orderBy []map[string]any, first *int) pageArgs {
	return pageArgs{orderBy: orderBy, first: first, all: true}
}

// edgeNodes are the far nodes of edges, as one label's type.
func edgeNodes[T nodeKind](es []snapshot.Edge) []T {
	out := make([]T, len(es))
	for i, e := range es {
		out[i] = T(*e.Node)
	}
	return out
}

// edgeLinks are edges reached from n as links with both ends.
func edgeLinks(n *graph.Node, es []snapshot.Edge) []graph.Link {
	out := make([]graph.Link, len(es))
	for i, e := range es {
		out[i] = graph.Link{Relationship: *e.Rel, FromNode: n, ToNode: e.Node, Side: n.ID}
		if e.Rel.From != n.ID {
			out[i].FromNode, out[i].ToNode = e.Node, n
		}
	}
	return out
}

// nodeConn builds a connection's edges from a page's items (nodes or relationship views)
// and their cursors.
func nodeConn[T, E any](p *listPage, ns []T, edge func(cursor string, n *T) E) []E {
	var out []E
	for i := range ns {
		out = append(out, edge(p.cursors[i], &ns[i]))
	}
	return out
}

// pageNodes are a root list page's nodes as one label's type.
func pageNodes[T nodeKind](p *listPage) []T {
	out := make([]T, len(p.Nodes))
	for i, n := range p.Nodes {
		out[i] = T(*n)
	}
	return out
}
