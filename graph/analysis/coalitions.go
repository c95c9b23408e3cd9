package analysis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// Coalitions is a partition of the nations into communities of aligned interests
// (docs/analyses.md, "Analyses").
type Coalitions struct {
	Threshold float64
	// Modularity is the weighted Newman modularity of Communities on the alignment graph
	// (resolution 1); 0 when the graph has no edge, where modularity is undefined.
	Modularity  float64
	Communities [][]string // nation ids, each community sorted, communities sorted by first id
	// Explanation names the nations in communities of two or more, the objectives pursued
	// by at least two members of the same community and the relationships behind those
	// priorities: what holds each coalition together.
	Explanation Explanation
}

// coEdge is one weighted edge of the alignment graph between node indexes u < v.
type coEdge struct {
	u, v int
	w    float64
}

// coAlignment builds the alignment graph over every counting nation (docs/analyses.md, "Analyses"): the
// weight of {A, B} is Overlap(A, B).Score. Only nations sharing an objective are joined
// (a zero score is no alignment), and an edge is kept when its weight >= threshold —
// a threshold equal to a score keeps the edge. Nations without edges stay as nodes.
func (m *Model) coAlignment(threshold float64) (nations []string, interests [][]ovInterest, edges []coEdge) {
	nations = m.IDs(graph.LabelNation)
	interests = make([][]ovInterest, len(nations))
	sum := make([]int, len(nations))
	type member struct{ nation, priority int }
	byObjective := map[string][]member{}
	var objectives []string
	for i, n := range nations {
		interests[i] = m.ovInterests(n)
		for _, x := range interests[i] {
			sum[i] += x.priority
			if _, ok := byObjective[x.objective]; !ok {
				objectives = append(objectives, x.objective)
			}
			byObjective[x.objective] = append(byObjective[x.objective], member{i, x.priority})
		}
	}
	// Σmin per pair through the objectives they share; Σmax follows as sA + sB − Σmin
	// because min + max = pA + pB on every objective of the union.
	lo := map[[2]int]int{}
	for _, o := range objectives {
		ms := byObjective[o]
		for x := range ms {
			for y := x + 1; y < len(ms); y++ {
				a, b := ms[x], ms[y]
				lo[[2]int{min(a.nation, b.nation), max(a.nation, b.nation)}] += min(a.priority, b.priority)
			}
		}
	}
	for p, l := range lo {
		w := float64(l) / float64(sum[p[0]]+sum[p[1]]-l)
		if w >= threshold {
			edges = append(edges, coEdge{p[0], p[1], w})
		}
	}
	slices.SortFunc(edges, func(a, b coEdge) int {
		if a.u != b.u {
			return a.u - b.u
		}
		return a.v - b.v
	})
	return nations, interests, edges
}

// Coalitions partitions the nations by Louvain on the alignment graph, dropping edges of
// weight < threshold. Errors: EINVALID (field "threshold") outside [0, 1]; ETIMEOUT when
// ctx ends first.
func (m *Model) Coalitions(ctx context.Context, threshold float64) (Coalitions, error) {
	if !(threshold >= 0 && threshold <= 1) {
		return Coalitions{}, graph.Errorf(graph.EINVALID, "threshold", "threshold must be between 0 and 1, got %v", threshold)
	}
	nations, interests, edges := m.coAlignment(threshold)
	comm, q, err := coBestLouvain(ctx, len(nations), edges)
	if err != nil {
		return Coalitions{}, err
	}
	c := Coalitions{Threshold: threshold, Modularity: q, Communities: [][]string{}}
	groups := map[int][]int{}
	for i, k := range comm {
		groups[k] = append(groups[k], i)
	}
	var ex explainer
	for _, g := range groups {
		ids := make([]string, len(g))
		for i, n := range g {
			ids[i] = nations[n]
		}
		slices.Sort(ids)
		c.Communities = append(c.Communities, ids)
		if len(g) < 2 {
			continue
		}
		ex.node(ids...)
		seen := map[string]int{}
		for _, n := range g {
			for _, x := range interests[n] {
				seen[x.objective]++
			}
		}
		for _, n := range g {
			for _, x := range interests[n] {
				if seen[x.objective] >= 2 {
					ex.node(x.objective)
					ovExplainInterest(&ex, x)
				}
			}
		}
	}
	slices.SortFunc(c.Communities, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	c.Explanation = ex.build()
	return c, nil
}

// coCtxErr turns the end of ctx into a coded error.
func coCtxErr(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return graph.Errorf(graph.ETIMEOUT, "", "the analysis ran past its deadline")
	}
	return graph.Errorf(graph.ETIMEOUT, "", "the analysis was cancelled")
}

