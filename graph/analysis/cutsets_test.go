package analysis

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// ftCoalition is a hand-made graph for the coalition view:
//
//	o:1 requires X; X ⇄ Y (a DEPENDS_ON cycle), Y → Z
//	X: agency a:A1 (of nation n:A) and nation n:B; Y: international agency a:I;
//	Z: n:A and n:B; W: n:C only in 2020, so no provider at 2027
//	o:gap requires W; o:empty requires nothing
func ftCoalition() *ftGraph {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").agency("a:A1", "n:A").agency("a:I", "")
	g.capability("c:X", "c:Y", "c:Z", "c:W")
	g.rel(graph.RelDependsOn, "c:X", "c:Y").rel(graph.RelDependsOn, "c:Y", "c:X").rel(graph.RelDependsOn, "c:Y", "c:Z")
	g.rel(graph.RelProvides, "a:A1", "c:X").rel(graph.RelProvides, "n:B", "c:X")
	g.rel(graph.RelProvides, "a:I", "c:Y")
	g.rel(graph.RelProvides, "n:A", "c:Z").rel(graph.RelProvides, "n:B", "c:Z")
	g.rel(graph.RelProvides, "n:C", "c:W").valid("2020-01-01", "2021-01-01")
	g.objective("o:1", "c:X").objective("o:gap", "c:W").objective("o:empty")
	g.rel(graph.RelPursues, "n:B", "o:1")
	return g
}

// ftAccess is a hand-made graph for the access view:
//
//	X is provided by n:B only; agreement t:1 (2020–2030) governs X, parties n:A and n:B
//	(n:B only until 2026 in the variant); Y is provided by a:A1, agency of n:A
//	o:1 requires X, o:2 requires Y; n:C is party to nothing
func ftAccess(partyUntil graph.Date) *ftGraph {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").agency("a:A1", "n:A")
	g.capability("c:X", "c:Y")
	g.rel(graph.RelProvides, "n:B", "c:X").rel(graph.RelProvides, "a:A1", "c:Y")
	g.agreement("t:1", "2020-01-01", "2030-01-01", "n:A")
	g.rel(graph.RelPartyTo, "n:B", "t:1").valid("", partyUntil)
	g.rel(graph.RelGoverns, "t:1", "c:X")
	g.objective("o:1", "c:X").objective("o:2", "c:Y")
	return g
}

func ftCutSets(t *testing.T, m *Model, o string, v View, k int) ObjectiveCutSets {
	t.Helper()
	cs, err := m.CutSets(context.Background(), o, v, k)
	if err != nil {
		t.Fatalf("CutSets(%s, %q, %d): %v", o, v.Stakeholder, k, err)
	}
	return cs
}

func ftWantSets(t *testing.T, what string, cs ObjectiveCutSets, achievable bool, want ...string) {
	t.Helper()
	if cs.Achievable != achievable {
		t.Fatalf("%s: achievable=%v, want %v", what, cs.Achievable, achievable)
	}
	var got []string
	for _, c := range cs.CutSets {
		got = append(got, strings.Join(c.Events, " "))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: cut sets %q, want %q", what, got, want)
	}
}

