package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// ftSmall sizes random models small enough for brute force over every state.
var ftSmall = ftGenParams{
	nations: 3, agencies: 6, international: 1, capabilities: 8, objectives: 6, agreements: 3,
	maxProviders: 3, maxRequires: 2, maxDepends: 1, maxParties: 5, maxGoverns: 5,
}

// ftViews are the views a random model is checked in: the coalition, an agency with a
// nation, the international agency, and a nation.
func ftViews() []View {
	return []View{{}, {Stakeholder: "agency:3"}, {Stakeholder: "agency:0"}, {Stakeholder: "nation:1"}}
}

// TestFailureLogicMatchesReference checks cut sets, probabilities, importance, what-if,
// impact and single points on random models against brute force over the reference
// semantics of docs/analyses.md, "Failure logic", in every view and at several dates.
func TestFailureLogicMatchesReference(t *testing.T) {
	ctx := context.Background()
	for seed := range 60 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		nodes, rels := ftGenerate(r, ftSmall)
		for _, asOf := range []graph.Date{"2024-06-01", "2027-01-01", "2030-01-01"} {
			m := NewModel(nodes, rels, asOf)
			for _, v := range ftViews() {
				name := fmt.Sprintf("seed=%d/asOf=%s/view=%q", seed, asOf, v.Stakeholder)
				ref := newFTRef(t, nodes, rels, asOf, v.Stakeholder)
				ftCheckObjectives(t, ctx, name, m, v, ref)
				ftCheckWhatIf(t, ctx, name, m, v, ref, r)
				ftCheckSinglePoints(t, ctx, name, m, v, ref)
			}
		}
	}
}

func ftCheckObjectives(t *testing.T, ctx context.Context, name string, m *Model, v View, ref *ftRef) {
	t.Helper()
	for _, o := range ref.objectives {
		achievable := !ref.dead[o]
		all := ref.minimalCutSets(o, 64)
		for k := 1; k <= MaxCutOrder; k++ {
			cs, err := m.CutSets(ctx, o, v, k)
			if err != nil {
				t.Fatalf("%s: CutSets(%s, %d): %v", name, o, k, err)
			}
			if cs.Achievable != achievable {
				t.Fatalf("%s: %s achievable=%v, want %v", name, o, cs.Achievable, achievable)
			}
			var want [][]string
			if achievable {
				for _, s := range all {
					if len(s) <= k {
						want = append(want, s)
					}
				}
			}
			if got := ftEventLists(cs.CutSets); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s: %s cut sets to order %d = %v, want %v", name, o, k, got, want)
			}
		}
		res, err := m.Resilience(ctx, o, v)
		if err != nil {
			t.Fatalf("%s: Resilience(%s): %v", name, o, err)
		}
		if res.Achievable != achievable {
			t.Fatalf("%s: resilience of %s achievable=%v, want %v", name, o, res.Achievable, achievable)
		}
		if !achievable {
			if res.Probability != 1 || res.MinCutOrder != 0 || len(res.Importance) != 0 {
				t.Fatalf("%s: resilience of unachievable %s = %+v, want probability 1 and nothing else", name, o, res)
			}
			continue
		}
		wantOrder := 0
		if len(all) > 0 {
			wantOrder = len(all[0])
		}
		if res.MinCutOrder != wantOrder {
			t.Fatalf("%s: %s min cut order %d, want %d", name, o, res.MinCutOrder, wantOrder)
		}
		exact := ref.probability(o)
		ftClose(t, name+": "+o+" probability", res.Probability, exact.p)
		var relevant []string
		for _, s := range all {
			relevant = append(relevant, s...)
		}
		relevant = slices.Compact(slices.Sorted(slices.Values(relevant)))
		var got []string
		for _, imp := range res.Importance {
			got = append(got, imp.Event)
			q := ref.q[slices.Index(ref.events, imp.Event)]
			p, p1, p0 := exact.p, exact.p1[imp.Event], exact.p0[imp.Event]
			what := fmt.Sprintf("%s: %s importance of %s (q=%v)", name, o, imp.Event, q)
			ftClose(t, what+" Birnbaum", imp.Birnbaum, p1-p0)
			if p > 0 {
				ftClose(t, what+" Fussell-Vesely", imp.FussellVesely, (p-p0)/p)
				ftClose(t, what+" diagnosis", imp.Diagnosis, q*p1/p)
				ftClose(t, what+" RAW", imp.RAW, p1/p)
			}
			// RRW is undefined (reported 0, null in the API) exactly when P0 is 0: the
			// event is in every way the objective can fail. Enumeration sums only
			// non-negative terms, so its P0 is 0 exactly then.
			switch {
			case p0 == 0 && imp.RRW != 0:
				t.Fatalf("%s RRW = %.15g, want none: P0 = 0 by enumeration", what, imp.RRW)
			case p0 > 0:
				ftCloseRel(t, what+" RRW", imp.RRW, p/p0)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, relevant) {
			t.Fatalf("%s: %s importance lists %v, want the events of its cut sets %v", name, o, got, relevant)
		}
		if !slices.IsSortedFunc(res.Importance, func(a, b Importance) int {
			if a.Birnbaum != b.Birnbaum {
				return -cmpFloat(a.Birnbaum, b.Birnbaum)
			}
			return strings.Compare(a.Event, b.Event)
		}) {
			t.Fatalf("%s: %s importance not sorted by Birnbaum then id: %+v", name, o, res.Importance)
		}
	}
}

