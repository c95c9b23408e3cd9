package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// cmpGraph is a small model for comparisons:
//
//	o:air ─REQUIRES→ c:tanker ←PROVIDES─ n:A (until 2028-01-01), a:B1 (agency of n:B)
//	o:sea ─REQUIRES→ c:sonar  ←PROVIDES─ n:C; usable by n:A through agr:pact (A and C party)
//	n:A pursues o:air (5) and o:sea (3); n:B pursues o:air (4); n:C pursues o:sea (3)
func cmpGraph() *ftGraph {
	g := &ftGraph{}
	g.nation("n:A").nation("n:B").nation("n:C").agency("a:B1", "n:B").capability("c:tanker", "c:sonar")
	g.rel(graph.RelProvides, "n:A", "c:tanker").valid("", "2028-01-01")
	g.rel(graph.RelProvides, "a:B1", "c:tanker").rel(graph.RelProvides, "n:C", "c:sonar")
	g.agreement("agr:pact", "", "", "n:A", "n:C").rel(graph.RelGoverns, "agr:pact", "c:sonar")
	g.objective("o:air", "c:tanker").objective("o:sea", "c:sonar")
	for _, p := range []struct {
		s, o     string
		priority int
	}{{"n:A", "o:air", 5}, {"n:A", "o:sea", 3}, {"n:B", "o:air", 4}, {"n:C", "o:sea", 3}} {
		g.rel(graph.RelPursues, p.s, p.o)
		g.rels[len(g.rels)-1].Priority = p.priority
	}
	return g
}

func spofs(cs []SinglePointChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Objective+"/"+c.Event)
	}
	return out
}

func gapIDs(gs []Gap) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s %s %s %s", g.Kind, g.Objective, g.Capability, g.Stakeholder))
	}
	return out
}

func objectiveIDs(cs []ObjectiveChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Objective)
	}
	return out
}