func TestCutSetsCoalitionView(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	t.Run("cycle, agency down with its nation, international agency", func(t *testing.T) {
		// X: {a:A1 or n:A} and n:B; Y: a:I; Z: n:A and n:B.
		ftWantSets(t, "o:1 to order 3", ftCutSets(t, m, "o:1", View{}, 3), true, "a:I", "a:A1 n:B", "n:A n:B")
		ftWantSets(t, "o:1 to order 1", ftCutSets(t, m, "o:1", View{}, 1), true, "a:I")
	})
	t.Run("provider outside its validity leaves a gap without cut sets", func(t *testing.T) {
		ftWantSets(t, "o:gap at 2027", ftCutSets(t, m, "o:gap", View{}, 3), false)
		then := ftCoalition().model("2020-06-01")
		ftWantSets(t, "o:gap at 2020", ftCutSets(t, then, "o:gap", View{}, 3), true, "n:C")
	})
	t.Run("objective requiring nothing is achievable without cut sets", func(t *testing.T) {
		ftWantSets(t, "o:empty", ftCutSets(t, m, "o:empty", View{}, 3), true)
	})
	t.Run("all objectives in id order", func(t *testing.T) {
		all, err := m.AllCutSets(context.Background(), View{}, 2)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range all {
			ids = append(ids, o.Objective)
		}
		if want := []string{"o:1", "o:empty", "o:gap"}; !slices.Equal(ids, want) {
			t.Fatalf("objectives %v, want %v", ids, want)
		}
		ftWantSets(t, "o:1 to order 2", all[0], true, "a:I", "a:A1 n:B", "n:A n:B")
	})
	t.Run("single points by event", func(t *testing.T) {
		got, err := m.SinglePointsByEvent(context.Background(), View{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !slices.Equal(got["a:I"], []string{"o:1"}) {
			t.Fatalf("single points %v, want only a:I → [o:1]", got)
		}
	})
}

func TestCutSetExplanation(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	cs := ftCutSets(t, m, "o:1", View{}, 3)
	byEvents := map[string]Explanation{}
	for _, c := range cs.CutSets {
		byEvents[strings.Join(c.Events, " ")] = c.Explanation
	}
	t.Run("single point names the chain to the failing member", func(t *testing.T) {
		ex := byEvents["a:I"]
		ftContains(t, "nodes", ex.Nodes, "o:1", "c:X", "c:Y", "a:I")
		ftContains(t, "relationships", ex.Relationships,
			"REQUIRES:o:1->c:X", "DEPENDS_ON:c:X->c:Y", "PROVIDES:a:I->c:Y")
		ftLacks(t, "nodes", ex.Nodes, "c:Z", "n:A", "n:B", "a:A1")
	})
	t.Run("a down nation names the agency it takes down", func(t *testing.T) {
		ex := byEvents["n:A n:B"]
		ftContains(t, "nodes", ex.Nodes, "o:1", "c:X", "c:Y", "c:Z", "n:A", "n:B", "a:A1")
		ftContains(t, "relationships", ex.Relationships, "PART_OF:a:A1->n:A",
			"PROVIDES:a:A1->c:X", "PROVIDES:n:B->c:X", "PROVIDES:n:A->c:Z", "DEPENDS_ON:c:Y->c:Z")
		ftLacks(t, "nodes", ex.Nodes, "a:I")
	})
	t.Run("an agency down alone does not name its nation", func(t *testing.T) {
		ex := byEvents["a:A1 n:B"]
		ftContains(t, "relationships", ex.Relationships, "PROVIDES:a:A1->c:X", "PROVIDES:n:B->c:X")
		ftLacks(t, "relationships", ex.Relationships, "PART_OF:a:A1->n:A", "PROVIDES:n:A->c:Z")
	})
	t.Run("lists are sorted, unique and never null", func(t *testing.T) {
		for k, ex := range byEvents {
			if !slices.IsSorted(ex.Nodes) || !slices.IsSorted(ex.Relationships) ||
				len(slices.Compact(slices.Clone(ex.Nodes))) != len(ex.Nodes) {
				t.Fatalf("explanation of %s not sorted and unique: %+v", k, ex)
			}
		}
		b, _ := json.Marshal(ftCutSets(t, m, "o:empty", View{}, 1))
		if strings.Contains(string(b), "null") {
			t.Fatalf("empty result has nulls: %s", b)
		}
	})
}

func TestCutSetsAccessView(t *testing.T) {
	m := ftAccess("").model("2027-01-01")
	t.Run("the agreement access runs through is a failure point", func(t *testing.T) {
		ftWantSets(t, "o:1 for n:A", ftCutSets(t, m, "o:1", View{Stakeholder: "n:A"}, 3), true, "n:B", "t:1")
		ftWantSets(t, "o:1 in the coalition view", ftCutSets(t, m, "o:1", View{}, 3), true, "n:B")
	})
	t.Run("an agency uses its nation's membership; it need not be up itself", func(t *testing.T) {
		ftWantSets(t, "o:1 for a:A1", ftCutSets(t, m, "o:1", View{Stakeholder: "a:A1"}, 3), true, "n:B", "t:1")
	})
	t.Run("a stakeholder party to nothing has no access", func(t *testing.T) {
		ftWantSets(t, "o:1 for n:C", ftCutSets(t, m, "o:1", View{Stakeholder: "n:C"}, 3), false)
	})
	t.Run("family providers need no agreement", func(t *testing.T) {
		ftWantSets(t, "o:2 for n:A", ftCutSets(t, m, "o:2", View{Stakeholder: "n:A"}, 3), true, "a:A1", "n:A")
		ftWantSets(t, "o:2 for n:B", ftCutSets(t, m, "o:2", View{Stakeholder: "n:B"}, 3), false)
	})
	t.Run("an expired agreement gives no access", func(t *testing.T) {
		later := ftAccess("").model("2031-01-01")
		ftWantSets(t, "o:1 for n:A in 2031", ftCutSets(t, later, "o:1", View{Stakeholder: "n:A"}, 3), false)
	})
	t.Run("a membership outside its validity gives no access", func(t *testing.T) {
		lapsed := ftAccess("2026-01-01").model("2027-01-01")
		ftWantSets(t, "o:1 for n:A", ftCutSets(t, lapsed, "o:1", View{Stakeholder: "n:A"}, 3), false)
	})
	t.Run("explanation names the agreement and both memberships", func(t *testing.T) {
		cs := ftCutSets(t, m, "o:1", View{Stakeholder: "n:A"}, 1)
		ex := cs.CutSets[1].Explanation // t:1
		ftContains(t, "nodes", ex.Nodes, "o:1", "c:X", "n:B", "t:1")
		ftContains(t, "relationships", ex.Relationships, "REQUIRES:o:1->c:X", "PROVIDES:n:B->c:X",
			"GOVERNS:t:1->c:X", "PARTY_TO:n:A->t:1", "PARTY_TO:n:B->t:1")
	})
}

func TestCutSetsErrors(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		objective   string
		view        View
		order       int
		code, field string
	}{
		{"order 0 is invalid", "o:1", View{}, 0, graph.EINVALID, "maxOrder"},
		{"order 4 is invalid", "o:1", View{}, 4, graph.EINVALID, "maxOrder"},
		{"unknown objective is not found", "o:nope", View{}, 1, graph.ENOTFOUND, "objective"},
		{"a capability is not an objective", "c:X", View{}, 1, graph.ENOTFOUND, "objective"},
		{"unknown view stakeholder is invalid", "o:1", View{Stakeholder: "n:nope"}, 1, graph.EINVALID, "view.stakeholder"},
		{"a capability is no view", "o:1", View{Stakeholder: "c:X"}, 1, graph.EINVALID, "view.stakeholder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.CutSets(ctx, tc.objective, tc.view, tc.order)
			if graph.ErrorCode(err) != tc.code || graph.ErrorField(err) != tc.field {
				t.Fatalf("err=%v (code %s, field %q), want code %s on %q", err, graph.ErrorCode(err), graph.ErrorField(err), tc.code, tc.field)
			}
		})
	}
	t.Run("all cut sets check order and view too", func(t *testing.T) {
		if _, err := m.AllCutSets(ctx, View{}, 5); graph.ErrorField(err) != "maxOrder" {
			t.Fatalf("err=%v, want maxOrder", err)
		}
		if _, err := m.SinglePointsByEvent(ctx, View{Stakeholder: "o:1"}); graph.ErrorField(err) != "view.stakeholder" {
			t.Fatalf("err=%v, want view.stakeholder", err)
		}
	})
}