// coLevel is one level of the Louvain hierarchy: a weighted graph in adjacency-list form
// whose self-loops hold the weight inside the communities merged into each node.
type coLevel struct {
	adj  [][]coNbr
	self []float64
}

type coNbr struct {
	to int
	w  float64
}

// coStarts is how many node orders coBestLouvain tries.
const coStarts = 8

// coBestLouvain runs Louvain from coStarts node orders — id order, then fixed pseudo-random
// permutations — and keeps the partition of highest modularity (the first on ties). A
// single order can stop a few percent short of what another finds; fixed seeds keep the
// answer the same on every call.
func coBestLouvain(ctx context.Context, n int, edges []coEdge) ([]int, float64, error) {
	var best []int
	bestQ := math.Inf(-1)
	perm := make([]int, n)
	permuted := make([]coEdge, len(edges))
	for start := range coStarts {
		for i := range perm {
			perm[i] = i
		}
		if start > 0 {
			rand.New(rand.NewPCG(uint64(start), 0x5eed)).Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		}
		for i, e := range edges {
			u, v := perm[e.u], perm[e.v]
			permuted[i] = coEdge{min(u, v), max(u, v), e.w}
		}
		pc, err := coLouvain(ctx, n, permuted)
		if err != nil {
			return nil, 0, err
		}
		comm := make([]int, n)
		for i := range comm {
			comm[i] = pc[perm[i]]
		}
		if q := coModularity(n, edges, comm); q > bestQ {
			best, bestQ = comm, q
		}
		if len(edges) == 0 {
			break // every order gives singletons
		}
	}
	return best, bestQ, nil
}

// coLouvain returns a community label per node: Louvain's multi-level local moving
// (Blondel et al. 2008) at resolution 1. Nodes are visited in index order, which is id
// order, and ties keep the first best community met, so the result is deterministic.
func coLouvain(ctx context.Context, n int, edges []coEdge) ([]int, error) {
	comm := make([]int, n)
	for i := range comm {
		comm[i] = i
	}
	total := 0.0
	for _, e := range edges {
		total += e.w
	}
	if total == 0 {
		return comm, nil
	}
	lv := coLevel{adj: make([][]coNbr, n), self: make([]float64, n)}
	for _, e := range edges {
		lv.adj[e.u] = append(lv.adj[e.u], coNbr{e.v, e.w})
		lv.adj[e.v] = append(lv.adj[e.v], coNbr{e.u, e.w})
	}
	for {
		part, k, err := coOneLevel(ctx, lv, total)
		if err != nil {
			return nil, err
		}
		if k == len(lv.adj) {
			return comm, nil // no node moved: this level is a local optimum
		}
		for i := range comm {
			comm[i] = part[comm[i]]
		}
		lv = coAggregate(lv, part, k)
	}
}

