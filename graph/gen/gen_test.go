package gen

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
)

func TestGenerateIsDeterministic(t *testing.T) {
	c := Small()
	c.Seed = 42
	a, b := Generate(c), Generate(c)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	c.Seed = 43
	if reflect.DeepEqual(a, Generate(c)) {
		t.Fatal("seeds 42 and 43 give the same document")
	}
}

func TestPresetsAreValidAndSized(t *testing.T) {
	for _, c := range []struct {
		name        string
		nodes, rels int
		large       bool
	}{
		{"small", 1_000, 4_500, false},
		{"medium", 10_000, 40_000, false},
		{"large", 100_000, 1_000_000, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.large && testing.Short() {
				t.Skip("large preset skipped in -short mode")
			}
			cfg, ok := Preset(c.name, 1)
			if !ok {
				t.Fatalf("no preset %q", c.name)
			}
			doc := Generate(cfg)
			if err := graph.ValidateDocument(doc, nil); err != nil {
				t.Fatalf("invalid document: %v", err)
			}
			if got, want := len(doc.Nodes), c.nodes; got != want {
				t.Errorf("%d nodes, want %d", got, want)
			}
			if got := len(doc.Relationships); got < c.rels*9/10 || got > c.rels*11/10 {
				t.Errorf("%d relationships, want %d ± 10%%", got, c.rels)
			}
		})
	}
	if _, ok := Preset("huge", 1); ok {
		t.Error("Preset accepted an unknown name")
	}
}

// TestSmallHasTheShapeOfARealModel checks that a generated model gives every analysis
// something to find, as the demo seed does.
func TestSmallHasTheShapeOfARealModel(t *testing.T) {
	cfg := Small()
	cfg.Seed = 3
	doc := Generate(cfg)
	types := map[graph.RelType]int{}
	windows, reliabilities := 0, 0
	for _, r := range doc.Relationships {
		types[r.Type]++
		if r.ValidFrom != "" || r.ValidTo != "" {
			windows++
		}
	}
	for _, n := range doc.Nodes {
		if n.Reliability != nil {
			reliabilities++
		}
	}
	for _, rt := range graph.RelTypes {
		if types[rt] == 0 {
			t.Errorf("no %s relationship", rt)
		}
	}
	if windows == 0 || reliabilities == 0 {
		t.Errorf("%d validity windows, %d reliabilities; want some of each", windows, reliabilities)
	}

	epoch := DefaultEpoch
	at := analysis.NewModel(doc.Nodes, doc.Relationships, epoch)
	horizon := analysis.NewModel(doc.Nodes, doc.Relationships, epoch.AddDays(540))
	gaps, err := analysis.Gaps(context.Background(), at, horizon, analysis.GapFilter{Horizon: horizon.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, g := range gaps {
		kinds[g.Kind]++
	}
	for _, k := range analysis.GapKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s gap", k)
		}
	}
	if b := at.Brokers(); len(b.ArticulationPoints) == 0 {
		t.Error("the coordination network has no articulation point")
	}
	if !hasCycle(at) {
		t.Error("DEPENDS_ON has no cycle")
	}
	sp, err := at.SinglePointsByEvent(context.Background(), analysis.View{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp) == 0 {
		t.Error("no objective has a single point of failure")
	}
}

// hasCycle reports whether some capability is in the closure of one of its dependencies.
func hasCycle(m *analysis.Model) bool {
	for _, c := range m.IDs(graph.LabelCapability) {
		for _, d := range m.DependsOn[c] {
			for _, x := range m.Closure(d) {
				if x == c {
					return true
				}
			}
		}
	}
	return false
}

func TestGenerateDegenerateConfigs(t *testing.T) {
	for _, c := range []Config{
		{},
		{Nations: 3},
		{InternationalBodies: 2, Objectives: 5, PursuesPerStakeholder: 2},
		{Capabilities: 10, DependsPerCapability: 3, ProvidersPerCapability: 2},
		{Nations: 2, AgenciesPerNation: 9, Agreements: 4, PartiesPerAgreement: 50, GovernsPerAgreement: 5, CoordinationPerAgency: 20},
		{Nations: -1, Objectives: -5, Epoch: "not a date"},
		{Nations: MaxNations + 5},
	} {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			doc := Generate(c)
			if err := graph.ValidateDocument(doc, nil); err != nil {
				t.Fatalf("invalid document: %v", err)
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, name := range Presets {
		b.Run(name, func(b *testing.B) {
			cfg, _ := Preset(name, 1)
			for b.Loop() {
				Generate(cfg)
			}
		})
	}
}