func ftCheckWhatIf(t *testing.T, ctx context.Context, name string, m *Model, v View, ref *ftRef, r *rand.Rand) {
	t.Helper()
	for range 4 {
		var down []string
		var mask uint64
		for range 1 + r.IntN(3) {
			e := ref.events[r.IntN(len(ref.events))]
			down = append(down, e)
			mask |= ref.bit[e]
		}
		w, err := m.WhatIf(ctx, down, v)
		if err != nil {
			t.Fatalf("%s: WhatIf(%v): %v", name, down, err)
		}
		lost := func(ids []string) []string {
			var out []string
			for _, id := range ids {
				if !ref.fails(id, 0) && ref.fails(id, mask) {
					out = append(out, id)
				}
			}
			return out
		}
		if got, want := ftLostIDs(w.Objectives), lost(ref.objectives); !slices.Equal(got, want) {
			t.Fatalf("%s: WhatIf(%v) objectives %v, want %v", name, down, got, want)
		}
		if got, want := ftLostIDs(w.Capabilities), lost(ref.capabilities); !slices.Equal(got, want) {
			t.Fatalf("%s: WhatIf(%v) capabilities %v, want %v", name, down, got, want)
		}
		for _, l := range append(slices.Clone(w.Objectives), w.Capabilities...) {
			if !slices.Contains(l.Explanation.Nodes, l.ID) {
				t.Fatalf("%s: WhatIf(%v) explanation of %s does not name it: %v", name, down, l.ID, l.Explanation.Nodes)
			}
		}
	}
}

func ftCheckSinglePoints(t *testing.T, ctx context.Context, name string, m *Model, v View, ref *ftRef) {
	t.Helper()
	byEvent, err := m.SinglePointsByEvent(ctx, v)
	if err != nil {
		t.Fatalf("%s: SinglePointsByEvent: %v", name, err)
	}
	for _, e := range ref.events {
		var want []string
		for _, o := range ref.objectives {
			if !ref.fails(o, 0) && ref.fails(o, ref.bit[e]) {
				want = append(want, o)
			}
		}
		if got := byEvent[e]; !slices.Equal(got, want) {
			t.Fatalf("%s: single points: %s brings down %v, want %v", name, e, got, want)
		}
		imp, err := m.Impact(ctx, e, v)
		if err != nil {
			t.Fatalf("%s: Impact(%s): %v", name, e, err)
		}
		if !slices.Equal(imp.SinglePointOf, want) && !(len(want) == 0 && len(imp.SinglePointOf) == 0) {
			t.Fatalf("%s: Impact(%s).SinglePointOf = %v, want %v", name, e, imp.SinglePointOf, want)
		}
		for _, o := range imp.SinglePointOf {
			if !slices.Contains(imp.Objectives, o) {
				t.Fatalf("%s: Impact(%s): single point of %s, which is not downstream %v", name, e, o, imp.Objectives)
			}
		}
	}
}

func ftEventLists(cs []CutSet) [][]string {
	var out [][]string
	for _, c := range cs {
		out = append(out, c.Events)
	}
	return out
}

func ftLostIDs(ls []Lost) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

// ftClose fails unless got is within 1e-9 of want (relative for large values).
func ftClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Fatalf("%s = %.15g, want %.15g", what, got, want)
	}
}

// ftCloseRel is ftClose relative to want alone: a ratio such as RRW may be large, and a
// P0 near 0 must still give the right one.
func ftCloseRel(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Fatalf("%s = %.15g, want %.15g", what, got, want)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
