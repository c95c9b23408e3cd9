package resolvers_test

import (
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// A document with an audit trail would let importGraph write history that never
// happened: restoring a trail takes the database's credentials (stakegraph import).
func TestImportGraphRefusesAnAuditTrail(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	doc := map[string]any{"version": 1, "nodes": []any{}, "relationships": []any{},
		"audit": []any{map[string]any{"id": "00000000000000000001-aaaaaaaaaaaa", "at": "2026-01-01T00:00:00Z",
			"subject": "someone", "role": "admin", "action": "deleteNodes", "changes": []any{}}}}
	a.fails(`mutation($d: JSON!) { importGraph(document: $d) { nodes } }`, map[string]any{"d": doc}, graph.EINVALID, "document.audit")
}
