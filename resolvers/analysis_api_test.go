package resolvers_test

import (
	"encoding/json"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// TestOverlapBatchKeepsDefinedPairs is issue 8: one undefined pair (neither side pursues
// anything) is an error for its own alias only, and a pair where only one side pursues
// something scores 0 instead of failing.
func TestOverlapBatchKeepsDefinedPairs(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	a.ok(`mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 3}]) { id } }`, nil, nil)
	r := a.do(`{
		one: overlap(a: "nation:AAA", b: "agency:aaa-mod") { score shared { priorityA } conflicts { objectiveA { id } } }
		none: overlap(a: "agency:aaa-mod", b: "agency:aaa-mod") { score }
		self: overlap(a: "nation:AAA", b: "nation:AAA") { score }
	}`, nil)
	var data struct {
		One *struct {
			Score     float64 `json:"score"`
			Shared    []any   `json:"shared"`
			Conflicts []any   `json:"conflicts"`
		} `json:"one"`
		None *struct{ Score float64 } `json:"none"`
		Self *struct{ Score float64 } `json:"self"`
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
	if data.One == nil || data.One.Score != 0 || len(data.One.Shared) != 0 || len(data.One.Conflicts) != 0 {
		t.Fatalf("one-sided pair = %s, want score 0 with nothing shared and no conflict", r.Data)
	}
	if data.Self == nil || data.Self.Score != 1 {
		t.Fatalf("a stakeholder with itself = %s, want score 1", r.Data)
	}
	if data.None != nil {
		t.Fatalf("undefined pair = %+v, want null", data.None)
	}
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.EINVALID || len(r.Errors[0].Path) != 1 || r.Errors[0].Path[0] != "none" {
		t.Fatalf("errors %+v, want one %s on path [none]", r.Errors, graph.EINVALID)
	}
}
