package resolvers_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/seed"
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

// TestBatchAnalysesOnTheDemo checks the batch fields against the single ones on the demo
// seed: failureAnalysis against cutSets, singlePointsOfFailure and resilience; gaps paged
// through gapsConnection against gaps; overlapMatrix against overlap.
func TestBatchAnalysesOnTheDemo(t *testing.T) {
	a := newAPI(t)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	a.load(demo)
	const asOf = "2026-11-27"
	vars := map[string]any{"asOf": asOf}

	t.Run("failureAnalysis equals the single analyses", func(t *testing.T) {
		a.t = t
		type cutSets = []struct {
			Events []struct{ ID string }
		}
		var batch struct {
			FailureAnalysis []struct {
				Objective             struct{ ID string }
				Achievable            bool
				CutSets               cutSets
				SinglePointsOfFailure cutSets
				Resilience            *struct {
					Probability float64
					MinCutOrder int
				}
			}
		}
		a.ok(`query($asOf: Date) { failureAnalysis(asOf: $asOf, maxOrder: 2) { objective { id } achievable
			cutSets { events { id } } singlePointsOfFailure { events { id } } resilience { probability minCutOrder } } }`, vars, &batch)
		var single struct {
			CutSets               []struct{ CutSets cutSets }
			SinglePointsOfFailure []struct{ CutSets cutSets }
		}
		a.ok(`query($asOf: Date) { cutSets(asOf: $asOf, maxOrder: 2) { cutSets { events { id } } }
			singlePointsOfFailure(asOf: $asOf) { cutSets { events { id } } } }`, vars, &single)
		if len(batch.FailureAnalysis) == 0 || len(batch.FailureAnalysis) != len(single.CutSets) {
			t.Fatalf("%d analyses, cutSets has %d objectives", len(batch.FailureAnalysis), len(single.CutSets))
		}
		withSPOF := 0
		for i, fa := range batch.FailureAnalysis {
			if got, want := fmt.Sprint(fa.CutSets), fmt.Sprint(single.CutSets[i].CutSets); got != want {
				t.Errorf("%s: cut sets %s, cutSets says %s", fa.Objective.ID, got, want)
			}
			if got, want := fmt.Sprint(fa.SinglePointsOfFailure), fmt.Sprint(single.SinglePointsOfFailure[i].CutSets); got != want {
				t.Errorf("%s: single points %s, singlePointsOfFailure says %s", fa.Objective.ID, got, want)
			}
			if len(fa.SinglePointsOfFailure) > 0 {
				withSPOF++
			}
			var res struct {
				Resilience struct {
					Probability float64
					MinCutOrder int
				}
			}
			a.ok(`query($o: ID!, $asOf: Date) { resilience(objective: $o, asOf: $asOf) { probability minCutOrder } }`,
				map[string]any{"o": fa.Objective.ID, "asOf": asOf}, &res)
			if fa.Resilience == nil || *fa.Resilience != res.Resilience {
				t.Errorf("%s: resilience %+v, resilience says %+v", fa.Objective.ID, fa.Resilience, res.Resilience)
			}
		}
		if withSPOF == 0 {
			t.Fatal("no objective of the demo has a single point of failure: the comparison is empty")
		}
		// resilience asked through a fragment is still computed.
		var frag struct {
			FailureAnalysis []struct {
				Resilience *struct{ Probability float64 }
			}
		}
		a.ok(`query($asOf: Date) { failureAnalysis(objectives: ["obj:space-security"], asOf: $asOf) {
			...on FailureAnalysis { resilience { probability } } } }`, vars, &frag)
		if len(frag.FailureAnalysis) != 1 || frag.FailureAnalysis[0].Resilience == nil || frag.FailureAnalysis[0].Resilience.Probability <= 0 {
			t.Fatalf("resilience through a fragment: %+v, want a probability", frag.FailureAnalysis)
		}
	})

	t.Run("gapsConnection pages through every gap", func(t *testing.T) {
		a.t = t
		var all struct {
			Gaps []struct {
				Kind       string
				Objective  *struct{ ID string }
				Capability *struct{ ID string }
			}
		}
		a.ok(`query($asOf: Date) { gaps(asOf: $asOf, first: 100000) { kind objective { id } capability { id } } }`, vars, &all)
		var paged []string
		after := ""
		pages := 0
		for {
			var page struct {
				GapsConnection struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   *string
					}
					Nodes []struct {
						Kind       string
						Objective  *struct{ ID string }
						Capability *struct{ ID string }
					}
				}
			}
			a.ok(`query($asOf: Date, $after: String) { gapsConnection(asOf: $asOf, first: 7, after: $after) {
				totalCount pageInfo { hasNextPage endCursor } nodes { kind objective { id } capability { id } } } }`,
				map[string]any{"asOf": asOf, "after": after}, &page)
			c := page.GapsConnection
			if c.TotalCount != len(all.Gaps) {
				t.Fatalf("totalCount %d, gaps lists %d", c.TotalCount, len(all.Gaps))
			}
			for _, g := range c.Nodes {
				paged = append(paged, fmt.Sprint(g.Kind, g.Objective, g.Capability))
			}
			pages++
			if !c.PageInfo.HasNextPage {
				break
			}
			if len(c.Nodes) != 7 || c.PageInfo.EndCursor == nil || pages > len(all.Gaps) {
				t.Fatalf("page %d: %d gaps, cursor %v, with more to come", pages, len(c.Nodes), c.PageInfo.EndCursor)
			}
			after = *c.PageInfo.EndCursor
		}
		var want []string
		for _, g := range all.Gaps {
			want = append(want, fmt.Sprint(g.Kind, g.Objective, g.Capability))
		}
		if fmt.Sprint(paged) != fmt.Sprint(want) || pages < 2 {
			t.Fatalf("%d pages gave\n%v\nwant\n%v", pages, paged, want)
		}
		a.fails(`{ gapsConnection(after: "bm9wZQ") { totalCount } }`, nil, graph.EINVALID, "after")
	})

	t.Run("overlapMatrix equals overlap", func(t *testing.T) {
		a.t = t
		ids := []string{"nation:USA", "nation:FRA", "nation:DEU", "nation:POL"}
		var mx struct {
			OverlapMatrix struct {
				Stakeholders []struct{ ID string }
				Scores       [][]*float64
				Pairs        []struct {
					A, B  struct{ ID string }
					Score float64
				}
			}
		}
		a.ok(`query($ids: [ID!]!, $asOf: Date) { overlapMatrix(ids: $ids, asOf: $asOf) { stakeholders { id } scores pairs { a { id } b { id } score } } }`,
			map[string]any{"ids": ids, "asOf": asOf}, &mx)
		m := mx.OverlapMatrix
		if len(m.Stakeholders) != len(ids) || len(m.Scores) != len(ids) || len(m.Pairs) != len(ids)*(len(ids)-1)/2 {
			t.Fatalf("matrix %+v, want %d stakeholders, rows and %d pairs", m, len(ids), len(ids)*(len(ids)-1)/2)
		}
		for _, p := range m.Pairs {
			var one struct{ Overlap struct{ Score float64 } }
			a.ok(`query($a: ID!, $b: ID!, $asOf: Date) { overlap(a: $a, b: $b, asOf: $asOf) { score } }`,
				map[string]any{"a": p.A.ID, "b": p.B.ID, "asOf": asOf}, &one)
			i, j := slices.Index(ids, p.A.ID), slices.Index(ids, p.B.ID)
			if one.Overlap.Score != p.Score || m.Scores[i][j] == nil || *m.Scores[i][j] != p.Score || *m.Scores[j][i] != p.Score {
				t.Errorf("%s–%s: matrix %v / pair %v, overlap %v", p.A.ID, p.B.ID, m.Scores[i][j], p.Score, one.Overlap.Score)
			}
		}
		a.fails(`{ overlapMatrix(ids: ["nation:USA", "obj:nope"]) { scores } }`, nil, graph.EINVALID, "ids[1]")
	})
}

