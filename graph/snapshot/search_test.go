package snapshot

import (
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

func TestSearchRanksIdsAndCodesThenNamePrefixesThenNations(t *testing.T) {
	g := NewGraph("v1", &graph.Document{Version: graph.DocumentVersion, Nodes: []graph.Node{
		{Label: graph.LabelNation, ID: "nation:POL", Name: "Poland", Code: "POL"},
		{Label: graph.LabelNation, ID: "nation:FRA", Name: "France", Code: "FRA"},
		{Label: graph.LabelNation, ID: "nation:USA", Name: "United States", Code: "USA"},
		{Label: graph.LabelNation, ID: "nation:FIN", Name: "Finland", Code: "FIN"},
		{Label: graph.LabelAgency, ID: "agency:europol", Name: "Europol", Kind: "INTERNATIONAL"},
		{Label: graph.LabelAgency, ID: "agency:pol-mod", Name: "Polish Ministry of Defence", Kind: "MILITARY"},
		{Label: graph.LabelAgency, ID: "agency:cisa", Name: "Cybersecurity and Infrastructure Security Agency", Kind: "CIVIL"},
		{Label: graph.LabelAgency, ID: "agency:fin-land", Name: "Finnish land forces", Kind: "MILITARY"},
		{Label: graph.LabelAgency, ID: "agency:isl-cg", Name: "Icelandic coast guard", Kind: "CIVIL"},
		{Label: graph.LabelAgreement, ID: "agr:ukusa", Name: "UKUSA Agreement", Kind: "TREATY"},
		{Label: graph.LabelAgreement, ID: "agr:hidden", Name: "Polar secret", Kind: "MOU", ReleasableTo: []string{"USA"}},
	}})
	search := func(v *graph.Viewer, text string, first int) []string {
		t.Helper()
		ids := []string{}
		for _, n := range g.Search(v, text, first) {
			ids = append(ids, n.ID)
		}
		return ids
	}
	for _, c := range []struct {
		text string
		want []string
	}{
		// The code first, then a name starting with the text, then a word of a name, then
		// names containing it.
		{"POL", []string{"nation:POL", "agency:pol-mod", "agr:hidden", "agency:europol"}},
		{"pol", []string{"nation:POL", "agency:pol-mod", "agr:hidden", "agency:europol"}},
		{"nation:POL", []string{"nation:POL"}},
		{"nation:pol", []string{"nation:POL"}},
		{" agency:cisa ", []string{"agency:cisa"}},
		{"USA", []string{"nation:USA", "agr:ukusa"}},
		{"FRA", []string{"nation:FRA", "agency:cisa"}},
		// A word of the name first; then, within one rank (the name contains the text), the
		// nations before the agency, though the agency's name sorts between them.
		{"land", []string{"agency:fin-land", "nation:FIN", "nation:POL", "agency:isl-cg"}},
		{"Poland", []string{"nation:POL"}},
		{"  ", []string{}},
	} {
		if got := search(admin, c.text, 20); !slices.Equal(got, c.want) {
			t.Errorf("search %q = %v, want %v", c.text, got, c.want)
		}
	}
	if got, want := search(admin, "pol", 2), []string{"nation:POL", "agency:pol-mod"}; !slices.Equal(got, want) {
		t.Errorf("search pol first 2 = %v, want %v", got, want)
	}
	french := &graph.Viewer{Subject: "f", Role: graph.RoleAnalyst, Nation: "FRA"}
	if got := search(french, "polar", 20); len(got) != 0 {
		t.Errorf("a French analyst finds %v, which is releasable to USA only", got)
	}
}
