package graph_test

import (
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

func TestValidateNodeRefusesUnreadableIDsNamesAndOversizedTexts(t *testing.T) {
	base := func() graph.Node {
		return graph.Node{Label: graph.LabelCapability, ID: "cap:x", Name: "X", Category: "enabler"}
	}
	cases := []struct {
		name  string
		edit  func(n *graph.Node)
		field string // empty: accepted
	}{
		{"a plain node is accepted", func(n *graph.Node) {}, ""},
		{"a non-ASCII id is accepted", func(n *graph.Node) { n.ID = "cap:défense-aérienne" }, ""},
		{"an id of 200 bytes is accepted", func(n *graph.Node) { n.ID = strings.Repeat("x", graph.MaxIDBytes) }, ""},
		{"an id over 200 bytes is refused", func(n *graph.Node) { n.ID = strings.Repeat("x", graph.MaxIDBytes+1) }, "input.id"},
		{"an empty id is refused", func(n *graph.Node) { n.ID = "" }, "input.id"},
		{"an id with a space is refused", func(n *graph.Node) { n.ID = "cap:air refuelling" }, "input.id"},
		{"an id with a no-break space is refused", func(n *graph.Node) { n.ID = "cap:air\u00a0refuelling" }, "input.id"},
		{"an id with NUL is refused", func(n *graph.Node) { n.ID = "cap:x\x00" }, "input.id"},
		{"an id with a newline is refused", func(n *graph.Node) { n.ID = "cap:x\ny" }, "input.id"},
		{"an id with a right-to-left override is refused", func(n *graph.Node) { n.ID = "cap:\u202egnilleufer" }, "input.id"},
		{"an id with a zero-width space is refused", func(n *graph.Node) { n.ID = "cap:\u200bx" }, "input.id"},
		{"an id with invalid UTF-8 is refused", func(n *graph.Node) { n.ID = "cap:\xff" }, "input.id"},
		{"a name with a zero-width joiner inside is accepted", func(n *graph.Node) { n.Name = "क्\u200dष" }, ""},
		{"a name of 1,000 characters is accepted", func(n *graph.Node) { n.Name = strings.Repeat("é", graph.MaxNameChars) }, ""},
		{"a name of 1,001 characters is refused", func(n *graph.Node) { n.Name = strings.Repeat("é", graph.MaxNameChars+1) }, "input.name"},
		{"a name of 40 KB is refused", func(n *graph.Node) { n.Name = strings.Repeat("x", 40_000) }, "input.name"},
		{"a blank name is refused", func(n *graph.Node) { n.Name = " \t " }, "input.name"},
		{"a lone zero-width space is refused", func(n *graph.Node) { n.Name = "\u200b" }, "input.name"},
		{"a name of invisible characters is refused", func(n *graph.Node) { n.Name = "\u2060\ufeff\u3164\u2800" }, "input.name"},
		{"a name with a newline is refused", func(n *graph.Node) { n.Name = "two\nlines" }, "input.name"},
		{"a name with NUL is refused", func(n *graph.Node) { n.Name = "X\x00" }, "input.name"},
		{"a multi-line description is accepted", func(n *graph.Node) { n.Description = "one\n\ttwo\r\n" }, ""},
		{"a description of 100 KiB is accepted", func(n *graph.Node) { n.Description = strings.Repeat("d", graph.MaxDescriptionBytes) }, ""},
		{"a description over 100 KiB is refused", func(n *graph.Node) { n.Description = strings.Repeat("d", graph.MaxDescriptionBytes+1) }, "input.description"},
		{"a description with NUL is refused", func(n *graph.Node) { n.Description = "a\x00b" }, "input.description"},
		{"a source over 2,000 characters is refused", func(n *graph.Node) { n.Source = strings.Repeat("s", graph.MaxSourceChars+1) }, "input.source"},
		{"a category over 200 characters is refused", func(n *graph.Node) { n.Category = strings.Repeat("c", graph.MaxShortTextChars+1) }, "input.category"},
		{"a region over 200 characters is refused", func(n *graph.Node) {
			n.Label, n.Category, n.Code, n.Region = graph.LabelNation, "", "AAA", strings.Repeat("r", graph.MaxShortTextChars+1)
		}, "input.region"},
		{"releasableTo of 301 entries is refused", func(n *graph.Node) {
			n.ReleasableTo = make([]string, graph.MaxReleasableTo+1)
			for i := range n.ReleasableTo {
				n.ReleasableTo[i] = "AAA"
			}
		}, "input.releasableTo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := base()
			c.edit(&n)
			err := graph.ValidateNode(&n, "input")
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if got := graph.ErrorCode(err); got != graph.EINVALID {
				t.Fatalf("code=%s, want %s (%v)", got, graph.EINVALID, err)
			}
			if got := graph.ErrorField(err); got != c.field {
				t.Fatalf("field=%q, want %q (%v)", got, c.field, err)
			}
			// The message describes the character rather than printing it.
			if strings.ContainsAny(err.Error(), "\x00\u202e\u200b") {
				t.Fatalf("message prints the offending character: %q", err)
			}
		})
	}
}

func TestValidateRelationshipBoundsItsTexts(t *testing.T) {
	r := graph.Relationship{Type: graph.RelPartyTo, From: "nation:AAA", To: "agr:x", Role: strings.Repeat("r", graph.MaxShortTextChars+1)}
	if got := graph.ErrorField(graph.ValidateRelationship(&r, graph.LabelNation, graph.LabelAgreement, "input")); got != "input.role" {
		t.Fatalf("a role over the limit: field=%q, want input.role", got)
	}
	r.Role, r.Source = "member", "line\x00"
	if got := graph.ErrorField(graph.ValidateRelationship(&r, graph.LabelNation, graph.LabelAgreement, "input")); got != "input.source" {
		t.Fatalf("a source with NUL: field=%q, want input.source", got)
	}
	r.Source = "a report"
	if err := graph.ValidateRelationship(&r, graph.LabelNation, graph.LabelAgreement, "input"); err != nil {
		t.Fatalf("a valid PARTY_TO refused: %v", err)
	}
}

func TestValidateDocumentRefusesAnAgencyPartOfTwoNations(t *testing.T) {
	doc := &graph.Document{Version: graph.DocumentVersion,
		Nodes: []graph.Node{
			{Label: graph.LabelNation, ID: "nation:AAA", Name: "A", Code: "AAA"},
			{Label: graph.LabelNation, ID: "nation:BBB", Name: "B", Code: "BBB"},
			{Label: graph.LabelAgency, ID: "agency:x", Name: "X", Kind: "MILITARY"},
		},
		Relationships: []graph.Relationship{
			{Type: graph.RelPartOf, From: "agency:x", To: "nation:AAA"},
		},
	}
	if err := graph.ValidateDocument(doc, nil); err != nil {
		t.Fatalf("one PART_OF refused: %v", err)
	}
	doc.Relationships = append(doc.Relationships, graph.Relationship{Type: graph.RelPartOf, From: "agency:x", To: "nation:BBB"})
	err := graph.ValidateDocument(doc, nil)
	if got, want := graph.ErrorField(err), "relationships[1].to"; got != want {
		t.Fatalf("field=%q, want %q (%v)", got, want, err)
	}
	if got := graph.ErrorCode(err); got != graph.EINVALID {
		t.Fatalf("code=%s, want %s", got, graph.EINVALID)
	}
}
