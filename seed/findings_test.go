package seed

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph/analysis"
)

// The findings the demo is designed to produce at refDate, as README.md lists them. The
// analyses must find each of them; they may find more.

func demoModels(t *testing.T) (at, horizon *analysis.Model) {
	t.Helper()
	doc := demo(t)
	return analysis.NewModel(doc.Nodes, doc.Relationships, refDate),
		analysis.NewModel(doc.Nodes, doc.Relationships, refDate.AddDays(365))
}

func TestDemoFindingsGaps(t *testing.T) {
	at, hz := demoModels(t)
	gaps, err := analysis.Gaps(context.Background(), at, hz, analysis.GapFilter{Horizon: hz.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	key := func(g analysis.Gap) string {
		return fmt.Sprintf("%s %s %s %s %s", g.Kind, g.Objective, g.Capability, g.Stakeholder, g.Threat)
	}
	found := map[string]analysis.Gap{}
	for _, g := range gaps {
		found[key(g)] = g
	}
	for _, want := range []struct {
		g        analysis.Gap
		causedBy string // for EXPIRING: what must be among CausedBy
	}{
		{g: analysis.Gap{Kind: analysis.GapCoverage, Objective: "obj:hypersonic-defence", Capability: "cap:hypersonic-defence"}},
		{g: analysis.Gap{Kind: analysis.GapAccess, Objective: "obj:indo-pacific", Capability: "cap:air-refuelling", Stakeholder: "nation:NZL"}},
		{g: analysis.Gap{Kind: analysis.GapAccess, Objective: "obj:western-balkans", Capability: "cap:strategic-airlift", Stakeholder: "nation:CHE"}},
		{g: analysis.Gap{Kind: analysis.GapAccess, Objective: "obj:undersea-infrastructure", Capability: "cap:undersea-surveillance", Stakeholder: "nation:IRL"}},
		{g: analysis.Gap{Kind: analysis.GapSingleSource, Capability: "cap:missile-early-warning", Stakeholder: "nation:USA"}},
		{g: analysis.Gap{Kind: analysis.GapSingleSource, Capability: "cap:outsized-airlift", Stakeholder: "nation:UKR"}},
		{g: analysis.Gap{Kind: analysis.GapSingleSource, Capability: "cap:counter-hybrid-teams", Stakeholder: "agency:nato-is"}},
		{g: analysis.Gap{Kind: analysis.GapUnaddressedThreat, Threat: "threat:gnss-interference"}},
		{g: analysis.Gap{Kind: analysis.GapUnaddressedThreat, Threat: "threat:climate-security"}},
		{g: analysis.Gap{Kind: analysis.GapUnspecified, Objective: "obj:montreux-regime"}},
		{g: analysis.Gap{Kind: analysis.GapExpiring, Objective: "obj:cyber-resilience", Capability: "cap:fmn", Stakeholder: "nation:JPN"}, causedBy: "agr:nato-japan-itpp"},
		{g: analysis.Gap{Kind: analysis.GapExpiring, Objective: "obj:rapid-reinforcement", Capability: "cap:outsized-airlift", Stakeholder: "nation:DEU"}, causedBy: "agr:salis"},
	} {
		got, ok := found[key(want.g)]
		if !ok {
			t.Errorf("no gap %s", key(want.g))
			continue
		}
		if want.causedBy != "" && !slices.Contains(got.CausedBy, want.causedBy) {
			t.Errorf("gap %s caused by %v, want %s among them", key(want.g), got.CausedBy, want.causedBy)
		}
	}
	// Access gaps should stay a readable list, not one per pursuer of every objective.
	access := 0
	for _, g := range gaps {
		if g.Kind == analysis.GapAccess {
			access++
		}
	}
	if access > 60 {
		t.Errorf("%d ACCESS gaps at %s; the demo should keep them few enough to read", access, refDate)
	}
}

func TestDemoFindingsSinglePoints(t *testing.T) {
	at, _ := demoModels(t)
	ctx := context.Background()
	for _, c := range []struct {
		view      analysis.View
		objective string
		event     string
	}{
		{analysis.View{}, "obj:nato-iamd", "nation:USA"},
		{analysis.View{}, "obj:nato-iamd", "agency:usa-ussf"},
		{analysis.View{}, "obj:hybrid-resilience", "agency:nato-is"},
		{analysis.View{}, "obj:rapid-reinforcement", "nation:UKR"},
		{analysis.View{Stakeholder: "nation:JPN"}, "obj:cyber-resilience", "agr:nato-japan-itpp"},
	} {
		cs, err := at.CutSets(ctx, c.objective, c.view, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(cs.CutSets, func(s analysis.CutSet) bool { return slices.Equal(s.Events, []string{c.event}) }) {
			t.Errorf("%s (view %q): %s is not a single point of failure; cut sets %v", c.objective, c.view.Stakeholder, c.event, cs.CutSets)
		}
	}
	cs, err := at.CutSets(ctx, "obj:hypersonic-defence", analysis.View{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Achievable {
		t.Error("obj:hypersonic-defence is achievable; the demo means it to lack a provider")
	}
}

func TestDemoFindingsBrokersAndConflicts(t *testing.T) {
	at, _ := demoModels(t)
	b := at.Brokers()
	for _, id := range []string{"agency:nato-is", "agency:eu-intcen"} {
		if !slices.Contains(b.ArticulationPoints, id) {
			t.Errorf("%s is not an articulation point; got %v", id, b.ArticulationPoints)
		}
	}
	for _, c := range []struct{ a, b, oa, ob string }{
		{"nation:USA", "nation:TUR", "obj:black-sea-presence", "obj:montreux-regime"},
		{"nation:FRA", "nation:POL", "obj:euro-industrial-autonomy", "obj:transatlantic-procurement"},
	} {
		ov, err := at.Overlap(c.a, c.b)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(ov.Conflicts, func(x analysis.Conflict) bool { return x.ObjectiveA == c.oa && x.ObjectiveB == c.ob }) {
			t.Errorf("overlap(%s, %s) conflicts %v, want (%s, %s)", c.a, c.b, ov.Conflicts, c.oa, c.ob)
		}
	}
}