func TestCompareALaterDate(t *testing.T) {
	// By 2029 n:A's tanker provision has ended: a:B1 is the only provider left.
	g := cmpGraph()
	c, err := Compare(context.Background(), g.model("2027-01-01"), g.model("2029-01-01"), nil, View{}, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := spofs(c.SinglePointsAppeared), []string{"o:air/a:B1", "o:air/n:B"}; !slices.Equal(got, want) {
		t.Fatalf("single points appeared %v, want %v", got, want)
	}
	if len(c.SinglePointsDisappeared)+len(c.ObjectivesLost)+len(c.ObjectivesGained)+len(c.CoalitionMoves) != 0 {
		t.Fatalf("comparison %+v, want only single points and gaps", c)
	}
	// n:A no longer provides c:tanker itself and no agreement gives it a:B1's; c:tanker
	// now hangs on n:B's family alone.
	if got, want := gapIDs(c.GapsAppeared), []string{"ACCESS o:air c:tanker n:A", "SINGLE_SOURCE  c:tanker n:B"}; !slices.Equal(got, want) {
		t.Fatalf("gaps appeared %v, want %v", got, want)
	}
	ex := c.SinglePointsAppeared[0].Explanation
	for _, id := range []string{"o:air", "c:tanker", "a:B1"} {
		if !slices.Contains(ex.Nodes, id) {
			t.Errorf("explanation of a:B1 as a single point %v lacks %s", ex.Nodes, id)
		}
	}
}

func TestCompareEventsDown(t *testing.T) {
	g := cmpGraph()
	m := g.model("2027-01-01")
	ctx := context.Background()
	t.Run("a provider down leaves the other as a single point", func(t *testing.T) {
		c, err := Compare(ctx, m, m, []string{"n:A"}, View{}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := spofs(c.SinglePointsAppeared), []string{"o:air/a:B1", "o:air/n:B"}; !slices.Equal(got, want) {
			t.Fatalf("single points appeared %v, want %v", got, want)
		}
		// The explanation names the down event that leaves a:B1 alone.
		if ex := c.SinglePointsAppeared[0].Explanation; !slices.Contains(ex.Nodes, "n:A") || !slices.Contains(ex.Relationships, "PROVIDES:n:A->c:tanker") {
			t.Fatalf("explanation %+v does not name n:A and its provision", ex)
		}
		// n:A is down: it leaves its coalition.
		if len(c.CoalitionMoves) == 0 || c.CoalitionMoves[0].Nation != "n:A" || len(c.CoalitionMoves[0].After) != 0 {
			t.Fatalf("coalition moves %+v, want n:A leaving", c.CoalitionMoves)
		}
	})
	t.Run("the only providers down lose the objective", func(t *testing.T) {
		c, err := Compare(ctx, m, m, []string{"n:A", "n:B"}, View{}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		if got := objectiveIDs(c.ObjectivesLost); !slices.Equal(got, []string{"o:air"}) {
			t.Fatalf("objectives lost %v, want o:air", got)
		}
		ex := c.ObjectivesLost[0].Explanation
		for _, id := range []string{"n:A", "n:B", "a:B1", "c:tanker"} {
			if !slices.Contains(ex.Nodes, id) {
				t.Errorf("explanation of o:air lost %v lacks %s", ex.Nodes, id)
			}
		}
		// With nothing left providing c:tanker, the coverage gap appears, naming the down
		// providers; the o:air single points that were there are gone.
		if got, want := gapIDs(c.GapsAppeared), []string{"COVERAGE o:air c:tanker "}; !slices.Equal(got, want) {
			t.Fatalf("gaps appeared %v, want %v", got, want)
		}
		if ex := c.GapsAppeared[0].Explanation; !slices.Contains(ex.Relationships, "PROVIDES:a:B1->c:tanker") || !slices.Contains(ex.Relationships, "PART_OF:a:B1->n:B") {
			t.Fatalf("coverage gap explanation %+v does not name a:B1's provision taken down with n:B", ex)
		}
	})
	t.Run("an agreement down in n:A's access view", func(t *testing.T) {
		c, err := Compare(ctx, m, m, []string{"agr:pact"}, View{Stakeholder: "n:A"}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		if got := objectiveIDs(c.ObjectivesLost); !slices.Equal(got, []string{"o:sea"}) {
			t.Fatalf("objectives lost for n:A %v, want o:sea", got)
		}
		if got, want := gapIDs(c.GapsAppeared), []string{"ACCESS o:sea c:sonar n:A"}; !slices.Equal(got, want) {
			t.Fatalf("gaps appeared %v, want %v", got, want)
		}
		// agr:pact, n:C and their relationships were o:sea's single points for n:A.
		if got, want := spofs(c.SinglePointsDisappeared), []string{"o:sea/agr:pact", "o:sea/n:C"}; !slices.Equal(got, want) {
			t.Fatalf("single points disappeared %v, want %v", got, want)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		_, err := Compare(ctx, m, m, []string{"n:A", "c:sonar"}, View{}, 0.2)
		tbCode(t, err, graph.EINVALID, "down[1]")
		_, err = Compare(ctx, m, m, nil, View{Stakeholder: "o:air"}, 0.2)
		tbCode(t, err, graph.EINVALID, "view.stakeholder")
		_, err = Compare(ctx, m, m, nil, View{}, 2)
		tbCode(t, err, graph.EINVALID, "threshold")
	})
}

// TestCompareProperties checks on random models, in every view: identical inputs give an
// empty difference; and, against the reference semantics by brute force, a scenario at the
// same date with random events down loses exactly the objectives WhatIf loses, gains
// none, and has as single points of failure (baseline's, less those disappeared, plus
// those appeared) exactly the events whose failure on top of the down ones brings the
// objective down.
func TestCompareProperties(t *testing.T) {
	ctx := context.Background()
	checked := map[string]int{}
	for seed := range 30 {
		r := rand.New(rand.NewPCG(uint64(seed), 13))
		nodes, rels := ftGenerate(r, ftSmall)
		for _, asOf := range []graph.Date{"2024-06-01", "2029-03-01"} {
			m := NewModel(nodes, rels, asOf)
			same := NewModel(nodes, rels, asOf)
			for _, v := range ftViews() {
				name := fmt.Sprintf("seed=%d/asOf=%s/view=%q", seed, asOf, v.Stakeholder)
				c, err := Compare(ctx, m, same, nil, v, 0.2)
				if err != nil {
					t.Fatal(err)
				}
				if !c.Empty() {
					t.Fatalf("%s: identical inputs differ: %+v", name, c)
				}
				checked["identical"]++

				ref := newFTRef(t, nodes, rels, asOf, v.Stakeholder)
				var down []string
				var mask uint64
				for range 1 + r.IntN(2) {
					e := ref.events[r.IntN(len(ref.events))]
					down = append(down, e)
					mask |= ref.bit[e]
				}
				c, err = Compare(ctx, m, m, down, v, 0.2)
				if err != nil {
					t.Fatal(err)
				}
				w, err := m.WhatIf(ctx, down, v)
				if err != nil {
					t.Fatal(err)
				}
				var lost []string
				for _, l := range w.Objectives {
					lost = append(lost, l.ID)
				}
				if got := objectiveIDs(c.ObjectivesLost); !slices.Equal(got, lost) || len(c.ObjectivesGained) != 0 {
					t.Fatalf("%s down %v: lost %v gained %v, whatIf loses %v and nothing can be gained", name, down, got, objectiveIDs(c.ObjectivesGained), lost)
				}
				for _, o := range ref.objectives {
					base, err := m.CutSets(ctx, o, v, 1)
					if err != nil {
						t.Fatal(err)
					}
					got := map[string]bool{}
					for _, cs := range base.CutSets {
						got[cs.Events[0]] = true
					}
					for _, ch := range c.SinglePointsDisappeared {
						if ch.Objective == o {
							delete(got, ch.Event)
						}
					}
					for _, ch := range c.SinglePointsAppeared {
						if ch.Objective == o {
							got[ch.Event] = true
						}
					}
					for _, e := range ref.events {
						want := !ref.fails(o, mask) && mask&ref.bit[e] == 0 && ref.fails(o, mask|ref.bit[e])
						if got[e] != want {
							t.Fatalf("%s down %v: %s single point of %s in the scenario = %v, reference says %v", name, down, e, o, got[e], want)
						}
						if want {
							checked["scenario single points"]++
						}
					}
				}
				checked["scenarios"]++
			}
		}
	}
	t.Logf("checked: %v", checked)
	if checked["scenario single points"] < 50 {
		t.Fatalf("too few single points to mean anything: %v", checked)
	}
}

// TestCompareGapsAcrossDates checks the gaps of a comparison of two dates against Gaps on
// each date: what appears is the later date's gaps less the earlier's, by identity, with the
// explanation Gaps gives it; what disappears the reverse.
func TestCompareGapsAcrossDates(t *testing.T) {
	ctx := context.Background()
	changed := 0
	for seed := range 30 {
		r := rand.New(rand.NewPCG(uint64(seed), 17))
		nodes, rels := ftGenerate(r, ftSmall)
		base, scen := NewModel(nodes, rels, "2024-06-01"), NewModel(nodes, rels, "2029-03-01")
		c, err := Compare(ctx, base, scen, nil, View{}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		gapsOf := func(m *Model) map[GapKey]Gap {
			gs, err := Gaps(ctx, m, nil, GapFilter{Kinds: compareKinds})
			if err != nil {
				t.Fatal(err)
			}
			out := map[GapKey]Gap{}
			for _, g := range gs {
				out[g.Key()] = g
			}
			return out
		}
		before, after := gapsOf(base), gapsOf(scen)
		check := func(what string, got []Gap, in, notIn map[GapKey]Gap) {
			t.Helper()
			want := 0
			for k := range in {
				if _, ok := notIn[k]; !ok {
					want++
				}
			}
			if len(got) != want {
				t.Fatalf("seed %d: %d gaps %s, Gaps on each date says %d", seed, len(got), what, want)
			}
			for _, g := range got {
				ref, ok := in[g.Key()]
				if _, also := notIn[g.Key()]; !ok || also {
					t.Fatalf("seed %d: gap %+v %s, but Gaps disagrees", seed, g.Key(), what)
				}
				if fmt.Sprint(g.Explanation) != fmt.Sprint(ref.Explanation) {
					t.Fatalf("seed %d: gap %+v %s explained %v, Gaps explains %v", seed, g.Key(), what, g.Explanation, ref.Explanation)
				}
			}
			changed += len(got)
		}
		check("appeared", c.GapsAppeared, after, before)
		check("disappeared", c.GapsDisappeared, before, after)
	}
	if changed < 20 {
		t.Fatalf("only %d gaps changed between the dates: the test compares too little", changed)
	}
	t.Logf("%d gap changes checked", changed)
}

// BenchmarkCompare is a comparison on the large generated model: a later date with three
// nations down, against the baseline, on projections made once.
func BenchmarkCompare(b *testing.B) {
	nodes, rels := ftLarge()
	base, scen := NewModel(nodes, rels, "2027-01-01"), NewModel(nodes, rels, "2029-03-01")
	var c Comparison
	for b.Loop() {
		var err error
		c, err = Compare(context.Background(), base, scen, []string{"nation:1", "nation:2", "nation:3"}, View{}, 0.2)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.GapsAppeared)), "gapsAppeared")
	b.ReportMetric(float64(len(c.SinglePointsAppeared)), "singlePointsAppeared")
	b.ReportMetric(float64(len(c.ObjectivesLost)), "objectivesLost")
	b.ReportMetric(float64(len(c.CoalitionMoves)), "coalitionMoves")
	b.ReportMetric(ftPeakRSS(), "peakRSS-MiB")
}
