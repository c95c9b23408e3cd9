package resolvers_test

import (
	"testing"
)

// importGraph's importId through the API: the answer names it, a retry is recognised, and
// the audit trail finds the import by it.
func TestImportIDThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	const m = `mutation($d: JSON!, $id: String) { importGraph(document: $d, importId: $id) { nodes importId repeated } }`
	vars := map[string]any{"d": nested(1), "id": "nightly-42"}
	type result struct {
		ImportGraph struct {
			Nodes    int
			ImportID string `json:"importId"`
			Repeated bool
		} `json:"importGraph"`
	}
	var first, again result
	a.ok(m, vars, &first)
	if first.ImportGraph.ImportID != "nightly-42" || first.ImportGraph.Repeated || first.ImportGraph.Nodes == 0 {
		t.Fatalf("first import answered %+v", first.ImportGraph)
	}
	a.ok(m, vars, &again)
	if !again.ImportGraph.Repeated {
		t.Fatalf("the retry answered %+v, want repeated", again.ImportGraph)
	}
	var trail struct {
		AuditTrail struct {
			Events []struct {
				Action   string
				ImportID string `json:"importId"`
			}
		} `json:"auditTrail"`
	}
	a.ok(`{ auditTrail(importId: "nightly-42") { events { action importId } } }`, nil, &trail)
	if ev := trail.AuditTrail.Events; len(ev) != 1 || ev[0].Action != "import" || ev[0].ImportID != "nightly-42" {
		t.Fatalf("auditTrail(importId:) answered %+v", ev)
	}
	a.ok(`{ auditTrail(importId: "never-used") { events { id } } }`, nil, &trail)
	if len(trail.AuditTrail.Events) != 0 {
		t.Fatalf("an unused import id found %+v", trail.AuditTrail.Events)
	}
	a.fails(m, map[string]any{"d": nested(2), "id": "nightly-42"}, "CONFLICT", "importId")
	a.fails(m, map[string]any{"d": nested(1), "id": "no spaces"}, "BAD_USER_INPUT", "importId")
	for _, id := range []string{"no spaces", "nightly-42"} {
		r := a.do(m, map[string]any{"d": nested(3), "id": id})
		if len(r.Errors) != 1 || r.Errors[0].Extensions["field"] != "importId" {
			t.Fatalf("id %q: %+v, want the error on field importId", id, r.Errors)
		}
	}
}
