package analysis

import (
	"context"
	"math"

	"github.com/stakegraph/stakegraph/graph"
)

// bdd is a reduced ordered binary decision diagram over basic events, the exact method of
// docs/analyses.md, "Failure logic" for probabilities (as `scram --bdd`). Node 0 is false, node 1 is true; a node's
// children always have smaller indexes than the node, so slices indexed by node can be
// filled bottom-up in one pass. A variable's level is its position in the order.
type bdd struct {
	nodes  []bddNode
	unique map[bddNode]int32
	memo   map[bddOp]int32
	ctx    context.Context
	err    error
}

// bddNode tests the variable at level: lo when the event is up, hi when it is down.
type bddNode struct {
	level  int32
	lo, hi int32
}

type bddOp struct {
	and  bool
	f, g int32
}

const (
	bddFalse int32 = 0
	bddTrue  int32 = 1
	// bddTerminalLevel sorts terminals below every variable.
	bddTerminalLevel = math.MaxInt32
)

// bddMaxNodes bounds one diagram (about 150 MB with its tables). Sharing of nations across
// many providers can make an objective's diagram grow exponentially whatever the variable
// order; past this size the request is refused (TOO_COMPLEX) rather than the server. A
// variable so that a test can lower it.
var bddMaxNodes int32 = 1 << 20

func newBDD(ctx context.Context) *bdd {
	return &bdd{
		nodes:  []bddNode{{level: bddTerminalLevel}, {level: bddTerminalLevel}},
		unique: map[bddNode]int32{},
		memo:   map[bddOp]int32{},
		ctx:    ctx,
	}
}

// mk returns the node (level, lo, hi), sharing identical nodes and skipping redundant tests.
func (b *bdd) mk(level, lo, hi int32) int32 {
	if lo == hi {
		return lo
	}
	n := bddNode{level: level, lo: lo, hi: hi}
	if id, ok := b.unique[n]; ok {
		return id
	}
	id := int32(len(b.nodes))
	b.nodes = append(b.nodes, n)
	b.unique[n] = id
	switch {
	case b.err != nil:
	case id >= bddMaxNodes:
		b.err = graph.Errorf(graph.ETOOCOMPLEX, "", "the exact failure probability needs a decision diagram of more than %d nodes; "+
			"the shared providers of this objective's capabilities make it too large to compute within one request", bddMaxNodes)
	case id%4096 == 0:
		b.err = ftCtxErr(b.ctx)
	}
	return id
}

// variable is the function "the event at level is down".
func (b *bdd) variable(level int32) int32 { return b.mk(level, bddFalse, bddTrue) }

// apply computes f AND g or f OR g. After ctx ends it returns garbage quickly and b.err
// says so.
func (b *bdd) apply(and bool, f, g int32) int32 {
	switch {
	case b.err != nil:
		return bddFalse
	case f == g:
		return f
	case and && (f == bddFalse || g == bddFalse), !and && (f == bddTrue || g == bddTrue):
		if and {
			return bddFalse
		}
		return bddTrue
	case f == bddTrue && and || f == bddFalse && !and:
		return g
	case g == bddTrue && and || g == bddFalse && !and:
		return f
	}
	if f > g { // both operations commute: one memo entry per pair
		f, g = g, f
	}
	op := bddOp{and: and, f: f, g: g}
	if r, ok := b.memo[op]; ok {
		return r
	}
	nf, ng := b.nodes[f], b.nodes[g]
	level := min(nf.level, ng.level)
	flo, fhi, glo, ghi := f, f, g, g
	if nf.level == level {
		flo, fhi = nf.lo, nf.hi
	}
	if ng.level == level {
		glo, ghi = ng.lo, ng.hi
	}
	r := b.mk(level, b.apply(and, flo, glo), b.apply(and, fhi, ghi))
	b.memo[op] = r
	return r
}

// bddMeasures are the exact quantities of one function: its probability, and per variable
// level the marginal importance dP/dq (Birnbaum), the probabilities with the variable
// surely true (p1) and surely false (p0), and whether the function depends on it.
type bddMeasures struct {
	p       float64
	mif     []float64
	p1, p0  []float64
	support []bool
	minHi   int // fewest variables that must be true to reach true: the minimum cut order
}

