package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/stakegraph/stakegraph/graph"
)

// common builds a node from the properties every node input shares.
func common(l graph.Label, id, name string, description, source *string, confidence *float64, releasableTo []string, reliability *float64) graph.Node {
	return graph.Node{
		Label: l, ID: id, Name: name, Description: deref(description), Source: deref(source),
		Confidence: confidence, ReleasableTo: releasableTo, Reliability: reliability,
	}
}

// upsert writes one node and returns it as stored.
func upsert[T nodeKind](ctx context.Context, r *Resolver, n graph.Node) (*T, error) {
	out, err := r.Store.UpsertNodes(ctx, []graph.Node{n})
	if err != nil {
		return nil, err
	}
	t := T(out[0])
	return &t, nil
}

// linksOf loads the end nodes of written relationships in one round trip.
func (r *Resolver) linksOf(ctx context.Context, rels []graph.Relationship) ([]graph.Link, error) {
	var ids []string
	for _, rel := range rels {
		ids = append(ids, rel.From, rel.To)
	}
	nodes, err := r.Store.NodesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Link, len(rels))
	for i, rel := range rels {
		from, to := nodes[rel.From], nodes[rel.To]
		out[i] = graph.Link{Relationship: rel, FromNode: &from, ToNode: &to, Side: rel.From}
	}
	return out, nil
}

// documentOf reads the JSON argument of importGraph as an interchange document, strictly.
func documentOf(v any) (*graph.Document, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "document", "not a JSON document: %v", err)
	}
	doc, err := graph.DecodeDocument(bytes.NewReader(b))
	if err != nil {
		return nil, inDocument(err)
	}
	// Through the API, a document could write history that never happened; restoring a
	// backup's trail takes the database's own credentials (stakegraph import).
	if doc.Audit != nil {
		return nil, graph.Errorf(graph.EINVALID, "document.audit",
			"importGraph does not restore audit trails; restore a backup with `stakegraph import`")
	}
	return doc, nil
}

// inDocument names an input error's field from the importGraph argument, so
// "nodes[3].domain" reads "document.nodes[3].domain".
func inDocument(err error) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Code == graph.EINVALID {
		f := "document"
		if e.Field != "" {
			f += "." + e.Field
		}
		return &graph.Error{Code: e.Code, Field: f, Message: e.Message}
	}
	return err
}

// changeRecord shows one side of an audited change in the interchange format; nil when
// that side is absent.
func changeRecord(c *graph.ChangeRecord) any {
	switch {
	case c == nil:
		return nil
	case c.Node != nil:
		return c.Node
	default:
		return c.Relationship
	}
}
