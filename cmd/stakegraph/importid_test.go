package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

// stakegraph import -id: a second run with the same id and file writes nothing and says so.
func TestImportWithAnIDRunsOnce(t *testing.T) {
	s := neo4jtest.Open(t) // empties the test database; run reads NEO4J_* itself
	ctx := graph.WithViewer(context.Background(), graph.LocalViewer)
	var out bytes.Buffer
	if err := run(ctx, []string{"import", "-id", "cli-once", "../../seed/demo.json"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(import id cli-once)") {
		t.Fatalf("first run said %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "-id", "cli-once", "../../seed/demo.json"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "already applied") {
		t.Fatalf("second run said %q", out.String())
	}
	events, _, err := s.Audit(ctx, graph.AuditFilter{ImportID: "cli-once", First: 5})
	if err != nil || len(events) != 1 {
		t.Fatalf("audit events for cli-once: %v %+v", err, events)
	}
}
