package snapshot

import (
	"runtime"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/graph/gen"
)

// heap is the live heap after a full collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkMemory measures what a Graph and one analysis Model of it hold, per node and per
// relationship, on the medium generated model, against the estimates the cache's budget
// uses (graphNodeBytes…): `go test -run '^$' -bench Memory ./graph/snapshot/`.
func BenchmarkMemory(b *testing.B) {
	cfg, _ := gen.Preset("medium", 1)
	for range b.N {
		base := heap()
		doc := gen.Generate(cfg) // the Graph owns the document it indexes
		nodes, rels := len(doc.Nodes), len(doc.Relationships)
		g := NewGraph("v", doc)
		doc = nil
		afterGraph := heap()
		d := g.Document(&graph.Viewer{Role: graph.RoleAdmin})
		m := analysis.NewModel(d.Nodes, d.Relationships, "2026-11-27")
		afterModel := heap()
		runtime.KeepAlive(m)
		runtime.KeepAlive(g)
		// Split each measured total over nodes and relationships in the proportion of the
		// estimates, and report the ratio of measured to estimated.
		est := func(nb, rb int64) float64 { return float64(int64(nodes)*nb + int64(rels)*rb) }
		b.ReportMetric(float64(afterGraph-base)/est(graphNodeBytes, graphRelBytes), "graph-measured/estimated")
		b.ReportMetric(float64(afterModel-afterGraph)/est(modelNodeBytes, modelRelBytes), "model-measured/estimated")
		b.ReportMetric(float64(afterGraph-base)/1e6, "graph-MB")
		b.ReportMetric(float64(afterModel-afterGraph)/1e6, "model-MB")
		b.ReportMetric(float64(nodes), "nodes")
		b.ReportMetric(float64(rels), "relationships")
	}
}
