package analysis

import (
	"context"
	"math"

	"github.com/stakegraph/stakegraph/graph"
)

// bdd is a reduced ordered binary decision diagram over basic events, the exact method of
// DESIGN §2 for probabilities (as `scram --bdd`). Node 0 is false, node 1 is true; a node's
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
// level the marginal importance dP/dq (Birnbaum) and whether the function depends on it.
type bddMeasures struct {
	p       float64
	mif     []float64
	support []bool
	minHi   int // fewest variables that must be true to reach true: the minimum cut order
}

// measure evaluates root with q[level] the probability that the variable is true. The
// probability is the usual bottom-up recursion; Birnbaum's measure of a variable sums, over
// the nodes testing it, the probability of reaching the node times P(hi) - P(lo), which is
// the derivative of the multilinear probability in q. Both are linear in the diagram.
func (b *bdd) measure(root int32, q []float64) bddMeasures {
	res := bddMeasures{mif: make([]float64, len(q)), support: make([]bool, len(q))}
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
	reach := make([]float64, size)
	reached := make([]bool, size)
	reach[root], reached[root] = 1, true
	for i := root; i >= 2; i-- {
		if !reached[i] {
			continue
		}
		n := b.nodes[i]
		qi := q[n.level]
		res.support[n.level] = true
		res.mif[n.level] += reach[i] * (p[n.hi] - p[n.lo])
		reach[n.hi] += reach[i] * qi
		reach[n.lo] += reach[i] * (1 - qi)
		reached[n.hi], reached[n.lo] = true, true
	}
	return res
}
