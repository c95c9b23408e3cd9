package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// tbGapsGraph is a hand-made graph with every kind of gap; the expected gaps are derived
// in the comments of TestGapsAll.
func tbGapsGraph() *tbGraph {
	g := (&tbGraph{}).nations("N1", "N2", "N3", "N4")
	g.agency("a1", "N1").agency("a2", "N2").agency("a4", "N4").agency("I1", "").agency("I2", "")
	g.objectives("O1", "O2", "O3").threats("T1", "T2")
	g.capabilities("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9")
	g.agreement("G", "2020-01-01", "").agreement("Gold", "2010-01-01", "2020-01-01").agreement("Gfut", "2026-01-01", "")

	// O1 needs C1, whose closure is C1 C2 C3 C4 (with a cycle C3 → C1).
	g.rel(graph.RelRequires, "O1", "C1")
	g.rel(graph.RelDependsOn, "C1", "C2").rel(graph.RelDependsOn, "C2", "C3").rel(graph.RelDependsOn, "C3", "C1")
	g.rel(graph.RelDependsOn, "C2", "C4")
	g.rel(graph.RelRequires, "O3", "C5").rel(graph.RelRequires, "O3", "C6").rel(graph.RelRequires, "O3", "C7")
	g.rel(graph.RelAddresses, "O1", "T1")

	g.rel(graph.RelProvides, "a1", "C1")                                    // only N1's family
	g.rel(graph.RelProvides, "N1", "C2").rel(graph.RelProvides, "N2", "C2") // two families
	g.valid(graph.RelProvides, "N2", "C3", "", tbDay)                       // ended at asOf
	g.valid(graph.RelProvides, "N3", "C3", "2025-01-02", "")                // not yet
	// C4: no provider at all.
	g.rel(graph.RelProvides, "I1", "C5")                                    // an international body alone
	g.rel(graph.RelProvides, "I1", "C6").rel(graph.RelProvides, "I2", "C6") // two international bodies
	g.rel(graph.RelProvides, "N1", "C7").rel(graph.RelProvides, "I1", "C7")
	g.rel(graph.RelProvides, "N1", "C8") // single, but needed by nobody

	g.pursues("N2", "O1", 5).pursues("N3", "O1", 3).pursues("a2", "O1", 2).pursues("N4", "O1", 4).pursues("a4", "O1", 1)
	g.pursues("N2", "O3", 2).pursues("N1", "O2", 1)

	g.rel(graph.RelGoverns, "G", "C1").rel(graph.RelGoverns, "G", "C6")
	g.rel(graph.RelPartyTo, "N1", "G").rel(graph.RelPartyTo, "N2", "G").rel(graph.RelPartyTo, "a4", "G").rel(graph.RelPartyTo, "I2", "G")
	g.valid(graph.RelPartyTo, "N4", "G", "", "2024-06-01") // ended
	for _, a := range []string{"Gold", "Gfut"} {           // would open C1 and C2 to N3, but do not count
		g.rel(graph.RelGoverns, a, "C1").rel(graph.RelGoverns, a, "C2")
		g.rel(graph.RelPartyTo, "N3", a).rel(graph.RelPartyTo, "N1", a)
	}
	return g
}

// tbGapRows renders gaps as "KIND objective capability stakeholder threat" rows.
func tbGapRows(gaps []Gap) []string {
	var out []string
	for _, g := range gaps {
		out = append(out, strings.TrimRight(fmt.Sprintf("%s %s %s %s %s", g.Kind, g.Objective, g.Capability, g.Stakeholder, g.Threat), " "))
	}
	return out
}

func tbGaps(t *testing.T, at, horizon *Model, f GapFilter) []Gap {
	t.Helper()
	gaps, err := Gaps(context.Background(), at, horizon, f)
	if err != nil {
		t.Fatal(err)
	}
	return gaps
}

