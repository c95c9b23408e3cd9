package analysis

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// TestResilienceByHand checks the measures on a tree small enough to work out on paper:
// o requires X and Y; X is provided by n:A (q=0.1) and n:B (q=0.2), Y by n:C (q=0.3).
// o fails when (A and B) or C: P = 1 - (1 - 0.1·0.2)(1 - 0.3) = 0.314.
func TestResilienceByHand(t *testing.T) {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").capability("c:X", "c:Y")
	g.rel(graph.RelProvides, "n:A", "c:X").rel(graph.RelProvides, "n:B", "c:X").rel(graph.RelProvides, "n:C", "c:Y")
	g.objective("o", "c:X", "c:Y")
	g.reliability("n:A", 0.9).reliability("n:B", 0.8).reliability("n:C", 0.7)
	res, err := g.model("2027-01-01").Resilience(context.Background(), "o", View{})
	if err != nil {
		t.Fatal(err)
	}
	const p = 0.314
	if !res.Achievable || res.MinCutOrder != 1 {
		t.Fatalf("achievable=%v minCutOrder=%d, want true and 1 (n:C alone)", res.Achievable, res.MinCutOrder)
	}
	ftClose(t, "P", res.Probability, p)
	// P1 and P0 per event: with the event surely down, surely up.
	want := []struct {
		event  string
		q      float64
		p1, p0 float64
	}{
		{"n:C", 0.3, 1, 0.02},          // C down: fails; C up: A and B
		{"n:A", 0.1, 1 - 0.8*0.7, 0.3}, // A down: B or C; A up: C
		{"n:B", 0.2, 1 - 0.9*0.7, 0.3}, // B down: A or C; B up: C
	}
	if len(res.Importance) != len(want) {
		t.Fatalf("importance %+v, want %d events", res.Importance, len(want))
	}
	for i, w := range want {
		imp := res.Importance[i]
		if imp.Event != w.event {
			t.Fatalf("importance[%d] is %s, want %s (by Birnbaum)", i, imp.Event, w.event)
		}
		ftClose(t, w.event+" Birnbaum", imp.Birnbaum, w.p1-w.p0)
		ftClose(t, w.event+" Fussell-Vesely", imp.FussellVesely, (p-w.p0)/p)
		ftClose(t, w.event+" diagnosis", imp.Diagnosis, w.q*w.p1/p)
		ftClose(t, w.event+" RAW", imp.RAW, w.p1/p)
		ftClose(t, w.event+" RRW", imp.RRW, p/w.p0)
	}
	// SCRAM 0.16 printed these for the same tree (MIF, CIF, DIF, RAW, RRW of n:A).
	a := res.Importance[1]
	for name, pair := range map[string][2]float64{
		"MIF": {a.Birnbaum, 0.14}, "CIF": {a.FussellVesely, 0.044586}, "DIF": {a.Diagnosis, 0.140127},
		"RAW": {a.RAW, 1.40127}, "RRW": {a.RRW, 1.04667},
	} {
		if math.Abs(pair[0]-pair[1]) > 6e-6*pair[1] { // SCRAM prints 6 significant digits
			t.Errorf("n:A %s = %v, SCRAM printed %v", name, pair[0], pair[1])
		}
	}
}

func TestResilienceAgencyAndNation(t *testing.T) {
	// The only provider is an agency (r=0.9) of a nation (r=0.5): both are single points.
	g := &ftGraph{}
	g.nation("n:A").agency("a:A1", "n:A").capability("c:X").rel(graph.RelProvides, "a:A1", "c:X").objective("o", "c:X")
	g.reliability("a:A1", 0.9).reliability("n:A", 0.5)
	res, err := g.model("2027-01-01").Resilience(context.Background(), "o", View{})
	if err != nil {
		t.Fatal(err)
	}
	ftClose(t, "P", res.Probability, 1-0.9*0.5)
	if res.MinCutOrder != 1 || len(res.Importance) != 2 || res.Importance[0].Event != "n:A" {
		t.Fatalf("resilience %+v, want order 1 with n:A (Birnbaum 0.9) before a:A1 (0.5)", res)
	}
}