func TestFailureAnalysesStopWhenContextEnds(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := map[string]func() error{
		"CutSets":             func() error { _, err := m.CutSets(ctx, "o:1", View{}, 2); return err },
		"AllCutSets":          func() error { _, err := m.AllCutSets(ctx, View{}, 2); return err },
		"SinglePointsByEvent": func() error { _, err := m.SinglePointsByEvent(ctx, View{}); return err },
		"Resilience":          func() error { _, err := m.Resilience(ctx, "o:1", View{}); return err },
		"WhatIf":              func() error { _, err := m.WhatIf(ctx, []string{"n:A"}, View{}); return err },
		"Impact":              func() error { _, err := m.Impact(ctx, "n:A", View{}); return err },
	}
	for name, call := range calls {
		if err := call(); graph.ErrorCode(err) != graph.ETIMEOUT {
			t.Errorf("%s after cancel: err=%v, want code %s", name, err, graph.ETIMEOUT)
		}
	}
}

func TestHittingSetsAreMinimalAndComplete(t *testing.T) {
	// Routes {1,2}, {2,3}, {4}: minimal hitting sets {2,4}, {1,3,4}.
	routes := [][]ftEvent{{1, 2}, {2, 3}, {4}}
	for k, want := range map[int][][]ftEvent{
		1: nil,
		2: {{2, 4}},
		3: {{2, 4}, {1, 3, 4}},
	} {
		if got := ftHittingSets(routes, k); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("order %d: %v, want %v", k, got, want)
		}
	}
	// A route containing another is redundant: {1} and {1,2} leave just {1}.
	if got := ftMinimalFamily([][]ftEvent{{1, 2}, {1}, {3}, {1}}); !slices.EqualFunc(got, [][]ftEvent{{1}, {3}}, slices.Equal) {
		t.Errorf("minimal family %v, want [[1] [3]]", got)
	}
}

func ftContains(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Fatalf("%s %v lack %s", what, got, w)
		}
	}
}

func ftLacks(t *testing.T, what string, got []string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if slices.Contains(got, w) {
			t.Fatalf("%s %v include %s", what, got, w)
		}
	}
}
