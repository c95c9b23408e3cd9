package analysis

import (
	"context"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

func TestWhatIf(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	ctx := context.Background()
	whatIf := func(t *testing.T, v View, down ...string) WhatIf {
		t.Helper()
		w, err := m.WhatIf(ctx, down, v)
		if err != nil {
			t.Fatalf("WhatIf(%v): %v", down, err)
		}
		return w
	}
	t.Run("one nation down: every capability still has an up provider", func(t *testing.T) {
		for _, n := range []string{"n:A", "n:B"} {
			if w := whatIf(t, View{}, n); len(w.Objectives) != 0 || len(w.Capabilities) != 0 {
				t.Fatalf("%s down loses %+v", n, w)
			}
		}
	})
	t.Run("both nations down: X and Z fail, and Y with them through the cycle", func(t *testing.T) {
		w := whatIf(t, View{}, "n:B", "n:A", "n:B")
		if got, want := w.Down, []string{"n:A", "n:B"}; !slices.Equal(got, want) {
			t.Fatalf("down %v, want %v", got, want)
		}
		if got, want := ftLostIDs(w.Capabilities), []string{"c:X", "c:Y", "c:Z"}; !slices.Equal(got, want) {
			t.Fatalf("lost capabilities %v, want %v (c:W was never available)", got, want)
		}
		if got, want := ftLostIDs(w.Objectives), []string{"o:1"}; !slices.Equal(got, want) {
			t.Fatalf("lost objectives %v, want %v", got, want)
		}
		ex := w.Objectives[0].Explanation
		ftContains(t, "nodes", ex.Nodes, "o:1", "n:A", "n:B", "a:A1", "c:X", "c:Z")
		ftContains(t, "relationships", ex.Relationships, "REQUIRES:o:1->c:X", "PART_OF:a:A1->n:A",
			"PROVIDES:n:B->c:X", "PROVIDES:n:A->c:Z", "DEPENDS_ON:c:Y->c:Z")
		ftLacks(t, "nodes", ex.Nodes, "a:I", "o:gap")
	})
	t.Run("the international agency down: X and Y fail, Z does not", func(t *testing.T) {
		w := whatIf(t, View{}, "a:I")
		if got, want := ftLostIDs(w.Capabilities), []string{"c:X", "c:Y"}; !slices.Equal(got, want) {
			t.Fatalf("lost capabilities %v, want %v", got, want)
		}
		ex := w.Capabilities[1].Explanation // c:Y
		ftContains(t, "relationships", ex.Relationships, "PROVIDES:a:I->c:Y")
		ftLacks(t, "nodes", ex.Nodes, "c:Z", "o:1")
	})
	t.Run("nothing down loses nothing", func(t *testing.T) {
		w := whatIf(t, View{})
		if w.Down == nil || w.Objectives == nil || w.Capabilities == nil || len(w.Objectives)+len(w.Capabilities) != 0 {
			t.Fatalf("what-if with nothing down: %+v, want empty non-nil lists", w)
		}
	})
	t.Run("access view: the agreement down cuts n:A off", func(t *testing.T) {
		acc := ftAccess("").model("2027-01-01")
		w, err := acc.WhatIf(ctx, []string{"t:1"}, View{Stakeholder: "n:A"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ftLostIDs(w.Objectives), []string{"o:1"}; !slices.Equal(got, want) {
			t.Fatalf("lost objectives %v, want %v", got, want)
		}
		ftContains(t, "relationships", w.Objectives[0].Explanation.Relationships, "GOVERNS:t:1->c:X", "PARTY_TO:n:A->t:1")
		if w, _ := acc.WhatIf(ctx, []string{"t:1"}, View{}); len(w.Objectives) != 0 {
			t.Fatalf("the coalition view does not use agreements, yet loses %v", ftLostIDs(w.Objectives))
		}
	})
	t.Run("down must list basic events", func(t *testing.T) {
		expired := ftAccess("").model("2031-01-01")
		for _, tc := range []struct {
			m     *Model
			down  []string
			field string
		}{
			{m, []string{"c:X"}, "down[0]"},
			{m, []string{"n:A", "n:nope"}, "down[1]"},
			{m, []string{"o:1"}, "down[0]"},
			{expired, []string{"t:1"}, "down[0]"},
		} {
			_, err := tc.m.WhatIf(ctx, tc.down, View{})
			if graph.ErrorCode(err) != graph.EINVALID || graph.ErrorField(err) != tc.field {
				t.Fatalf("WhatIf(%v): err=%v, want %s on %s", tc.down, err, graph.EINVALID, tc.field)
			}
		}
	})
}