// coOneLevel moves single nodes between neighbouring communities while modularity grows,
// and returns the communities renumbered 0..k-1 in order of first node.
func coOneLevel(ctx context.Context, lv coLevel, total float64) ([]int, int, error) {
	n := len(lv.adj)
	m2 := 2 * total
	deg := make([]float64, n)
	tot := make([]float64, n)
	comm := make([]int, n)
	for i := range n {
		d := 2 * lv.self[i]
		for _, e := range lv.adj[i] {
			d += e.w
		}
		deg[i], tot[i], comm[i] = d, d, i
	}
	wc := make([]float64, n) // weight from the node being moved to each community
	mark := make([]int, n)   // mark[c] == stamp when community c is in touched
	stamp := 0
	var touched []int
	for pass := 0; ; pass++ {
		if err := coCtxErr(ctx); err != nil {
			return nil, 0, err
		}
		moves := 0
		for i := range n {
			ci := comm[i]
			stamp++
			touched = append(touched[:0], ci)
			mark[ci] = stamp
			for _, e := range lv.adj[i] {
				c := comm[e.to]
				if mark[c] != stamp {
					mark[c] = stamp
					touched = append(touched, c)
				}
				wc[c] += e.w
			}
			tot[ci] -= deg[i]
			// Gain of joining c, up to a positive factor: w(i,c) − tot(c)·deg(i)/2m.
			best, bestGain := ci, wc[ci]-tot[ci]*deg[i]/m2
			for _, c := range touched[1:] {
				// The margin keeps rounding noise from swapping a node back and forth.
				if g := wc[c] - tot[c]*deg[i]/m2; g > bestGain+1e-12*total {
					best, bestGain = c, g
				}
			}
			tot[best] += deg[i]
			if best != ci {
				comm[i] = best
				moves++
			}
			for _, c := range touched {
				wc[c] = 0
			}
		}
		// Each move raises modularity, so this ends; the cap is a guard against rounding.
		if moves == 0 || pass > 1000 {
			break
		}
	}
	renum := make([]int, n)
	for i := range renum {
		renum[i] = -1
	}
	k := 0
	for i := range n {
		if renum[comm[i]] < 0 {
			renum[comm[i]] = k
			k++
		}
		comm[i] = renum[comm[i]]
	}
	return comm, k, nil
}

// coAggregate collapses each community of lv into one node; weight inside a community
// becomes the node's self-loop.
func coAggregate(lv coLevel, part []int, k int) coLevel {
	next := coLevel{adj: make([][]coNbr, k), self: make([]float64, k)}
	w := map[[2]int]float64{}
	for i, nbrs := range lv.adj {
		ci := part[i]
		next.self[ci] += lv.self[i]
		for _, e := range nbrs {
			if e.to < i {
				continue // each edge once
			}
			cj := part[e.to]
			if ci == cj {
				next.self[ci] += e.w
			} else {
				w[[2]int{min(ci, cj), max(ci, cj)}] += e.w
			}
		}
	}
	pairs := make([][2]int, 0, len(w))
	for p := range w {
		pairs = append(pairs, p)
	}
	// Map order is random; sorted pairs keep neighbour order, hence ties, deterministic.
	slices.SortFunc(pairs, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	for _, p := range pairs {
		next.adj[p[0]] = append(next.adj[p[0]], coNbr{p[1], w[p]})
		next.adj[p[1]] = append(next.adj[p[1]], coNbr{p[0], w[p]})
	}
	return next
}

// coModularity is the weighted Newman modularity Σc [L_c/m − (d_c/2m)²] of the partition
// comm, the same quantity as networkx.community.modularity; 0 for a graph without edges.
func coModularity(n int, edges []coEdge, comm []int) float64 {
	m := 0.0
	for _, e := range edges {
		m += e.w
	}
	if m == 0 {
		return 0
	}
	// Slices, not maps: a fixed summation order gives the same bits on every run.
	in := make([]float64, n)
	deg := make([]float64, n)
	for _, e := range edges {
		if comm[e.u] == comm[e.v] {
			in[comm[e.u]] += e.w
		}
		deg[comm[e.u]] += e.w
		deg[comm[e.v]] += e.w
	}
	q := 0.0
	for c, d := range deg {
		q += in[c]/m - (d/(2*m))*(d/(2*m))
	}
	return q
}
