package snapshot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// searchKinds orders the kinds within one rank of a search: a nation before the agencies
// and agreements that carry its name.
var searchKinds = map[graph.Label]int{
	graph.LabelNation: 0, graph.LabelAgency: 1, graph.LabelObjective: 2,
	graph.LabelCapability: 3, graph.LabelAgreement: 4, graph.LabelThreat: 5,
}

// searchRank says how well node i matches text (lower-cased: q): 0 an exact id or nation
// code, 1 an exact name, 2 a name starting with q, 3 a word of the name starting with q,
// 4 a name containing q; -1 no match. All case-insensitive.
func (g *Graph) searchRank(i int, text, q string) int {
	n := &g.nodes[i]
	name := g.lower[i]
	switch {
	case strings.EqualFold(n.ID, text), n.Label == graph.LabelNation && strings.EqualFold(n.Code, text):
		return 0
	case name == q:
		return 1
	case strings.HasPrefix(name, q):
		return 2
	case strings.Contains(name, " "+q), strings.Contains(name, "-"+q), strings.Contains(name, "("+q):
		return 3
	case strings.Contains(name, q):
		return 4
	}
	return -1
}

// Search returns up to first nodes the viewer may see that match text, best first: by rank
// (searchRank), then kind (nations first), then name and id. Scripts and the explorer get
// the same order, so "POL" or "nation:POL" finds Poland before Europol.
func (g *Graph) Search(v *graph.Viewer, text string, first int) []graph.Node {
	text = strings.TrimSpace(text)
	q := strings.ToLower(text)
	type hit struct{ i, rank int }
	var hits []hit
	if text != "" {
		for i := range g.nodes {
			if r := g.searchRank(i, text, q); r >= 0 && v.CanSee(&g.nodes[i]) {
				hits = append(hits, hit{i, r})
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		na, nb := &g.nodes[a.i], &g.nodes[b.i]
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(searchKinds[na.Label], searchKinds[nb.Label]),
			strings.Compare(g.lower[a.i], g.lower[b.i]), strings.Compare(na.ID, nb.ID))
	})
	out := make([]graph.Node, 0, min(first, len(hits)))
	for _, h := range hits[:min(first, len(hits))] {
		out = append(out, g.nodes[h.i])
	}
	return out
}
