package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// tbModularity is Newman's modularity from its textbook definition,
// Q = 1/2m Σij [A_ij − k_i k_j / 2m] δ(c_i, c_j), on a dense weight matrix — a different
// route from coModularity's per-community sums.
func tbModularity(w [][]float64, comm []int) float64 {
	n := len(w)
	k := make([]float64, n)
	m2 := 0.0
	for i := range n {
		for j := range n {
			k[i] += w[i][j]
			m2 += w[i][j]
		}
	}
	q := 0.0
	for i := range n {
		for j := range n {
			if comm[i] == comm[j] {
				q += w[i][j] - k[i]*k[j]/m2
			}
		}
	}
	return q / m2
}

func TestCoalitionsTwoBlocs(t *testing.T) {
	// A B C pursue O1 O2 at 5, D E F pursue O3 O4 at 5; C and D also share O5 at 1.
	g := (&tbGraph{}).nations("A", "B", "C", "D", "E", "F", "Idle").objectives("O1", "O2", "O3", "O4", "O5")
	for _, n := range []string{"A", "B", "C"} {
		g.pursues(n, "O1", 5).pursues(n, "O2", 5)
	}
	for _, n := range []string{"D", "E", "F"} {
		g.pursues(n, "O3", 5).pursues(n, "O4", 5)
	}
	g.pursues("C", "O5", 1).pursues("D", "O5", 1)
	m := g.model(tbDay)
	c, err := m.Coalitions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"A", "B", "C"}, {"D", "E", "F"}, {"Idle"}}
	if !slices.EqualFunc(c.Communities, want, slices.Equal) {
		t.Fatalf("communities = %v, want %v", c.Communities, want)
	}
	// Weights by hand: within a bloc 1 (A–B, D–E–F pairs without O5) or 10/11 (with C or D),
	// across C–D 1/(11+11−1).
	ids := []string{"A", "B", "C", "D", "E", "F", "Idle"}
	w := make([][]float64, len(ids))
	for i := range w {
		w[i] = make([]float64, len(ids))
	}
	set := func(a, b int, x float64) { w[a][b], w[b][a] = x, x }
	set(0, 1, 1)
	set(0, 2, 10.0/11)
	set(1, 2, 10.0/11)
	set(3, 4, 10.0/11)
	set(3, 5, 10.0/11)
	set(4, 5, 1)
	set(2, 3, 1.0/21)
	if got, want := c.Modularity, tbModularity(w, []int{0, 0, 0, 1, 1, 1, 2}); math.Abs(got-want) > 1e-12 {
		t.Fatalf("modularity = %v, want %v", got, want)
	}
	if !slices.Contains(c.Explanation.Nodes, "O1") || slices.Contains(c.Explanation.Nodes, "O5") {
		t.Errorf("explanation nodes = %v, want O1 (shared within a bloc) and not O5 (across)", c.Explanation.Nodes)
	}
	if slices.Contains(c.Explanation.Nodes, "Idle") {
		t.Errorf("explanation names the singleton Idle: %v", c.Explanation.Nodes)
	}
}

func TestCoalitionsThresholdKeepsEqualWeight(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B").objectives("O1", "O2")
	g.pursues("A", "O1", 1).pursues("A", "O2", 2).pursues("B", "O1", 2)
	m := g.model(tbDay)
	// Σmin 1, Σmax 2 + 2: weight 1/4.
	for _, tc := range []struct {
		threshold float64
		edges     int
	}{{0, 1}, {0.25, 1}, {math.Nextafter(0.25, 1), 0}, {1, 0}} {
		_, _, edges := m.coAlignment(tc.threshold)
		if len(edges) != tc.edges {
			t.Errorf("threshold %v: %d edges, want %d", tc.threshold, len(edges), tc.edges)
		}
	}
	c, err := m.Coalitions(context.Background(), 0.3)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"A"}, {"B"}}; !slices.EqualFunc(c.Communities, want, slices.Equal) || c.Modularity != 0 {
		t.Fatalf("no edge: communities %v modularity %v, want %v and 0", c.Communities, c.Modularity, want)
	}
}

func TestCoalitionsRingOfCliques(t *testing.T) {
	// Six cliques of five nations (shared objective at 5), each joined to the next by one
	// pair sharing a minor objective: Louvain must recover the cliques.
	g := &tbGraph{}
	const k, size = 6, 5
	var want [][]string
	for c := range k {
		o := fmt.Sprintf("O%d", c)
		g.objectives(o, "L"+o)
		var clique []string
		for i := range size {
			n := fmt.Sprintf("N%d%d", c, i)
			g.nations(n).pursues(n, o, 5)
			clique = append(clique, n)
		}
		want = append(want, clique)
	}
	for c := range k {
		l := fmt.Sprintf("LO%d", c)
		g.pursues(fmt.Sprintf("N%d0", c), l, 1).pursues(fmt.Sprintf("N%d1", (c+1)%k), l, 1)
	}
	c, err := g.model(tbDay).Coalitions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(c.Communities, want, slices.Equal) {
		t.Fatalf("communities = %v, want the cliques %v", c.Communities, want)
	}
	if c.Modularity < 0.7 {
		t.Fatalf("modularity = %v, want > 0.7 for six loosely joined cliques", c.Modularity)
	}
}

func TestCoalitionsRejects(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B").objectives("O1")
	g.pursues("A", "O1", 1).pursues("B", "O1", 2)
	m := g.model(tbDay)
	for _, th := range []float64{-0.01, 1.01, math.NaN()} {
		_, err := m.Coalitions(context.Background(), th)
		tbCode(t, err, graph.EINVALID, "threshold")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Coalitions(ctx, 0)
	tbCode(t, err, graph.ETIMEOUT, "")
}