// measure evaluates root with q[level] the probability that the variable is true. The
// probability is the usual bottom-up recursion; Birnbaum's measure of a variable sums, over
// the nodes testing it, the probability of reaching the node times P(hi) - P(lo), which is
// the derivative of the multilinear probability in q. Both are linear in the diagram.
//
// P0 and P1 of a variable are computed directly, not as P - q·Birnbaum: that difference
// cancels to a rounding residue (~1e-17) where the true P0 is 0, which turned a null RRW
// into 6e15. Every path from the root to a terminal either meets a node testing the
// variable or jumps over its level on one edge; so P0 is the sum, over the nodes testing
// it, of reach·P(lo), plus the mass of the edges that jump over its level. All terms are
// non-negative, so the sum is 0 exactly when P0 is, and accurate to a few ulps otherwise.
// The jumping mass is added to the levels an edge spans in a segment tree (range add,
// point query) rather than a difference array, whose subtractions would bring the
// cancellation back.
func (b *bdd) measure(root int32, q []float64) bddMeasures {
	nv := len(q)
	res := bddMeasures{mif: make([]float64, nv), p1: make([]float64, nv), p0: make([]float64, nv), support: make([]bool, nv)}
	size := max(root, bddTrue) + 1
	p := make([]float64, size)
	minHi := make([]int, size)
	p[bddTrue] = 1
	minHi[bddFalse] = math.MaxInt / 2
	for i := int32(2); i <= root; i++ {
		n := b.nodes[i]
		qi := q[n.level]
		p[i] = qi*p[n.hi] + (1-qi)*p[n.lo]
		minHi[i] = min(minHi[n.lo], 1+minHi[n.hi])
	}
	res.p = p[root]
	if root > bddTrue {
		res.minHi = minHi[root]
	} else if root == bddFalse {
		res.minHi = 0
	}
	levelOf := func(n int32) int {
		if n <= bddTrue {
			return nv
		}
		return int(b.nodes[n].level)
	}
	jump := bddLevelSums(make([]float64, 2*nv))
	jump.add(0, levelOf(root), p[root])
	reach := make([]float64, size)
	reached := make([]bool, size)
	reach[root], reached[root] = 1, true
	for i := root; i >= 2; i-- {
		if !reached[i] {
			continue
		}
		n := b.nodes[i]
		qi := q[n.level]
		l := int(n.level)
		res.support[l] = true
		res.mif[l] += reach[i] * (p[n.hi] - p[n.lo])
		res.p1[l] += reach[i] * p[n.hi]
		res.p0[l] += reach[i] * p[n.lo]
		jump.add(l+1, levelOf(n.hi), reach[i]*qi*p[n.hi])
		jump.add(l+1, levelOf(n.lo), reach[i]*(1-qi)*p[n.lo])
		reach[n.hi] += reach[i] * qi
		reach[n.lo] += reach[i] * (1 - qi)
		reached[n.hi], reached[n.lo] = true, true
	}
	for l := range nv {
		j := jump.at(l)
		res.p1[l] += j
		res.p0[l] += j
	}
	return res
}

// bddLevelSums is a segment tree over variable levels (leaves at len/2..len-1) that adds a
// mass to a range of levels and reads one level's total as the sum over its ancestors.
// It only ever adds non-negative numbers.
type bddLevelSums []float64

// add adds m to levels lo..hi-1.
func (s bddLevelSums) add(lo, hi int, m float64) {
	n := len(s) / 2
	if m == 0 || lo >= hi {
		return
	}
	for lo, hi = lo+n, hi+n; lo < hi; lo, hi = lo>>1, hi>>1 {
		if lo&1 == 1 {
			s[lo] += m
			lo++
		}
		if hi&1 == 1 {
			hi--
			s[hi] += m
		}
	}
}

// at is the total added to level l.
func (s bddLevelSums) at(l int) float64 {
	total := 0.0
	for i := l + len(s)/2; i > 0; i >>= 1 {
		total += s[i]
	}
	return total
}
