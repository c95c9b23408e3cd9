package resolvers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/resolvers/generated"
)

var _ generated.ResolverRoot = (*Resolver)(nil)

// Page sizes: the default when first is absent, and the most a page may hold.
const (
	defaultPage = 50
	maxPage     = 500
	// maxGaps bounds one gaps answer: a large synthetic model has hundreds of thousands.
	maxGaps = 100000
)

// nodeKind is the set of per-label node types; they share graph.Node's layout, so a
// generic function may convert between them.
type nodeKind interface {
	graph.Nation | graph.Agency | graph.Objective | graph.Capability | graph.Agreement | graph.Threat
}

// lookup finds a node of label l by id; nil when there is none (or it has another label).
func lookup[T nodeKind](ctx context.Context, r *Resolver, id string, l graph.Label) (*T, error) {
	n, err := r.loader(ctx).node(ctx, id)
	if err != nil || n == nil || n.Label != l {
		return nil, err
	}
	t := T(*n)
	return &t, nil
}

// page reads one keyset page from the operation's snapshot.
func (r *Resolver) page(ctx context.Context, f graph.NodeFilter, first *int, after *string) (*graph.NodePage, *generated.PageInfo, error) {
	f.First = defaultPage
	if first != nil {
		if *first < 1 || *first > maxPage {
			return nil, nil, graph.Errorf(graph.EINVALID, "first", "first must be between 1 and %d, got %d", maxPage, *first)
		}
		f.First = *first
	}
	if after != nil && *after != "" {
		id, err := decodeCursor(*after)
		if err != nil {
			return nil, nil, err
		}
		f.After = id
	}
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return nil, nil, err
	}
	p := g.Find(graph.ViewerFrom(ctx), f)
	info := &generated.PageInfo{HasNextPage: p.HasNextPage}
	if len(p.Nodes) > 0 {
		c := encodeCursor(p.Nodes[len(p.Nodes)-1].ID)
		info.EndCursor = &c
	}
	return &p, info, nil
}

// search finds nodes of every kind by id, nation code or name, best match first.
func (r *Resolver) search(ctx context.Context, text string, first *int) ([]graph.Entity, error) {
	if len(text) < 1 || len(text) > 200 {
		return nil, graph.Errorf(graph.EINVALID, "text", "text must be 1 to 200 characters")
	}
	n := defaultPage
	if first != nil {
		if *first < 1 || *first > maxPage {
			return nil, graph.Errorf(graph.EINVALID, "first", "first must be between 1 and %d, got %d", maxPage, *first)
		}
		n = *first
	}
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return nil, err
	}
	nodes := g.Search(graph.ViewerFrom(ctx), text, n)
	out := make([]graph.Entity, len(nodes))
	for i := range nodes {
		out[i] = graph.AsEntity(&nodes[i])
	}
	return out, nil
}

// Cursors are opaque to clients: the last id of a page, base64url-encoded. Pages are
// keyset pages, so a cursor stays valid while nodes are added or removed before it.
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte("id:" + id)) }

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 4 || string(b[:3]) != "id:" {
		return "", graph.Errorf(graph.EINVALID, "after", "malformed cursor %q: pass a pageInfo.endCursor", c)
	}
	return string(b[3:]), nil
}

// Gap cursors name a gap by its identity (analysis.GapKey), so a page resumes after that
// gap even when gaps before it came or went; JSON keeps the fields apart whatever they hold.
func encodeGapCursor(k analysis.GapKey) string {
	b, _ := json.Marshal(k) // a struct of strings always encodes
	return base64.RawURLEncoding.EncodeToString(append([]byte("gap:"), b...))
}

func decodeGapCursor(c string) (analysis.GapKey, error) {
	var k analysis.GapKey
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !bytes.HasPrefix(b, []byte("gap:")) || json.Unmarshal(b[4:], &k) != nil || k.Kind == "" {
		return analysis.GapKey{}, graph.Errorf(graph.EINVALID, "after", "malformed cursor %q: pass a pageInfo.endCursor of gapsConnection", c)
	}
	return k, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
