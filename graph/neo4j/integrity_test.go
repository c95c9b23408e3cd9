package neo4j_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

// refused checks that err has code and field and that the graph (with its audit trail) is
// what it was before the write.
func refused(t *testing.T, s *neo4j.Store, before string, err error, code, field string) {
	t.Helper()
	if err == nil {
		t.Fatal("write succeeded, want an error")
	}
	if got := graph.ErrorCode(err); got != code {
		t.Fatalf("code=%s, want %s (%v)", got, code, err)
	}
	if got := graph.ErrorField(err); got != field {
		t.Fatalf("field=%q, want %q (%v)", got, field, err)
	}
	if after := state(t, s); after != before {
		t.Fatal("a refused write changed the graph or its audit trail")
	}
}

// state is the whole graph and the number of audit events, as one string.
func state(t *testing.T, s *neo4j.Store) string {
	t.Helper()
	doc, err := s.Export(admin)
	if err != nil {
		t.Fatal(err)
	}
	events, _, err := s.Audit(admin, graph.AuditFilter{First: 1000})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(doc)
	return fmt.Sprintf("%s\naudit events: %d", b, len(events))
}

// hiddenFromAAA adds a nation, an agency of it and an objective that an editor of AAA may
// not see, joined to visible nodes of small().
func hiddenFromAAA(t *testing.T, s *neo4j.Store) {
	t.Helper()
	load(t, s, &graph.Document{Version: graph.DocumentVersion,
		Nodes: []graph.Node{
			{Label: graph.LabelNation, ID: "nation:QZX", Name: "Hidden", Code: "QZX", ReleasableTo: []string{"BBB"}},
			{Label: graph.LabelAgency, ID: "agency:qzx-mod", Name: "Hidden MoD", Kind: "MILITARY", ReleasableTo: []string{"BBB"}},
			{Label: graph.LabelAgency, ID: "agency:ccc-liaison", Name: "Liaison", Kind: "DIPLOMATIC"},
		},
		Relationships: []graph.Relationship{
			{Type: graph.RelPartOf, From: "agency:qzx-mod", To: "nation:QZX"},
			{Type: graph.RelPartOf, From: "agency:ccc-liaison", To: "nation:QZX"},
			{Type: graph.RelCoordinatesWith, From: "agency:qzx-mod", To: "agency:aaa-mod", Mechanism: "LIAISON"},
		},
	})
}

