package analysis

import (
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// Explanation names the nodes and relationships that make an answer true (docs/analyses.md, "Analyses"), so
// the explorer can highlight them and an analyst can check them. Both lists hold ids
// (relationship ids are graph.RelKey.ID()), sorted and without duplicates.
type Explanation struct {
	Nodes         []string
	Relationships []string
}

// explainer accumulates an Explanation; the zero value is ready to use. Sets rather than
// slices because the same node or relationship is usually reached along several paths.
type explainer struct {
	nodes map[string]struct{}
	rels  map[string]struct{}
}

// node adds node ids.
func (e *explainer) node(ids ...string) {
	if e.nodes == nil {
		e.nodes = map[string]struct{}{}
	}
	for _, id := range ids {
		if id != "" {
			e.nodes[id] = struct{}{}
		}
	}
}

// rel adds relationships by key.
func (e *explainer) rel(keys ...graph.RelKey) {
	if e.rels == nil {
		e.rels = map[string]struct{}{}
	}
	for _, k := range keys {
		e.rels[k.ID()] = struct{}{}
	}
}

// merge adds everything x names.
func (e *explainer) merge(x Explanation) {
	e.node(x.Nodes...)
	if e.rels == nil {
		e.rels = map[string]struct{}{}
	}
	for _, id := range x.Relationships {
		e.rels[id] = struct{}{}
	}
}

// build returns the sorted Explanation; empty lists are non-nil so JSON shows [] not null.
func (e *explainer) build() Explanation {
	return Explanation{Nodes: explainSorted(e.nodes), Relationships: explainSorted(e.rels)}
}

func explainSorted(set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