func tbSameRows(t *testing.T, got []Gap, want []string) {
	t.Helper()
	rows := tbGapRows(got)
	if !slices.Equal(rows, want) {
		t.Fatalf("gaps:\n  %s\nwant:\n  %s", strings.Join(rows, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestGapsAll(t *testing.T) {
	gaps := tbGaps(t, tbGapsGraph().model(tbDay), nil, GapFilter{})
	tbSameRows(t, gaps, []string{
		// C3's providers are outside validity, C4 has none.
		"COVERAGE O1 C3",
		"COVERAGE O1 C4",
		// N3: Gold expired, Gfut not signed yet. N4: its membership of G ended, and its
		// agency's membership does not extend up. a4 reaches C1 through G, but no agreement
		// governs C2. N2 and a2 are parties through N2 and provide C2 themselves.
		"ACCESS O1 C1 N3",
		"ACCESS O1 C1 N4",
		"ACCESS O1 C2 N3",
		"ACCESS O1 C2 N4",
		"ACCESS O1 C2 a4",
		// C6 comes through G from I2; nothing governs C5 or C7.
		"ACCESS O3 C5 N2",
		"ACCESS O3 C7 N2",
		// C1 hangs on N1's agency, C5 on the international I1 (its own family); C6 and C7
		// have two families; C8 is needed by nobody.
		"SINGLE_SOURCE  C1 N1",
		"SINGLE_SOURCE  C5 I1",
		"UNADDRESSED_THREAT    T2",
		"UNSPECIFIED O2",
	})
	for _, g := range gaps {
		if len(g.Explanation.Nodes) == 0 {
			t.Errorf("%s has an empty explanation", tbGapRows([]Gap{g})[0])
		}
	}
}

func TestGapsExplanations(t *testing.T) {
	gaps := tbGaps(t, tbGapsGraph().model(tbDay), nil, GapFilter{})
	find := func(row string) Explanation {
		t.Helper()
		for i, r := range tbGapRows(gaps) {
			if r == row {
				return gaps[i].Explanation
			}
		}
		t.Fatalf("no gap %q", row)
		return Explanation{}
	}
	for _, tc := range []struct {
		row         string
		nodes, rels []string
	}{
		{"COVERAGE O1 C4", []string{"C1", "C2", "C4", "O1"},
			[]string{"DEPENDS_ON:C1->C2", "DEPENDS_ON:C2->C4", "REQUIRES:O1->C1"}},
		{"ACCESS O1 C1 N3", []string{"C1", "G", "N1", "N3", "O1", "a1"},
			[]string{"GOVERNS:G->C1", "PART_OF:a1->N1", "PROVIDES:a1->C1", "PURSUES:N3->O1", "REQUIRES:O1->C1"}},
		{"SINGLE_SOURCE  C5 I1", []string{"C5", "I1", "O3"},
			[]string{"PROVIDES:I1->C5", "REQUIRES:O3->C5"}},
		{"UNSPECIFIED O2", []string{"N1", "O2"}, []string{"PURSUES:N1->O2"}},
		{"UNADDRESSED_THREAT    T2", []string{"T2"}, []string{}},
	} {
		t.Run(tc.row, func(t *testing.T) {
			ex := find(tc.row)
			if !slices.Equal(ex.Nodes, tc.nodes) {
				t.Errorf("nodes = %v, want %v", ex.Nodes, tc.nodes)
			}
			if !slices.Equal(ex.Relationships, tc.rels) {
				t.Errorf("relationships = %v, want %v", ex.Relationships, tc.rels)
			}
		})
	}
}

func TestGapsFilters(t *testing.T) {
	m := tbGapsGraph().model(tbDay)
	t.Run("objective O3 keeps its gaps and the single sources it needs", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, m, nil, GapFilter{Objective: "O3"}),
			[]string{"ACCESS O3 C5 N2", "ACCESS O3 C7 N2", "SINGLE_SOURCE  C5 I1"})
	})
	t.Run("stakeholder N2 keeps what it pursues and its own access", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, m, nil, GapFilter{Stakeholder: "N2"}), []string{
			"COVERAGE O1 C3", "COVERAGE O1 C4", "ACCESS O3 C5 N2", "ACCESS O3 C7 N2",
			"SINGLE_SOURCE  C1 N1", "SINGLE_SOURCE  C5 I1"})
	})
	t.Run("stakeholder a1 keeps what hangs on its family", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, m, nil, GapFilter{Stakeholder: "a1"}), []string{"SINGLE_SOURCE  C1 N1"})
	})
	t.Run("kinds", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, m, nil, GapFilter{Kinds: []string{GapUnspecified, GapCoverage}}),
			[]string{"COVERAGE O1 C3", "COVERAGE O1 C4", "UNSPECIFIED O2"})
	})
	t.Run("objective and kind", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, m, nil, GapFilter{Objective: "O1", Kinds: []string{GapAccess}, Stakeholder: "a4"}),
			[]string{"ACCESS O1 C2 a4"})
	})
}