func TestAnAgencyIsPartOfAtMostOneNation(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	hiddenFromAAA(t, s)
	editor := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "AAA"})
	before := state(t, s)

	t.Run("a second nation is refused by upsertRelationships", func(t *testing.T) {
		_, err := s.UpsertRelationships(admin, []graph.Relationship{{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:BBB"}})
		refused(t, s, before, err, graph.EINVALID, "input.to")
		if !strings.Contains(err.Error(), `"nation:AAA"`) {
			t.Fatalf("the message does not name the nation the agency belongs to: %v", err)
		}
	})
	t.Run("two nations in one call are refused", func(t *testing.T) {
		_, err := s.UpsertRelationships(admin, []graph.Relationship{
			{Type: graph.RelPartOf, From: "agency:bbb-mod", To: "nation:BBB"},
			{Type: graph.RelPartOf, From: "agency:bbb-mod", To: "nation:AAA"},
		})
		refused(t, s, before, err, graph.EINVALID, "input[1].to")
	})
	t.Run("an import adding a second nation is refused", func(t *testing.T) {
		_, err := s.Import(admin, &graph.Document{Version: graph.DocumentVersion, Nodes: []graph.Node{},
			Relationships: []graph.Relationship{
				{Type: graph.RelPursues, From: "nation:BBB", To: "obj:defend", Priority: 1},
				{Type: graph.RelPartOf, From: "agency:bbb-mod", To: "nation:AAA"},
			}}, graph.ImportOptions{})
		refused(t, s, before, err, graph.EINVALID, "relationships[1].to")
	})
	t.Run("a hidden nation is not named", func(t *testing.T) {
		_, err := s.UpsertRelationships(editor, []graph.Relationship{{Type: graph.RelPartOf, From: "agency:ccc-liaison", To: "nation:AAA"}})
		refused(t, s, before, err, graph.EINVALID, "input.to")
		if strings.Contains(err.Error(), "QZX") || !strings.Contains(err.Error(), "another nation") {
			t.Fatalf("message %q: want it to say another nation, without naming it", err)
		}
	})
	t.Run("the same nation again is idempotent", func(t *testing.T) {
		if _, err := s.UpsertRelationships(admin, []graph.Relationship{{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:AAA", Source: "again"}}); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, "agency:aaa-mod", graph.RelPartOf); len(got) != 1 || got[0].To != "nation:AAA" || got[0].Source != "again" {
			t.Fatalf("PART_OF of agency:aaa-mod = %+v, want the one to nation:AAA, updated", got)
		}
	})
	t.Run("moving an agency is deleting its PART_OF, then adding one", func(t *testing.T) {
		if err := s.DeleteRelationships(admin, []graph.RelKey{{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:AAA"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertRelationships(admin, []graph.Relationship{{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:BBB"}}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOversizedAndUnreadableTextsAreBadInput(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	before := state(t, s)
	cases := []struct {
		name  string
		node  graph.Node
		field string
	}{
		// 40 KB passes no longer reaches Neo4j, whose text index on names refuses keys
		// over 32 KB with an error the API could only call INTERNAL.
		{"a name of 40 KB", graph.Node{Label: graph.LabelThreat, ID: "threat:long", Name: strings.Repeat("n", 40_000), Kind: "CYBER"}, "input.name"},
		{"a description of 10 MB", graph.Node{Label: graph.LabelThreat, ID: "threat:long", Name: "Long", Kind: "CYBER", Description: strings.Repeat("d", 10<<20)}, "input.description"},
		{"an id with NUL", graph.Node{Label: graph.LabelThreat, ID: "threat:\x00", Name: "Nul", Kind: "CYBER"}, "input.id"},
		{"an id with a right-to-left override", graph.Node{Label: graph.LabelThreat, ID: "threat:\u202ex", Name: "Rlo", Kind: "CYBER"}, "input.id"},
		{"an id with a space", graph.Node{Label: graph.LabelThreat, ID: "threat: x", Name: "Space", Kind: "CYBER"}, "input.id"},
		{"a lone zero-width space as name", graph.Node{Label: graph.LabelThreat, ID: "threat:zw", Name: "\u200b", Kind: "CYBER"}, "input.name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.UpsertNodes(admin, []graph.Node{c.node})
			refused(t, s, before, err, graph.EINVALID, c.field)
			doc := small()
			doc.Nodes = append(doc.Nodes, c.node)
			_, err = s.Import(admin, doc, graph.ImportOptions{})
			refused(t, s, before, err, graph.EINVALID, strings.Replace(c.field, "input", "nodes[10]", 1))
		})
	}
	t.Run("a name of 1,000 characters is stored and found", func(t *testing.T) {
		name := strings.Repeat("ü", graph.MaxNameChars)
		if _, err := s.UpsertNodes(admin, []graph.Node{{Label: graph.LabelThreat, ID: "threat:long", Name: name, Kind: "CYBER"}}); err != nil {
			t.Fatal(err)
		}
		page, err := s.FindNodes(admin, graph.NodeFilter{NameContains: "üüü", First: 10})
		if err != nil || len(page.Nodes) != 1 || page.Nodes[0].Name != name {
			t.Fatalf("search found %+v (%v)", page, err)
		}
	})
}

func TestNationCodesRevealNoHiddenNation(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	hiddenFromAAA(t, s)
	editor := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "AAA"})
	before := state(t, s)
	try := func(ctx context.Context, id, code string) error {
		_, err := s.UpsertNodes(ctx, []graph.Node{{Label: graph.LabelNation, ID: id, Name: "Probe", Code: code}})
		return err
	}
	// A code held by a hidden nation and a free code get the same answer, so trying codes
	// tells an editor nothing.
	taken := try(editor, "nation:probe", "QZX")
	refused(t, s, before, taken, graph.EFORBIDDEN, "input.code")
	free := try(editor, "nation:probe", "QZY")
	refused(t, s, before, free, graph.EFORBIDDEN, "input.code")
	if a, b := strings.ReplaceAll(taken.Error(), "QZX", ""), strings.ReplaceAll(free.Error(), "QZY", ""); a != b || strings.Contains(taken.Error(), "QZX") {
		t.Fatalf("the answers differ: %q for a hidden nation's code, %q for a free one", taken, free)
	}
	// Changing a visible nation's code would be the same probe.
	refused(t, s, before, try(editor, "nation:AAA", "QZX"), graph.EFORBIDDEN, "input.code")
	// Editing a visible nation, code unchanged, is an editor's right.
	if _, err := s.UpsertNodes(editor, []graph.Node{{Label: graph.LabelNation, ID: "nation:AAA", Name: "Aland Republic", Code: "AAA"}}); err != nil {
		t.Fatalf("an editor could not rename a nation: %v", err)
	}
	// An administrator sees every nation: the clash is a plain conflict, and a free code works.
	before = state(t, s)
	refused(t, s, before, try(admin, "nation:probe", "QZX"), graph.ECONFLICT, "input.code")
	if err := try(admin, "nation:probe", "QZY"); err != nil {
		t.Fatalf("an administrator could not create a nation: %v", err)
	}
}

func TestDeleteNodesRefusesToDropRelationshipsTheEditorCannotSee(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	hiddenFromAAA(t, s)
	editor := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "AAA"})
	before := state(t, s)
	// agency:aaa-mod coordinates with the hidden agency:qzx-mod; agency:ccc-liaison is
	// visible but PART_OF the hidden nation.
	for _, ids := range [][]string{{"agency:aaa-mod"}, {"obj:trade", "agency:ccc-liaison"}} {
		err := s.DeleteNodes(editor, ids)
		field := "ids"
		if len(ids) > 1 {
			field = "ids[1]"
		}
		refused(t, s, before, err, graph.EFORBIDDEN, field)
		if strings.Contains(err.Error(), "qzx") || strings.Contains(err.Error(), "QZX") {
			t.Fatalf("the refusal names the hidden node: %v", err)
		}
	}
	// A node whose relationships are all visible goes, with them.
	if err := s.DeleteNodes(editor, []string{"agency:bbb-mod"}); err != nil {
		t.Fatalf("an editor could not delete a node with only visible relationships: %v", err)
	}
	// An administrator sees the relationships, and may delete the node.
	if err := s.DeleteNodes(admin, []string{"agency:aaa-mod"}); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.NodesByID(admin, []string{"agency:aaa-mod", "agency:qzx-mod"}); len(found) != 1 {
		t.Fatalf("after the administrator's delete: %v, want agency:qzx-mod alone", found)
	}
}

// Two writers racing to put one agency in two nations: the check after the write, in the
// write's transaction, must let exactly one of them through every time.
func TestConcurrentPartOfLetsOneThrough(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	const rounds = 20
	for round := range rounds {
		id := fmt.Sprintf("agency:race-%d", round)
		if _, err := s.UpsertNodes(admin, []graph.Node{{Label: graph.LabelAgency, ID: id, Name: "Race", Kind: "CIVIL"}}); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		start := make(chan struct{})
		for _, nation := range []string{"nation:AAA", "nation:BBB"} {
			go func() {
				<-start
				_, err := s.UpsertRelationships(admin, []graph.Relationship{{Type: graph.RelPartOf, From: id, To: nation}})
				errs <- err
			}()
		}
		close(start)
		var ok int
		for range 2 {
			if err := <-errs; err == nil {
				ok++
			} else if graph.ErrorCode(err) != graph.EINVALID {
				t.Fatalf("round %d: %v (code %s), want BAD_USER_INPUT", round, err, graph.ErrorCode(err))
			}
		}
		if partOf := stored(t, s, id, graph.RelPartOf); ok != 1 || len(partOf) != 1 {
			t.Fatalf("round %d: %d writes succeeded and the agency is PART_OF %d nations, want 1 and 1", round, ok, len(partOf))
		}
	}
}
