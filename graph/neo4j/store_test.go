package neo4j_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

func ptr[T any](v T) *T { return &v }

// admin is the context of a viewer who sees everything, as the tests of the store's own
// behaviour need; releasability has tests of its own.
var admin = graph.WithViewer(context.Background(), graph.LocalViewer)

// small is a model touching every label and relationship type.
func small() *graph.Document {
	return &graph.Document{
		Version: graph.DocumentVersion,
		Nodes: []graph.Node{
			{Label: graph.LabelNation, ID: "nation:AAA", Name: "Aland", Code: "AAA", Region: "Europe", Source: "test", ReleasableTo: []string{"AAA", "BBB"}},
			{Label: graph.LabelNation, ID: "nation:BBB", Name: "Bland", Code: "BBB", Region: "Asia", Source: "test", Reliability: ptr(0.9)},
			{Label: graph.LabelAgency, ID: "agency:aaa-mod", Name: "Aland MoD", Kind: "MILITARY", Source: "test"},
			{Label: graph.LabelAgency, ID: "agency:bbb-mod", Name: "Bland MoD", Kind: "MILITARY", Source: "test"},
			{Label: graph.LabelObjective, ID: "obj:defend", Name: "Defend", Domain: "LAND", Source: "test"},
			{Label: graph.LabelObjective, ID: "obj:trade", Name: "Trade", Domain: "OTHER", Source: "test"},
			{Label: graph.LabelCapability, ID: "cap:isr", Name: "ISR", Category: "C4ISR", Source: "test", Confidence: ptr(0.8)},
			{Label: graph.LabelCapability, ID: "cap:aar", Name: "Air-to-air refuelling", Category: "enabler", Source: "test"},
			{Label: graph.LabelAgreement, ID: "agr:pact", Name: "Pact", Kind: "TREATY", Signed: "2000-01-01", Expires: "2030-01-01", Source: "test"},
			{Label: graph.LabelThreat, ID: "threat:cyber", Name: "Cyber attack", Kind: "CYBER", Source: "test"},
		},
		Relationships: []graph.Relationship{
			{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:AAA", Source: "test"},
			{Type: graph.RelPartOf, From: "agency:bbb-mod", To: "nation:BBB", Source: "test"},
			{Type: graph.RelPursues, From: "nation:AAA", To: "obj:defend", Priority: 5, Source: "test"},
			{Type: graph.RelPursues, From: "nation:BBB", To: "obj:trade", Priority: 2, Source: "test"},
			{Type: graph.RelRequires, From: "obj:defend", To: "cap:aar", Source: "test"},
			{Type: graph.RelProvides, From: "agency:bbb-mod", To: "cap:aar", ValidFrom: "2020-01-01", ValidTo: "2027-06-01", Capacity: ptr(4.0), Source: "test"},
			{Type: graph.RelDependsOn, From: "cap:aar", To: "cap:isr", Source: "test"},
			{Type: graph.RelPartyTo, From: "nation:AAA", To: "agr:pact", Role: "member", Source: "test"},
			{Type: graph.RelGoverns, From: "agr:pact", To: "cap:aar", Source: "test"},
			{Type: graph.RelCoordinatesWith, From: "agency:aaa-mod", To: "agency:bbb-mod", Mechanism: "LIAISON", Source: "test"},
			{Type: graph.RelAddresses, From: "obj:defend", To: "threat:cyber", Source: "test"},
			{Type: graph.RelConflictsWith, From: "obj:defend", To: "obj:trade", Source: "test"},
		},
	}
}

// stored lists the stored relationships of type t that start at from, read back through an
// export (the API reads relationships from the in-memory snapshot, not the store).
func stored(t *testing.T, s *neo4j.Store, from string, typ graph.RelType) []graph.Relationship {
	t.Helper()
	doc, err := s.Export(admin)
	if err != nil {
		t.Fatal(err)
	}
	var out []graph.Relationship
	for _, r := range doc.Relationships {
		if r.From == from && r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func load(t *testing.T, s *neo4j.Store, doc *graph.Document) {
	t.Helper()
	if _, err := s.Import(admin, doc, graph.ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func TestImportExportRoundTrip(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	load(t, s, small())
	first, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(first.Nodes), len(small().Nodes); got != want {
		t.Fatalf("exported %d nodes, want %d", got, want)
	}
	if got, want := len(first.Relationships), len(small().Relationships); got != want {
		t.Fatalf("exported %d relationships, want %d", got, want)
	}
	for _, n := range first.Nodes {
		if n.UpdatedAt == nil {
			t.Fatalf("node %s has no updatedAt after import", n.ID)
		}
	}
	// Every property written comes back.
	want := small()
	byID := map[string]graph.Node{}
	for _, n := range first.Nodes {
		n.UpdatedAt = nil
		byID[n.ID] = n
	}
	for _, n := range want.Nodes {
		if got := byID[n.ID]; !reflect.DeepEqual(got, n) {
			t.Errorf("node %s:\n got %+v\nwant %+v", n.ID, got, n)
		}
	}
	// Import the export into an empty database and export again: identical documents.
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	load(t, s, first)
	second, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Fatalf("import → export → import changed the graph:\n%s\n%s", a, b)
	}
}

// A replacing import creates instead of merging (the graph was emptied first): it must
// write exactly the graph that merging writes, and nothing of what was there before.
func TestReplacingImportWritesWhatMergingWrites(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	load(t, s, small()) // merged into an empty graph
	merged, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertNodes(ctx, []graph.Node{{Label: graph.LabelThreat, ID: "threat:extra", Name: "Extra", Kind: "OTHER"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertRelationships(ctx, []graph.Relationship{{Type: graph.RelAddresses, From: "obj:trade", To: "threat:extra"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, merged, graph.ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	replaced, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(merged)
	b, _ := json.Marshal(replaced)
	if string(a) != string(b) {
		t.Fatalf("a replacing import wrote another graph than merging:\nmerged   %s\nreplaced %s", a, b)
	}
}

func TestFindNodesKeysetPagination(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	var nodes []graph.Node
	for i := range 23 {
		nodes = append(nodes, graph.Node{Label: graph.LabelCapability, ID: fmt.Sprintf("cap:%02d", i),
			Name: fmt.Sprintf("Capability %d", i), Category: []string{"a", "b"}[i%2]})
	}
	load(t, s, &graph.Document{Version: 1, Nodes: nodes})
	var seen []string
	after := ""
	for page := 0; ; page++ {
		p, err := s.FindNodes(ctx, graph.NodeFilter{Label: graph.LabelCapability, First: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.TotalCount, 23; got != want {
			t.Fatalf("totalCount=%d, want %d", got, want)
		}
		for _, n := range p.Nodes {
			seen = append(seen, n.ID)
		}
		if !p.HasNextPage {
			break
		}
		after = p.Nodes[len(p.Nodes)-1].ID
		if page > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if got, want := len(seen), 23; got != want {
		t.Fatalf("saw %d nodes over all pages, want %d: %v", got, want, seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i-1] >= seen[i] {
			t.Fatalf("page order broken at %d: %v", i, seen)
		}
	}
	p, err := s.FindNodes(ctx, graph.NodeFilter{Label: graph.LabelCapability, First: 100, Category: "b", NameContains: "CAPABILITY 1"})
	if err != nil {
		t.Fatal(err)
	}
	// Odd i in category b, names "Capability 1", "Capability 1x".
	var ids []string
	for _, n := range p.Nodes {
		ids = append(ids, n.ID)
	}
	if want := []string{"cap:01", "cap:11", "cap:13", "cap:15", "cap:17", "cap:19"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("filtered ids=%v, want %v", ids, want)
	}
}

func TestWritesRejectBadInputAndWriteNothing(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	load(t, s, small())
	before, _ := s.Export(ctx)
	cases := []struct {
		name  string
		write func() error
		code  string
		field string
	}{
		{"label change", func() error {
			_, err := s.UpsertNodes(ctx, []graph.Node{{Label: graph.LabelThreat, ID: "nation:AAA", Name: "x", Kind: "CYBER"}})
			return err
		}, graph.ECONFLICT, "input.id"},
		{"nation code taken", func() error {
			_, err := s.UpsertNodes(ctx, []graph.Node{{Label: graph.LabelNation, ID: "nation:ZZZ", Name: "x", Code: "AAA"}})
			return err
		}, graph.ECONFLICT, "input.code"},
		{"unknown endpoint", func() error {
			_, err := s.UpsertRelationships(ctx, []graph.Relationship{{Type: graph.RelPursues, From: "nation:AAA", To: "obj:nope", Priority: 3}})
			return err
		}, graph.EINVALID, "input.to"},
		{"priority out of range", func() error {
			_, err := s.UpsertRelationships(ctx, []graph.Relationship{{Type: graph.RelPursues, From: "nation:AAA", To: "obj:trade", Priority: 6}})
			return err
		}, graph.EINVALID, "input.priority"},
		{"second of two relationships bad", func() error {
			_, err := s.UpsertRelationships(ctx, []graph.Relationship{
				{Type: graph.RelPursues, From: "nation:BBB", To: "obj:defend", Priority: 3},
				{Type: graph.RelProvides, From: "nation:AAA", To: "cap:isr", ValidFrom: "2025-01-01", ValidTo: "2024-01-01"},
			})
			return err
		}, graph.EINVALID, "input[1].validTo"},
		{"delete unknown node", func() error { return s.DeleteNodes(ctx, []string{"obj:trade", "obj:nope"}) }, graph.EINVALID, "ids[1]"},
		{"delete missing relationship", func() error {
			return s.DeleteRelationships(ctx, []graph.RelKey{{Type: graph.RelPartOf, From: "agency:aaa-mod", To: "nation:AAA"}, {Type: graph.RelPursues, From: "nation:BBB", To: "obj:defend"}})
		}, graph.EINVALID, "keys[1]"},
		{"import with bad node", func() error {
			doc := small()
			doc.Nodes[0].Name = "changed"
			doc.Nodes[4].Domain = "SEA"
			_, err := s.Import(ctx, doc, graph.ImportOptions{})
			return err
		}, graph.EINVALID, "nodes[4].domain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.write()
			if err == nil {
				t.Fatal("write succeeded, want an error")
			}
			if got := graph.ErrorCode(err); got != c.code {
				t.Fatalf("code=%s, want %s (%v)", got, c.code, err)
			}
			if got := graph.ErrorField(err); got != c.field {
				t.Fatalf("field=%q, want %q (%v)", got, c.field, err)
			}
			after, _ := s.Export(ctx)
			a, _ := json.Marshal(before)
			b, _ := json.Marshal(after)
			if string(a) != string(b) {
				t.Fatal("a rejected write changed the graph")
			}
		})
	}
}

func TestUndirectedRelationshipIsOnePerPair(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	load(t, s, small())
	if _, err := s.UpsertRelationships(ctx, []graph.Relationship{{Type: graph.RelCoordinatesWith, From: "agency:bbb-mod", To: "agency:aaa-mod", Mechanism: "COMMITTEE"}}); err != nil {
		t.Fatal(err)
	}
	doc, _ := s.Export(ctx)
	var found []graph.Relationship
	for _, r := range doc.Relationships {
		if r.Type == graph.RelCoordinatesWith {
			found = append(found, r)
		}
	}
	if len(found) != 1 || found[0].Mechanism != "COMMITTEE" {
		t.Fatalf("coordination relationships after re-adding reversed: %+v", found)
	}
	if err := s.DeleteRelationships(ctx, []graph.RelKey{{Type: graph.RelCoordinatesWith, From: "agency:aaa-mod", To: "agency:bbb-mod"}}); err != nil {
		t.Fatalf("delete by the other direction: %v", err)
	}
}

func TestSnapshotHoldsWhatExportHolds(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	// An administrator's statements skip the releasability predicate, a nation's viewer's
	// keep it: each must read what the same viewer's export reads. nation:AAA is releasable
	// to AAA and BBB only, so the CCC viewer must miss it and its relationships.
	for _, c := range []struct {
		name   string
		ctx    context.Context
		hidden bool
	}{
		{"admin", admin, false},
		{"viewer of AAA", graph.WithViewer(context.Background(), &graph.Viewer{Subject: "a", Role: graph.RoleViewer, Nation: "AAA"}), false},
		{"viewer of CCC", graph.WithViewer(context.Background(), &graph.Viewer{Subject: "c", Role: graph.RoleViewer, Nation: "CCC"}), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap, err := s.Snapshot(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			full, err := s.Export(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(snap.Nodes, func(a, b graph.Node) int { return strings.Compare(a.ID, b.ID) })
			if !reflect.DeepEqual(snap.Nodes, full.Nodes) {
				t.Fatalf("snapshot nodes %+v,\nexport nodes %+v", snap.Nodes, full.Nodes)
			}
			hasAAA := slices.ContainsFunc(snap.Nodes, func(n graph.Node) bool { return n.ID == "nation:AAA" })
			if got, want := hasAAA, !c.hidden; got != want {
				t.Fatalf("snapshot holds nation:AAA: %t, want %t", got, want)
			}
			// Relationships carry every property, the rare ones (capacity, role, mechanism,
			// source, confidence) and the dates included.
			want := map[graph.RelKey]graph.Relationship{}
			for _, r := range full.Relationships {
				want[r.Key()] = r
			}
			if len(snap.Relationships) != len(want) {
				t.Fatalf("snapshot has %d relationships, export %d", len(snap.Relationships), len(want))
			}
			rare, dated := 0, 0
			for _, r := range snap.Relationships {
				if !reflect.DeepEqual(r, want[r.Key()]) {
					t.Errorf("snapshot %+v, want %+v", r, want[r.Key()])
				}
				if r.Capacity != nil || r.Role != "" || r.Mechanism != "" || r.Source != "" {
					rare++
				}
				if r.ValidFrom != "" && r.ValidTo != "" {
					dated++
				}
			}
			if rare == 0 || dated == 0 {
				t.Fatalf("the fixture has %d relationships with a rare property and %d with dates, so this test checks too little", rare, dated)
			}
		})
	}
}

// The snapshot reads nodes a few thousand to a record: with more nodes than fit in one,
// every node must come exactly once, for a viewer who sees all and for one who does not.
func TestSnapshotReadsEveryNodeOnceAcrossRecords(t *testing.T) {
	s := neo4jtest.Open(t)
	doc := &graph.Document{Version: graph.DocumentVersion}
	const n = 4500 // over two records of 2,000
	for i := range n {
		node := graph.Node{Label: graph.LabelThreat, ID: fmt.Sprintf("threat:%04d", i), Name: "T", Kind: "OTHER"}
		if i%3 == 0 {
			node.ReleasableTo = []string{"BBB"}
		}
		doc.Nodes = append(doc.Nodes, node)
	}
	load(t, s, doc)
	viewer := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "c", Role: graph.RoleViewer, Nation: "CCC"})
	for _, c := range []struct {
		name string
		ctx  context.Context
		want int
	}{{"admin", admin, n}, {"viewer of CCC", viewer, n - (n+2)/3}} {
		snap, err := s.Snapshot(c.ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, node := range snap.Nodes {
			if seen[node.ID] {
				t.Fatalf("%s: node %s came twice", c.name, node.ID)
			}
			seen[node.ID] = true
		}
		if got := len(seen); got != c.want {
			t.Fatalf("%s: snapshot has %d nodes, want %d", c.name, got, c.want)
		}
	}
}

func TestVersionChangesWithEveryWriteAndOnlyThen(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := admin
	load(t, s, small())
	v1, err := s.Version(ctx)
	if err != nil || v1 == "" {
		t.Fatalf("version after a load: %q, %v", v1, err)
	}
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx); v != v1 {
		t.Fatalf("a read changed the version: %q, then %q", v1, v)
	}
	if _, err := s.UpsertNodes(ctx, []graph.Node{{Label: graph.LabelThreat, ID: "threat:new", Name: "New", Kind: "OTHER"}}); err != nil {
		t.Fatal(err)
	}
	v2, _ := s.Version(ctx)
	if v2 == v1 {
		t.Fatalf("an upsert left the version at %q", v1)
	}
	// A write that fails changes nothing, the version included.
	if err := s.DeleteNodes(ctx, []string{"threat:absent"}); err == nil {
		t.Fatal("deleting an unknown id succeeded")
	}
	if v, _ := s.Version(ctx); v != v2 {
		t.Fatalf("a failed write moved the version from %q to %q", v2, v)
	}
}

func TestEveryWriteIsAudited(t *testing.T) {
	s := neo4jtest.Open(t)
	editor := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "AAA"})
	load(t, s, small())
	if _, err := s.UpsertNodes(editor, []graph.Node{{Label: graph.LabelThreat, ID: "threat:cyber", Name: "Cyber attacks", Kind: "CYBER"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRelationships(editor, []graph.RelKey{{Type: graph.RelCoordinatesWith, From: "agency:bbb-mod", To: "agency:aaa-mod"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteNodes(editor, []string{"obj:trade"}); err != nil {
		t.Fatal(err)
	}
	// A rejected write leaves no record.
	if _, err := s.UpsertRelationships(editor, []graph.Relationship{{Type: graph.RelPursues, From: "nation:BBB", To: "obj:defend", Priority: 9}}); err == nil {
		t.Fatal("bad priority accepted")
	}
	if _, _, err := s.Audit(editor, graph.AuditFilter{First: 10}); graph.ErrorCode(err) != graph.EFORBIDDEN {
		t.Fatalf("an editor read the audit trail: %v", err)
	}
	events, more, err := s.Audit(admin, graph.AuditFilter{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if want := []string{"deleteNodes", "deleteRelationships", "upsertNodes", "import"}; more || !reflect.DeepEqual(actions, want) {
		t.Fatalf("audit actions newest first = %v (more %v), want %v", actions, more, want)
	}
	up := events[2]
	if up.Subject != "alice" || up.Role != graph.RoleEditor || up.Nation != "AAA" || len(up.Changes) != 1 {
		t.Fatalf("upsert event %+v", up)
	}
	if c := up.Changes[0]; c.Before == nil || c.Before.Node.Name != "Cyber attack" || c.After == nil || c.After.Node.Name != "Cyber attacks" {
		t.Fatalf("upsert change %+v", c)
	}
	del := events[0]
	// The objective and the relationships that went with it: obj:trade was pursued by BBB
	// and conflicted with obj:defend.
	var gone []string
	for _, c := range del.Changes {
		if c.Before == nil || c.After != nil {
			t.Fatalf("deletion change %+v has no before or still an after", c)
		}
		gone = append(gone, c.ID)
	}
	want := []string{"obj:trade", "CONFLICTS_WITH:obj:defend->obj:trade", "PURSUES:nation:BBB->obj:trade"}
	if !reflect.DeepEqual(sorted(gone), sorted(want)) {
		t.Fatalf("deletion recorded %v, want %v", gone, want)
	}
	rel := events[1].Changes
	if len(rel) != 1 || rel[0].Before == nil || rel[0].Before.Relationship.Mechanism != "LIAISON" || rel[0].After != nil {
		t.Fatalf("relationship deletion recorded %+v", rel)
	}
	// Paging: the cursor is the last id.
	page, more, err := s.Audit(admin, graph.AuditFilter{First: 2, After: events[1].ID})
	if err != nil || more || len(page) != 2 || page[0].ID != events[2].ID {
		t.Fatalf("second page %+v more=%v err=%v", page, more, err)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	slices.Sort(out)
	return out
}

func TestUpsertReturnsTheNodeAsWrittenEvenIfTheWriterCannotSeeIt(t *testing.T) {
	s := neo4jtest.Open(t)
	editor := graph.WithViewer(context.Background(), &graph.Viewer{Subject: "alice", Role: graph.RoleEditor, Nation: "AAA"})
	got, err := s.UpsertNodes(editor, []graph.Node{{Label: graph.LabelThreat, ID: "threat:x", Name: "X", Kind: "CYBER", ReleasableTo: []string{"BBB"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "threat:x" || got[0].Name != "X" || got[0].UpdatedAt == nil {
		t.Fatalf("upsert returned %+v", got)
	}
	// Written, and from then on hidden from its writer.
	if seen, err := s.NodesByID(editor, []string{"threat:x"}); err != nil || len(seen) != 0 {
		t.Fatalf("the writer sees %v (%v)", seen, err)
	}
}
