package resolvers_test

import (
	"strings"
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

// The integrity rules reach API clients as BAD_USER_INPUT naming the field, where a
// 40 KB name used to come back as INTERNAL from Neo4j's text index.
func TestIntegrityRulesThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	a.ok(`mutation { upsertNation(input: {id: "nation:BBB", name: "Bland", code: "BBB"}) { id } }`, nil, nil)
	a.ok(`mutation { upsertRelationships(input: [{type: PART_OF, from: "agency:aaa-mod", to: "nation:AAA"}]) { id } }`, nil, nil)
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"a name of 40 KB", `mutation($n: String!) { upsertThreat(input: {id: "threat:x", name: $n, kind: CYBER}) { id } }`,
			map[string]any{"n": strings.Repeat("n", 40_000)}, "input.name"},
		{"a lone zero-width space as name", `mutation($n: String!) { upsertThreat(input: {id: "threat:x", name: $n, kind: CYBER}) { id } }`,
			map[string]any{"n": "\u200b"}, "input.name"},
		{"an id with NUL", `mutation($id: ID!) { upsertThreat(input: {id: $id, name: "X", kind: CYBER}) { id } }`,
			map[string]any{"id": "threat:\x00"}, "input.id"},
		{"an id with a right-to-left override", `mutation($id: ID!) { upsertThreat(input: {id: $id, name: "X", kind: CYBER}) { id } }`,
			map[string]any{"id": "threat:\u202ex"}, "input.id"},
		{"a description over 100 KiB", `mutation($d: String!) { upsertThreat(input: {id: "threat:x", name: "X", kind: CYBER, description: $d}) { id } }`,
			map[string]any{"d": strings.Repeat("d", graph.MaxDescriptionBytes+1)}, "input.description"},
		{"an agency in a second nation", `mutation { upsertRelationships(input: [{type: PART_OF, from: "agency:aaa-mod", to: "nation:BBB"}]) { id } }`,
			nil, "input.to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.t = t
			a.fails(c.query, c.vars, graph.EINVALID, c.field)
		})
	}
}
