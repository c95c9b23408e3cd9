package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/seed"
)

// cli runs a stakegraph command and returns its standard output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), args, &out); err != nil {
		t.Fatalf("stakegraph %s: %v", strings.Join(args, " "), err)
	}
	return out.String()
}

func TestCSVExportImportGivesTheSameJSONExport(t *testing.T) {
	neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	setNeo4jEnv(t, cfg.URI, cfg.User, cfg.Password, cfg.Database)
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.json")
	doc, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	if err := writeDocument(doc, demo, nil); err != nil {
		t.Fatal(err)
	}
	cli(t, "import", "-replace", demo)
	before := cli(t, "export")
	if !strings.Contains(before, `"updatedAt"`) {
		t.Fatal("the export carries no updatedAt: the round trip would not test it")
	}

	csvDir := filepath.Join(dir, "csv")
	cli(t, "export", "-format", "csv", csvDir)
	zipped := filepath.Join(dir, "model.zip")
	cli(t, "export", "-format", "csv", zipped)
	for _, from := range []string{csvDir, zipped} {
		cli(t, "import", "-replace", "-format", "csv", from)
		if after := cli(t, "export"); after != before {
			t.Fatalf("JSON export after a CSV round trip through %s differs:\n%s", filepath.Base(from), firstLineDiff(after, before))
		}
	}

	// A bad cell: the error names the file, row and column, and nothing is written.
	rels, err := os.ReadFile(filepath.Join(csvDir, "relationships.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(rels), "\n")
	lines[5] = strings.Replace(lines[5], ","+strings.Split(lines[5], ",")[2]+",", ",no-such-node,", 1)
	if err := os.WriteFile(filepath.Join(csvDir, "relationships.csv"), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"import", "-replace", "-format", "csv", csvDir}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "relationships.csv row 6, column to") {
		t.Fatalf("import of a relationship to an unknown node: %v, want it to name relationships.csv row 6, column to", err)
	}
	if after := cli(t, "export"); after != before {
		t.Fatal("a refused CSV import changed the graph")
	}
}

func firstLineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return la[i] + "\n  want " + lb[i]
		}
	}
	return "the lengths differ"
}