// TestCompareOnTheDemo checks compare through the API on the demo seed: identical sides
// differ in nothing; a nation down loses what whatIf loses; a later date differs.
func TestCompareOnTheDemo(t *testing.T) {
	a := newAPI(t)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	a.load(demo)
	type comparison struct {
		Empty           bool
		Down            []struct{ ID string }
		GapsAppeared    []struct{ Kind string }
		GapsDisappeared []struct{ Kind string }
		ObjectivesLost  []struct {
			Objective   struct{ ID string }
			Explanation struct{ Nodes []string }
		}
		SinglePointsAppeared []struct {
			Objective struct{ ID string }
			Event     struct{ ID string }
		}
		CoalitionMoves []struct {
			Nation struct{ ID string }
			After  []struct{ ID string }
		}
	}
	const fields = `empty down { id } gapsAppeared { kind } gapsDisappeared { kind }
		objectivesLost { objective { id } explanation { nodes } } singlePointsAppeared { objective { id } event { id } }
		coalitionMoves { nation { id } after { id } }`
	var same struct{ Compare comparison }
	a.ok(`{ compare(asOf: "2026-11-27", scenarioAsOf: "2026-11-27") { `+fields+` } }`, nil, &same)
	if !same.Compare.Empty || len(same.Compare.GapsAppeared)+len(same.Compare.ObjectivesLost)+len(same.Compare.CoalitionMoves) != 0 {
		t.Fatalf("identical sides differ: %+v", same.Compare)
	}

	var down struct {
		Compare comparison
		WhatIf  struct {
			Objectives []struct{ Node struct{ ID string } }
		}
	}
	a.ok(`{ compare(asOf: "2026-11-27", down: ["nation:USA"]) { `+fields+` }
		whatIf(asOf: "2026-11-27", down: ["nation:USA"]) { objectives { node { id } } } }`, nil, &down)
	c := down.Compare
	var lost, whatIf []string
	for _, o := range c.ObjectivesLost {
		lost = append(lost, o.Objective.ID)
		if !slices.Contains(o.Explanation.Nodes, "nation:USA") {
			t.Errorf("%s lost without nation:USA in its explanation: %v", o.Objective.ID, o.Explanation.Nodes)
		}
	}
	for _, o := range down.WhatIf.Objectives {
		whatIf = append(whatIf, o.Node.ID)
	}
	if c.Empty || len(lost) == 0 || !slices.Equal(lost, whatIf) {
		t.Fatalf("USA down: compare loses %v, whatIf %v; want the same, not empty", lost, whatIf)
	}
	if len(c.Down) != 1 || c.Down[0].ID != "nation:USA" {
		t.Fatalf("down %+v, want nation:USA", c.Down)
	}
	left := false
	for _, m := range c.CoalitionMoves {
		left = left || m.Nation.ID == "nation:USA" && len(m.After) == 0
	}
	if !left {
		t.Fatalf("coalition moves %+v do not show nation:USA leaving", c.CoalitionMoves)
	}

	var later struct{ Compare comparison }
	a.ok(`{ compare(asOf: "2026-11-27", scenarioAsOf: "2030-01-01") { `+fields+` } }`, nil, &later)
	if later.Compare.Empty || len(later.Compare.GapsAppeared) == 0 {
		t.Fatalf("2030 against 2026 shows no new gap: %+v", later.Compare)
	}
	t.Logf("USA down: %d objectives lost, %d gaps appeared, %d single points appeared, %d coalition moves; 2030: %d gaps appeared, %d disappeared",
		len(lost), len(c.GapsAppeared), len(c.SinglePointsAppeared), len(c.CoalitionMoves), len(later.Compare.GapsAppeared), len(later.Compare.GapsDisappeared))
	a.fails(`{ compare(down: ["cap:nope"]) { empty } }`, nil, graph.EINVALID, "down[0]")
}