func TestGapsRejects(t *testing.T) {
	m := tbGapsGraph().model(tbDay)
	for _, tc := range []struct {
		name    string
		horizon *Model
		f       GapFilter
		field   string
	}{
		{"unknown kind", nil, GapFilter{Kinds: []string{"BOGUS"}}, "kinds"},
		{"capability as objective", nil, GapFilter{Objective: "C1"}, "objective"},
		{"unknown objective", nil, GapFilter{Objective: "nope"}, "objective"},
		{"objective as stakeholder", nil, GapFilter{Stakeholder: "O1"}, "stakeholder"},
		{"expiring without horizon", nil, GapFilter{Kinds: []string{GapExpiring}}, "horizon"},
		{"horizon before asOf", nil, GapFilter{Horizon: "2024-12-31"}, "horizon"},
		{"horizon model before asOf", tbGapsGraph().model("2024-12-31"), GapFilter{Kinds: []string{GapExpiring}}, "horizon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Gaps(context.Background(), m, tc.horizon, tc.f)
			tbCode(t, err, graph.EINVALID, tc.field)
		})
	}
}

// tbExpiringGraph: asOf 2025-01-01, horizon 2026-01-01; each objective shows one way a gap
// appears (derivations in TestGapsExpiring).
func tbExpiringGraph() *tbGraph {
	g := (&tbGraph{}).nations("N1", "N2", "N3", "N4", "N5").agency("a3", "N3")
	for _, s := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		g.objectives("O_"+s).capabilities("C_"+s).rel(graph.RelRequires, "O_"+s, "C_"+s)
	}
	g.agreement("G1", "2020-01-01", "2025-09-01").agreement("G2", "2020-01-01", "")
	g.agreement("G3", "2020-01-01", "2025-05-01").agreement("G4", "2020-01-01", "")

	g.valid(graph.RelProvides, "N1", "C_a", "", "2025-06-01")
	g.valid(graph.RelProvides, "N1", "C_b", "", "2026-01-01") // ends exactly at the horizon
	g.valid(graph.RelProvides, "N1", "C_c", "", "2026-01-02") // ends after it

	g.rel(graph.RelProvides, "N1", "C_d").pursues("N2", "O_d", 3)
	g.rel(graph.RelGoverns, "G1", "C_d").rel(graph.RelPartyTo, "N1", "G1").rel(graph.RelPartyTo, "N2", "G1")

	g.rel(graph.RelProvides, "N1", "C_e").pursues("N3", "O_e", 3).pursues("a3", "O_e", 3)
	g.rel(graph.RelGoverns, "G2", "C_e").rel(graph.RelPartyTo, "N1", "G2").rel(graph.RelPartyTo, "a3", "G2")
	g.valid(graph.RelPartyTo, "N3", "G2", "", "2025-03-01")

	g.rel(graph.RelProvides, "N1", "C_f").valid(graph.RelProvides, "N5", "C_f", "", "2025-07-01").pursues("N4", "O_f", 3)
	g.rel(graph.RelGoverns, "G3", "C_f").rel(graph.RelPartyTo, "N1", "G3").rel(graph.RelPartyTo, "N4", "G3")
	g.rel(graph.RelGoverns, "G4", "C_f").rel(graph.RelPartyTo, "N5", "G4").rel(graph.RelPartyTo, "N4", "G4")

	g.valid(graph.RelProvides, "N1", "C_g", "2025-04-01", "") // starts after asOf
	// C_h: never provided.
	return g
}

