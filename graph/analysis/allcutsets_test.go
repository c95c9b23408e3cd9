package analysis

import (
	"context"
	"reflect"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/gen"
)

// AllCutSets shares memos across objectives: on a generated model, every objective's
// answer must be what the one-objective query gives, in objective order.
func TestAllCutSetsEqualsEachObjectiveAlone(t *testing.T) {
	cfg, _ := gen.Preset("medium", 1)
	doc := gen.Generate(cfg)
	m := NewModel(doc.Nodes, doc.Relationships, "2026-11-27")
	objectives := m.IDs(graph.LabelObjective)
	if len(objectives) < 100 {
		t.Fatalf("the model has %d objectives, too few to check sharing", len(objectives))
	}
	ctx := context.Background()
	for _, v := range []View{{}, {Stakeholder: m.IDs(graph.LabelNation)[0]}} {
		all, err := m.AllCutSets(ctx, v, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(all), len(objectives); got != want {
			t.Fatalf("view %+v: %d answers, want %d", v, got, want)
		}
		sets := 0
		for i, o := range objectives {
			want, err := m.CutSets(ctx, o, v, 2)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(all[i], want) {
				t.Fatalf("view %+v, objective %s: AllCutSets gave %+v, CutSets %+v", v, o, all[i], want)
			}
			sets += len(want.CutSets)
		}
		if sets == 0 {
			t.Fatalf("view %+v: no cut sets at all, so this test compares nothing", v)
		}
	}
}

// A cancelled scan stops and reports the timeout.
func TestAllCutSetsStopsWhenCancelled(t *testing.T) {
	cfg, _ := gen.Preset("medium", 1)
	doc := gen.Generate(cfg)
	m := NewModel(doc.Nodes, doc.Relationships, "2026-11-27")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.AllCutSets(ctx, View{}, 2); graph.ErrorCode(err) != graph.ETIMEOUT {
		t.Fatalf("cancelled scan: %v, want a %s error", err, graph.ETIMEOUT)
	}
}
