package neo4j_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

func exportJSON(t *testing.T, s *neo4j.Store) string {
	t.Helper()
	doc, err := s.Export(admin)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func importEvents(t *testing.T, s *neo4j.Store, id string) []graph.AuditEvent {
	t.Helper()
	events, _, err := s.Audit(admin, graph.AuditFilter{ImportID: id, First: 10})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// An import id makes an import safe to retry: the audit trail confirms it was applied, a
// retry of the same document writes nothing, and the id cannot be reused for another.
func TestImportIDConfirmsAndDeduplicatesImports(t *testing.T) {
	s := neo4jtest.Open(t)
	doc := small()
	res, err := s.Import(admin, doc, graph.ImportOptions{ID: "batch-2026-11-30.1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ImportID != "batch-2026-11-30.1" || res.Repeated || res.Nodes != len(doc.Nodes) {
		t.Fatalf("first import answered %+v", res)
	}
	events := importEvents(t, s, "batch-2026-11-30.1")
	if len(events) != 1 || events[0].Action != "import" || events[0].ImportID != "batch-2026-11-30.1" || len(events[0].Changes) != len(doc.Nodes)+len(doc.Relationships) {
		t.Fatalf("the audit trail holds %+v for the import", events)
	}

	t.Run("a retry of the same document writes nothing", func(t *testing.T) {
		// Change the graph in between: a retry must not undo it.
		if _, err := s.UpsertNodes(admin, []graph.Node{{Label: graph.LabelThreat, ID: "threat:cyber", Name: "Renamed", Kind: "CYBER"}}); err != nil {
			t.Fatal(err)
		}
		before := exportJSON(t, s)
		res, err := s.Import(admin, small(), graph.ImportOptions{ID: "batch-2026-11-30.1"})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Repeated || res.ImportID != "batch-2026-11-30.1" {
			t.Fatalf("the retry answered %+v, want repeated", res)
		}
		if exportJSON(t, s) != before {
			t.Fatal("the retry of an applied import wrote again")
		}
		if n := len(importEvents(t, s, "batch-2026-11-30.1")); n != 1 {
			t.Fatalf("%d audit events for the import, want 1", n)
		}
	})
	t.Run("the id used for another document is a conflict", func(t *testing.T) {
		before := exportJSON(t, s)
		other := small()
		other.Nodes[0].Name = "Other"
		for _, opts := range []graph.ImportOptions{{ID: "batch-2026-11-30.1"}, {ID: "batch-2026-11-30.1", Replace: true}} {
			_, err := s.Import(admin, other, opts)
			if graph.ErrorCode(err) != graph.ECONFLICT || graph.ErrorField(err) != "importId" {
				t.Fatalf("%+v: %v, want CONFLICT on importId", opts, err)
			}
			if exportJSON(t, s) != before {
				t.Fatal("a refused import wrote")
			}
		}
	})
	t.Run("without an id, a new one is recorded", func(t *testing.T) {
		res, err := s.Import(admin, small(), graph.ImportOptions{Replace: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.ImportID == "" || res.Repeated {
			t.Fatalf("import without an id answered %+v", res)
		}
		ev := importEvents(t, s, res.ImportID)
		if len(ev) != 1 || !strings.Contains(ev[0].Summary, "replace: true") {
			t.Fatalf("the audit trail holds %+v for %s", ev, res.ImportID)
		}
	})
	t.Run("a malformed id is refused", func(t *testing.T) {
		for _, id := range []string{"-x", "a b", strings.Repeat("x", 101), "x\n"} {
			if _, err := s.Import(admin, small(), graph.ImportOptions{ID: id}); graph.ErrorCode(err) != graph.EINVALID || graph.ErrorField(err) != "importId" {
				t.Fatalf("id %q: %v, want BAD_USER_INPUT on importId", id, err)
			}
		}
	})
	t.Run("two imports racing with one id apply once", func(t *testing.T) {
		var wg sync.WaitGroup
		results := make([]graph.ImportResult, 4)
		errs := make([]error, 4)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = s.Import(admin, small(), graph.ImportOptions{ID: "race"})
			}()
		}
		wg.Wait()
		applied := 0
		for i := range 4 {
			switch {
			case errs[i] == nil && !results[i].Repeated:
				applied++
			case errs[i] != nil && graph.ErrorCode(errs[i]) != graph.ECONFLICT:
				t.Fatalf("import %d: %v", i, errs[i])
			}
		}
		if applied != 1 || len(importEvents(t, s, "race")) != 1 {
			t.Fatalf("%d imports applied, %d events recorded; want 1 and 1", applied, len(importEvents(t, s, "race")))
		}
	})
}

// Upserts need no id to be retried: applying one twice leaves what applying it once does
// (but for the time of the last write), so a retry after an outcome UNKNOWN is safe.
func TestUpsertsAreSafeToRepeat(t *testing.T) {
	s := neo4jtest.Open(t)
	load(t, s, small())
	nodes := []graph.Node{{Label: graph.LabelNation, ID: "nation:CCC", Name: "Cland", Code: "CCC", Region: "Africa"},
		{Label: graph.LabelThreat, ID: "threat:cyber", Name: "Cyber attacks", Kind: "CYBER"}}
	rels := []graph.Relationship{{Type: graph.RelPursues, From: "nation:CCC", To: "obj:trade", Priority: 3},
		{Type: graph.RelCoordinatesWith, From: "agency:bbb-mod", To: "agency:aaa-mod", Mechanism: "COMMITTEE"}}
	snapshot := func() string {
		t.Helper()
		doc, err := s.Export(admin)
		if err != nil {
			t.Fatal(err)
		}
		for i := range doc.Nodes {
			doc.Nodes[i].UpdatedAt = nil
		}
		b, _ := json.Marshal(doc)
		return string(b)
	}
	var once string
	for i := range 2 {
		if _, err := s.UpsertNodes(admin, nodes); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertRelationships(admin, rels); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			once = snapshot()
		}
	}
	if twice := snapshot(); twice != once {
		t.Fatalf("upserting twice left\n%s\nonce left\n%s", twice, once)
	}
}