func TestGapsExpiring(t *testing.T) {
	g := tbExpiringGraph()
	at, horizon := g.model(tbDay), g.model("2026-01-01")
	gaps := tbGaps(t, at, horizon, GapFilter{Kinds: []string{GapExpiring}, Horizon: "2026-01-01"})
	type row struct{ gap, cause, causedBy string }
	var got []row
	for _, x := range gaps {
		if x.Cause == nil {
			t.Fatalf("%v has no cause", x)
		}
		got = append(got, row{tbGapRows([]Gap{x})[0], x.Cause.Kind, strings.Join(x.CausedBy, ",")})
	}
	want := []row{
		// N5's provision ends: only N1 is left.
		{"EXPIRING  C_f N1", GapSingleSource, "PROVIDES:N5->C_f"},
		// C_g had no provider at asOf; its first one starts later. Nothing ends.
		{"EXPIRING  C_g N1", GapSingleSource, ""},
		// The only provision ends before the horizon, or exactly on it.
		{"EXPIRING O_a C_a", GapCoverage, "PROVIDES:N1->C_a"},
		{"EXPIRING O_b C_b", GapCoverage, "PROVIDES:N1->C_b"},
		// The agreement N2 reached N1 through expires.
		{"EXPIRING O_d C_d N2", GapAccess, "G1"},
		// N3's membership ends; a3 keeps its own, so a3 has no gap.
		{"EXPIRING O_e C_e N3", GapAccess, "PARTY_TO:N3->G2"},
		// Two ways lost: G3 expires, and N5's provision (reached through G4) ends.
		{"EXPIRING O_f C_f N4", GapAccess, "G3,PROVIDES:N5->C_f"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("expiring:\n  %v\nwant\n  %v", got, want)
	}
	// The explanation adds what ends to the cause's own.
	last := gaps[len(gaps)-1]
	for _, id := range []string{"G3", "N5", "C_f", "O_f", "N4"} {
		if !slices.Contains(last.Explanation.Nodes, id) {
			t.Errorf("explanation nodes %v lack %s", last.Explanation.Nodes, id)
		}
	}
	if !slices.Contains(last.Explanation.Relationships, "PROVIDES:N5->C_f") {
		t.Errorf("explanation rels %v lack PROVIDES:N5->C_f", last.Explanation.Relationships)
	}

	t.Run("all kinds with a horizon add EXPIRING to today's gaps", func(t *testing.T) {
		all := tbGaps(t, at, horizon, GapFilter{})
		n := 0
		for _, x := range all {
			if x.Kind == GapExpiring {
				n++
			}
		}
		if n != len(want) {
			t.Fatalf("%d EXPIRING among %v, want %d", n, tbGapRows(all), len(want))
		}
		if !slices.Contains(tbGapRows(all), "COVERAGE O_g C_g") {
			t.Fatalf("today's COVERAGE O_g C_g missing from %v", tbGapRows(all))
		}
	})
	t.Run("filtered by stakeholder", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, at, horizon, GapFilter{Kinds: []string{GapExpiring}, Stakeholder: "N3"}),
			[]string{"EXPIRING O_e C_e N3"})
	})
	t.Run("horizon equal to asOf finds nothing", func(t *testing.T) {
		tbSameRows(t, tbGaps(t, at, g.model(tbDay), GapFilter{Kinds: []string{GapExpiring}}), nil)
	})
}