func TestResilienceEdgeCases(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	ctx := context.Background()
	t.Run("not achievable: probability 1, nothing ranked", func(t *testing.T) {
		res, err := m.Resilience(ctx, "o:gap", View{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Achievable || res.Probability != 1 || res.MinCutOrder != 0 || len(res.Importance) != 0 {
			t.Fatalf("resilience %+v, want not achievable, probability 1", res)
		}
	})
	t.Run("requires nothing: probability 0, no cut order", func(t *testing.T) {
		res, err := m.Resilience(ctx, "o:empty", View{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Achievable || res.Probability != 0 || res.MinCutOrder != 0 || len(res.Importance) != 0 {
			t.Fatalf("resilience %+v, want achievable, probability 0", res)
		}
	})
	t.Run("every event reliable: ratios are 0, never NaN", func(t *testing.T) {
		// No reliability given means 1: P = 0, so FV, RAW and RRW have no denominator.
		res, err := m.Resilience(ctx, "o:1", View{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Probability != 0 || res.MinCutOrder != 1 {
			t.Fatalf("P=%v order=%d, want 0 and 1", res.Probability, res.MinCutOrder)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatalf("resilience does not encode as JSON: %v", err)
		}
		if strings.Contains(string(b), "NaN") || strings.Contains(string(b), "Inf") {
			t.Fatalf("resilience JSON has non-numbers: %s", b)
		}
		// a:I alone brings o:1 down: Birnbaum 1.
		if res.Importance[0].Event != "a:I" || res.Importance[0].Birnbaum != 1 {
			t.Fatalf("importance %+v, want a:I first with Birnbaum 1", res.Importance)
		}
	})
	t.Run("unknown objective", func(t *testing.T) {
		if _, err := m.Resilience(ctx, "o:nope", View{}); graph.ErrorCode(err) != graph.ENOTFOUND {
			t.Fatalf("err=%v, want %s", err, graph.ENOTFOUND)
		}
	})
}

func TestResilienceRefusesADiagramPastItsBound(t *testing.T) {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").capability("c:X", "c:Y")
	g.rel(graph.RelProvides, "n:A", "c:X").rel(graph.RelProvides, "n:B", "c:X").rel(graph.RelProvides, "n:C", "c:Y")
	g.objective("o", "c:X", "c:Y")
	m := g.model("2027-01-01")
	defer func(old int32) { bddMaxNodes = old }(bddMaxNodes)
	bddMaxNodes = 3 // the two terminals and one variable: any real fault tree needs more
	_, err := m.Resilience(context.Background(), "o", View{})
	if got := graph.ErrorCode(err); got != graph.ETOOCOMPLEX {
		t.Fatalf("error %v (code %s), want %s", err, got, graph.ETOOCOMPLEX)
	}
	bddMaxNodes = 1 << 20
	if _, err := m.Resilience(context.Background(), "o", View{}); err != nil {
		t.Fatalf("within the bound: %v", err)
	}
}

// TestResilienceRRWIsUndefinedWhenP0IsZero is issue 8's wrong answer: x is provided by B,
// by c-civil (an agency of C) and by A, so o fails only when all three providers are down.
// Every cut set ({A,B,C}, {A,B,c-civil}) holds A and B: with either surely up o cannot
// fail, P0 = 0 and RRW does not exist. P0 computed as P - q·Birnbaum left ~1e-17 and RRW
// came out as 5.99e15. The measures are checked against exact enumeration.
func TestResilienceRRWIsUndefinedWhenP0IsZero(t *testing.T) {
	g := &ftGraph{}
	g.nation("A").nation("B").nation("C").agency("c-civil", "C").capability("x")
	g.rel(graph.RelProvides, "B", "x").rel(graph.RelProvides, "c-civil", "x").rel(graph.RelProvides, "A", "x")
	g.objective("o", "x")
	g.reliability("A", 0.983).reliability("B", 0.824).reliability("C", 0.864).reliability("c-civil", 0.906)
	const asOf = "2027-01-01"
	res, err := g.model(asOf).Resilience(context.Background(), "o", View{})
	if err != nil {
		t.Fatal(err)
	}
	exact := newFTRef(t, g.nodes, g.rels, asOf, "").probability("o")
	ftClose(t, "P", res.Probability, exact.p)
	if len(res.Importance) != 4 {
		t.Fatalf("importance %+v, want A, B, C and c-civil", res.Importance)
	}
	for _, imp := range res.Importance {
		p0, p1 := exact.p0[imp.Event], exact.p1[imp.Event]
		ftClose(t, imp.Event+" Birnbaum", imp.Birnbaum, p1-p0)
		ftCloseRel(t, imp.Event+" RAW", imp.RAW, p1/exact.p)
		switch imp.Event {
		case "A", "B":
			if p0 != 0 || imp.RRW != 0 {
				t.Errorf("%s: RRW = %g with P0 = %g by enumeration, want no RRW (0) and P0 = 0", imp.Event, imp.RRW, p0)
			}
			ftClose(t, imp.Event+" Fussell-Vesely", imp.FussellVesely, 1)
		default:
			if p0 == 0 {
				t.Fatalf("%s: P0 = 0 by enumeration, but it is not in every cut set", imp.Event)
			}
			ftCloseRel(t, imp.Event+" RRW", imp.RRW, exact.p/p0)
		}
	}
}
