package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

// TestRestoreDrill is the drill of docs/operations.md: back up with `export -audit`, lose
// the database, restore with `import -replace`, and check that the model is byte-identical
// and the audit trail is the backup's, followed by the restore's own record.
func TestRestoreDrill(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := context.Background()
	dir := t.TempDir()
	cli := func(args ...string) string {
		t.Helper()
		var out strings.Builder
		if err := run(ctx, args, &out); err != nil {
			t.Fatalf("stakegraph %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	read := func(name string) *graph.Document {
		t.Helper()
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		doc, err := graph.DecodeDocument(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return doc
	}
	model := func(doc *graph.Document) string {
		t.Helper()
		b, err := json.Marshal(graph.Document{Version: doc.Version, Nodes: doc.Nodes, Relationships: doc.Relationships})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// A history: the demo, then an editor's changes, each recorded with before and after.
	cli("import", "../../seed/demo.json")
	editor := graph.WithViewer(ctx, &graph.Viewer{Subject: "ed", Role: graph.RoleEditor, Nation: "GBR"})
	if _, err := s.UpsertNodes(editor, []graph.Node{{Label: graph.LabelThreat, ID: "threat:drill", Name: "Drill", Kind: "OTHER"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteNodes(editor, []string{"threat:drill"}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.json")
	cli("export", "-audit", backup)
	before := read(backup)
	if len(before.Audit) != 3 || len(before.Audit[1].Changes) == 0 {
		t.Fatalf("the backup's trail has %d events (%+v), want the import and the editor's two writes", len(before.Audit), before.Audit)
	}
	if plain := cli("export"); strings.Contains(plain, `"audit"`) {
		t.Fatal("a plain export carries the audit trail")
	}

	// Disaster: the model and its trail are gone.
	if err := s.Clear(graph.WithViewer(ctx, graph.LocalViewer)); err != nil {
		t.Fatal(err)
	}
	cli("import", "-replace", backup)
	restored := filepath.Join(dir, "restored.json")
	cli("export", "-audit", restored)
	after := read(restored)

	if model(after) != model(before) {
		t.Fatal("the restored model differs from the backup's")
	}
	if len(after.Audit) != len(before.Audit)+1 {
		t.Fatalf("restored trail has %d events, want the backup's %d and the restore's own", len(after.Audit), len(before.Audit))
	}
	b1, _ := json.Marshal(before.Audit)
	b2, _ := json.Marshal(after.Audit[:len(before.Audit)])
	if string(b1) != string(b2) {
		t.Fatalf("the restored trail differs from the backup's:\n%s\n%s", b1, b2)
	}
	last := after.Audit[len(after.Audit)-1]
	if last.Action != "import" || !strings.Contains(last.Summary, "restored 3 of the backup's 3 audit events") {
		t.Fatalf("the restore's record is %+v", last)
	}

	// Restoring again into the same database adds no copies: the trail only grows by the
	// second restore's record.
	cli("import", "-replace", backup)
	again := read(func() string { p := filepath.Join(dir, "again.json"); cli("export", "-audit", p); return p }())
	if model(again) != model(before) || len(again.Audit) != len(before.Audit)+2 ||
		!strings.Contains(again.Audit[len(again.Audit)-1].Summary, "restored 0 of the backup's 3") {
		t.Fatalf("a second restore: %d events, last %+v", len(again.Audit), again.Audit[len(again.Audit)-1])
	}
}
