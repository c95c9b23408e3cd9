package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// TestFailureAnalysesEqualTheSingleAnalyses checks that the batch gives, objective by
// objective, exactly what CutSets and Resilience give alone, on random models in every
// view, and that its single points are the order-1 cut sets.
func TestFailureAnalysesEqualTheSingleAnalyses(t *testing.T) {
	ctx := context.Background()
	compared := 0
	for seed := range 20 {
		r := rand.New(rand.NewPCG(uint64(seed), 5))
		nodes, rels := ftGenerate(r, ftSmall)
		m := NewModel(nodes, rels, "2027-01-01")
		for _, v := range ftViews() {
			k := 1 + seed%MaxCutOrder
			all, err := m.FailureAnalyses(ctx, nil, v, k, true)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(all), len(m.IDs(graph.LabelObjective)); got != want {
				t.Fatalf("seed %d: %d analyses, want one per objective (%d)", seed, got, want)
			}
			for _, fa := range all {
				name := fmt.Sprintf("seed=%d/view=%q/%s", seed, v.Stakeholder, fa.Objective)
				cs, err := m.CutSets(ctx, fa.Objective, v, k)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(fa.ObjectiveCutSets, cs) {
					t.Fatalf("%s: batch cut sets %+v, alone %+v", name, fa.ObjectiveCutSets, cs)
				}
				res, err := m.Resilience(ctx, fa.Objective, v)
				if err != nil || fa.Resilience == nil || fa.ResilienceErr != nil {
					t.Fatalf("%s: resilience %v / %v, alone err %v", name, fa.Resilience, fa.ResilienceErr, err)
				}
				if !reflect.DeepEqual(*fa.Resilience, res) {
					t.Fatalf("%s: batch resilience %+v, alone %+v", name, *fa.Resilience, res)
				}
				one, err := m.CutSets(ctx, fa.Objective, v, 1)
				if err != nil {
					t.Fatal(err)
				}
				if got := fa.SinglePointsOfFailure(); !reflect.DeepEqual(got, one.CutSets) {
					t.Fatalf("%s: single points %v, singlePointsOfFailure says %v", name, got, one.CutSets)
				}
				compared++
			}
		}
	}
	t.Logf("%d objective analyses compared", compared)
}

func TestFailureAnalysesKeepOrderAndIsolateTooComplex(t *testing.T) {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").capability("c:X", "c:Y")
	g.rel(graph.RelProvides, "n:A", "c:X").rel(graph.RelProvides, "n:B", "c:X").rel(graph.RelProvides, "n:C", "c:Y")
	g.objective("o:big", "c:X", "c:Y").objective("o:small", "c:Y")
	m := g.model("2027-01-01")
	ctx := context.Background()
	defer func(old int32) { bddMaxNodes = old }(bddMaxNodes)
	bddMaxNodes = 4 // terminals, n:C, and one more: o:small fits, o:big does not
	all, err := m.FailureAnalyses(ctx, []string{"o:small", "o:big"}, View{}, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{all[0].Objective, all[1].Objective}; !slices.Equal(got, []string{"o:small", "o:big"}) {
		t.Fatalf("order %v, want as asked", got)
	}
	if all[0].Resilience == nil || all[0].ResilienceErr != nil {
		t.Fatalf("o:small: resilience %v, err %v; want a result", all[0].Resilience, all[0].ResilienceErr)
	}
	if all[1].Resilience != nil || graph.ErrorCode(all[1].ResilienceErr) != graph.ETOOCOMPLEX {
		t.Fatalf("o:big: resilience %v, err %v; want %s for it alone", all[1].Resilience, all[1].ResilienceErr, graph.ETOOCOMPLEX)
	}
	if len(all[1].CutSets) == 0 {
		t.Fatal("o:big lost its cut sets with its resilience")
	}
	// Without resilience nothing reaches the diagram's bound, and the cut sets stay.
	plain, err := m.FailureAnalyses(ctx, []string{"o:small", "o:big"}, View{}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, fa := range plain {
		if fa.Resilience != nil || fa.ResilienceErr != nil || !reflect.DeepEqual(fa.ObjectiveCutSets, all[i].ObjectiveCutSets) {
			t.Fatalf("%s without resilience: %+v, want the same cut sets and no resilience", fa.Objective, fa)
		}
	}
	for name, c := range map[string]struct {
		objectives []string
		maxOrder   int
		field      string
	}{
		"unknown objective": {[]string{"o:small", "o:nope"}, 1, "objectives[1]"},
		"repeated":          {[]string{"o:small", "o:small"}, 1, "objectives[1]"},
		"a capability":      {[]string{"c:X"}, 1, "objectives[0]"},
		"maxOrder 4":        {nil, 4, "maxOrder"},
	} {
		_, err := m.FailureAnalyses(ctx, c.objectives, View{}, c.maxOrder, true)
		if graph.ErrorCode(err) != graph.EINVALID || graph.ErrorField(err) != c.field {
			t.Errorf("%s: err %v, want %s on %s", name, err, graph.EINVALID, c.field)
		}
	}
}
