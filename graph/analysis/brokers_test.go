package analysis

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

func tbBrokers(t *testing.T, b Brokers, aps []string, bridges [][2]string) {
	t.Helper()
	if !slices.Equal(b.ArticulationPoints, aps) {
		t.Errorf("articulation points = %v, want %v", b.ArticulationPoints, aps)
	}
	if !slices.Equal(b.Bridges, bridges) {
		t.Errorf("bridges = %v, want %v", b.Bridges, bridges)
	}
}

func TestBrokersPathAndTriangle(t *testing.T) {
	// a1 – a2 – a3 – N, where a3 belongs to N, plus a triangle b1 b2 b3 hanging off a2.
	g := (&tbGraph{}).nations("N").agency("a1", "").agency("a2", "").agency("a3", "N")
	g.agency("b1", "").agency("b2", "").agency("b3", "")
	g.rel(graph.RelCoordinatesWith, "a2", "a1").rel(graph.RelCoordinatesWith, "a2", "a3")
	g.rel(graph.RelCoordinatesWith, "b1", "b2").rel(graph.RelCoordinatesWith, "b2", "b3").rel(graph.RelCoordinatesWith, "b3", "b1")
	g.rel(graph.RelCoordinatesWith, "a2", "b1")
	b := g.model(tbDay).Brokers()
	tbBrokers(t, b, []string{"a2", "a3", "b1"}, [][2]string{{"N", "a3"}, {"a1", "a2"}, {"a2", "a3"}, {"a2", "b1"}})
	// The explanation names each bridge by its relationship as stored.
	for _, id := range []string{"COORDINATES_WITH:a2->a1", "PART_OF:a3->N", "COORDINATES_WITH:a2->b1"} {
		if !slices.Contains(b.Explanation.Relationships, id) {
			t.Errorf("explanation lacks %s: %v", id, b.Explanation.Relationships)
		}
	}
	if slices.Contains(b.Explanation.Relationships, "COORDINATES_WITH:b1->b2") {
		t.Errorf("explanation names a triangle edge: %v", b.Explanation.Relationships)
	}
}

func TestBrokersParallelEdgesAreNoBridge(t *testing.T) {
	// a1 and a2 coordinate in both directions: two links, neither a bridge.
	g := (&tbGraph{}).agency("a1", "").agency("a2", "").agency("a3", "")
	g.rel(graph.RelCoordinatesWith, "a1", "a2").rel(graph.RelCoordinatesWith, "a2", "a1")
	g.rel(graph.RelCoordinatesWith, "a2", "a3")
	tbBrokers(t, g.model(tbDay).Brokers(), []string{"a2"}, [][2]string{{"a2", "a3"}})
}

func TestBrokersIsolatedAndEmpty(t *testing.T) {
	b := (&tbGraph{}).model(tbDay).Brokers()
	if b.ArticulationPoints == nil || b.Bridges == nil || len(b.ArticulationPoints)+len(b.Bridges) != 0 {
		t.Fatalf("empty model: %+v, want empty non-nil lists", b)
	}
	g := (&tbGraph{}).nations("N1", "N2").agency("i1", "").objectives("O").capabilities("C")
	tbBrokers(t, g.model(tbDay).Brokers(), []string{}, [][2]string{})
}

func TestBrokersValidityAtAsOf(t *testing.T) {
	// Through the agreement G, N1 – G – N2 and G – N3 make G the hub. At 2024 G is not yet
	// signed; at 2025 it counts, but N3's membership has ended; at 2031 it has expired.
	g := (&tbGraph{}).nations("N1", "N2", "N3").agreement("G", "2024-06-01", "2030-01-01")
	g.rel(graph.RelPartyTo, "N1", "G").valid(graph.RelPartyTo, "N2", "G", "2024-06-01", "")
	g.valid(graph.RelPartyTo, "N3", "G", "", "2025-01-01")
	tbBrokers(t, g.model("2024-01-01").Brokers(), []string{}, [][2]string{})
	tbBrokers(t, g.model("2024-12-31").Brokers(), []string{"G"}, [][2]string{{"G", "N1"}, {"G", "N2"}, {"G", "N3"}})
	tbBrokers(t, g.model("2025-01-01").Brokers(), []string{"G"}, [][2]string{{"G", "N1"}, {"G", "N2"}})
	tbBrokers(t, g.model("2031-01-01").Brokers(), []string{}, [][2]string{})
}

func TestBrokersLongPathNeedsNoRecursion(t *testing.T) {
	// 100k agencies in a line: a recursive walk would go 100k frames deep.
	const n = 100_000
	g := &tbGraph{}
	for i := range n {
		g.agency(fmt.Sprintf("a%06d", i), "")
		if i > 0 {
			g.rel(graph.RelCoordinatesWith, fmt.Sprintf("a%06d", i-1), fmt.Sprintf("a%06d", i))
		}
	}
	b := g.model(tbDay).Brokers()
	if got, want := len(b.ArticulationPoints), n-2; got != want {
		t.Fatalf("articulation points = %d, want %d", got, want)
	}
	if got, want := len(b.Bridges), n-1; got != want {
		t.Fatalf("bridges = %d, want %d", got, want)
	}
	if b.ArticulationPoints[0] != "a000001" || b.Bridges[n-2] != [2]string{"a099998", "a099999"} {
		t.Fatalf("ends: %v … %v", b.ArticulationPoints[0], b.Bridges[n-2])
	}
}