// TestGapWaysAgreeWithUsableProviders checks the index's fast access rule against the
// model's reference one on random models, for every stakeholder and capability.
func TestGapWaysAgreeWithUsableProviders(t *testing.T) {
	checked := 0
	for seed := range 20 {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		g := tbRandomGraph(rng, 3+rng.IntN(10))
		// Give the random model capabilities with providers and governing agreements.
		var stakeholders, agreements []string
		for _, n := range g.nodes {
			switch {
			case n.Label.IsStakeholder():
				stakeholders = append(stakeholders, n.ID)
			case n.Label == graph.LabelAgreement:
				agreements = append(agreements, n.ID)
			}
		}
		for c := range 8 {
			id := fmt.Sprintf("C%d", c)
			g.capabilities(id)
			for range rng.IntN(4) {
				g.rel(graph.RelProvides, stakeholders[rng.IntN(len(stakeholders))], id)
			}
			for _, a := range agreements {
				if rng.IntN(2) == 0 {
					g.rel(graph.RelGoverns, a, id)
				}
			}
		}
		for _, asOf := range []graph.Date{"2019-06-01", "2023-01-01"} {
			m := g.model(asOf)
			ix := newGapIndex(m)
			for _, s := range m.Stakeholders() {
				for c := range 8 {
					x := fmt.Sprintf("C%d", c)
					got, want := ix.ways(s, x), m.UsableProviders(s, x)
					if !slices.Equal(got, want) {
						t.Fatalf("seed %d at %s: ways(%s, %s) = %v, UsableProviders = %v", seed, asOf, s, x, got, want)
					}
					if i := ix.capIdx[x]; ix.canUse(ix.user(s), i) != (len(want) > 0) {
						t.Fatalf("seed %d at %s: canUse(%s, %s) = %v, want %v", seed, asOf, s, x, !(len(want) > 0), len(want) > 0)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d (stakeholder, capability) pairs agree", checked)
}

// TestGapKeysAreUniqueAndPageInOrder checks what keyset paging over gaps relies on: Gaps
// returns gaps in strictly increasing key order (so a key names one gap), and walking
// GapsAfter page by page gives back the whole list.
func TestGapKeysAreUniqueAndPageInOrder(t *testing.T) {
	ctx := context.Background()
	total := 0
	for seed := range 30 {
		r := rand.New(rand.NewPCG(uint64(seed), 3))
		nodes, rels := ftGenerate(r, ftSmall)
		at, later := NewModel(nodes, rels, "2025-06-01"), NewModel(nodes, rels, "2029-03-01")
		gaps, err := Gaps(ctx, at, later, GapFilter{Horizon: later.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(gaps); i++ {
			if compareGapKeys(gaps[i-1].Key(), gaps[i].Key()) >= 0 {
				t.Fatalf("seed %d: gap %d %+v does not come after %+v", seed, i, gaps[i].Key(), gaps[i-1].Key())
			}
		}
		for _, size := range []int{1, 3, 7} {
			var paged []Gap
			rest := gaps
			for len(rest) > 0 {
				page := rest[:min(size, len(rest))]
				paged = append(paged, page...)
				rest = GapsAfter(gaps, page[len(page)-1].Key())
			}
			if len(paged) != len(gaps) {
				t.Fatalf("seed %d: pages of %d gave %d gaps, want %d", seed, size, len(paged), len(gaps))
			}
		}
		// A key that no longer exists still resumes at the right place.
		if len(gaps) > 2 {
			gone := gaps[1].Key()
			without := append(slices.Clone(gaps[:1]), gaps[2:]...)
			if after := GapsAfter(without, gone); len(after) != len(gaps)-2 {
				t.Fatalf("seed %d: after a removed gap %d remain, want %d", seed, len(after), len(gaps)-2)
			}
		}
		total += len(gaps)
	}
	if total < 100 {
		t.Fatalf("only %d gaps in all: the random models do not exercise paging", total)
	}
	t.Logf("%d gaps paged", total)
}
