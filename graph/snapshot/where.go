package snapshot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// The playground's reads: graph.Cond conditions compiled to predicates over the Graph's
// indexes, orders with keyset cursors, and aggregates. Nothing here reaches Cypher: a
// condition names properties and operators from graph's closed sets, and every value is
// only ever compared in Go.

// nodePred holds for the node at an index.
type nodePred func(i int32) bool

// edgePred holds for the relationship at index ri, reached from the node at index near.
type edgePred func(ri, near int32) bool

// compiler turns conditions into predicates for one viewer.
type compiler struct {
	g *Graph
	v *graph.Viewer
}

func allOf[P ~func(a int32) bool](ps []P) func(int32) bool {
	return func(i int32) bool {
		for _, p := range ps {
			if !p(i) {
				return false
			}
		}
		return true
	}
}

// node compiles a condition on a node.
func (c *compiler) node(w *graph.Cond) nodePred {
	if w == nil {
		return func(int32) bool { return true }
	}
	var ps []nodePred
	for i := range w.And {
		ps = append(ps, c.node(&w.And[i]))
	}
	if w.Or != nil {
		ors := make([]nodePred, len(w.Or))
		for i := range w.Or {
			ors[i] = c.node(&w.Or[i])
		}
		ps = append(ps, func(i int32) bool {
			return slices.ContainsFunc(ors, func(p nodePred) bool { return p(i) })
		})
	}
	if w.Not != nil {
		p := c.node(w.Not)
		ps = append(ps, func(i int32) bool { return !p(i) })
	}
	if w.Label != "" {
		l := w.Label
		ps = append(ps, func(i int32) bool { return c.g.nodes[i].Label == l })
	}
	for _, pc := range w.Props {
		if pc.Prop == graph.PropReleasableTo {
			ps = append(ps, func(i int32) bool { return pc.HoldsList(c.g.nodes[i].ReleasableTo) })
			continue
		}
		ps = append(ps, func(i int32) bool { return pc.Holds(graph.NodeProp(&c.g.nodes[i], pc.Prop)) })
	}
	for _, rc := range w.Rels {
		ps = append(ps, c.rel(rc))
	}
	return allOf(ps)
}

// edge compiles a condition on a relationship seen from one of its ends.
func (c *compiler) edge(w *graph.Cond) edgePred {
	if w == nil {
		return func(int32, int32) bool { return true }
	}
	var ps []edgePred
	for i := range w.And {
		ps = append(ps, c.edge(&w.And[i]))
	}
	if w.Or != nil {
		ors := make([]edgePred, len(w.Or))
		for i := range w.Or {
			ors[i] = c.edge(&w.Or[i])
		}
		ps = append(ps, func(ri, near int32) bool {
			return slices.ContainsFunc(ors, func(p edgePred) bool { return p(ri, near) })
		})
	}
	if w.Not != nil {
		p := c.edge(w.Not)
		ps = append(ps, func(ri, near int32) bool { return !p(ri, near) })
	}
	for _, pc := range w.Props {
		ps = append(ps, func(ri, _ int32) bool { return pc.Holds(graph.RelProp(&c.g.rels[ri], pc.Prop)) })
	}
	if w.From != nil {
		p := c.memo(c.node(w.From))
		ps = append(ps, func(ri, _ int32) bool { return p(c.g.ends[ri][0]) })
	}
	if w.To != nil {
		p := c.memo(c.node(w.To))
		ps = append(ps, func(ri, _ int32) bool { return p(c.g.ends[ri][1]) })
	}
	if w.Other != nil {
		p := c.memo(c.node(w.Other))
		ps = append(ps, func(ri, near int32) bool { return p(c.g.far(ri, near)) })
	}
	return func(ri, near int32) bool {
		for _, p := range ps {
			if !p(ri, near) {
				return false
			}
		}
		return true
	}
}

// memo remembers p's answer per node for one query: a condition on related nodes is
// asked of the same node from each of its neighbours, so without it nested relationship
// conditions cost the product of the degrees instead of their sum.
func (c *compiler) memo(p nodePred) nodePred {
	var seen []int8 // 0 unknown, 1 false, 2 true; allocated on first use
	return func(i int32) bool {
		if seen == nil {
			seen = make([]int8, len(c.g.nodes))
		}
		if v := seen[i]; v != 0 {
			return v == 2
		}
		ok := p(i)
		seen[i] = 1
		if ok {
			seen[i] = 2
		}
		return ok
	}
}

// rel compiles a quantifier over a node's relationships. Only relationships whose far
// end the viewer sees are counted: for the viewer, a hidden node does not exist.
func (c *compiler) rel(rc graph.RelCond) nodePred {
	match := c.edge(rc.Where)
	if rc.OnNode {
		p := c.memo(c.node(rc.Where))
		match = func(ri, near int32) bool { return p(c.g.far(ri, near)) }
	}
	return func(i int32) bool {
		total, n := 0, 0
		c.g.eachRel(c.v, i, rc.Type, rc.Dir, rc.Far, func(ri, _ int32) bool {
			total++
			if match(ri, i) {
				n++
			}
			switch rc.Quant {
			case graph.QuantSome, graph.QuantNone:
				return n == 0
			case graph.QuantAll:
				return n == total
			case graph.QuantSingle:
				return n < 2
			}
			return true
		})
		switch rc.Quant {
		case graph.QuantSome:
			return n > 0
		case graph.QuantNone:
			return n == 0
		case graph.QuantAll:
			return n == total
		case graph.QuantSingle:
			return n == 1
		case graph.QuantCount:
			return (&graph.PropCond{Op: rc.Op, Numbers: []float64{float64(rc.N)}}).Holds("", float64(n), true, true)
		}
		return false
	}
}

// far is the index of the end of relationship ri that is not near (near itself for a
// loop).
func (g *Graph) far(ri, near int32) int32 {
	if e := g.ends[ri]; e[0] != near {
		return e[0]
	} else {
		return e[1]
	}
}

// eachRel calls fn with each relationship of node i of type t in direction dir whose far
// end the viewer sees (and carries label far, when set), in Related's order, until fn
// returns false.
func (g *Graph) eachRel(v *graph.Viewer, i int32, t graph.RelType, dir graph.Direction, far graph.Label, fn func(ri, far int32) bool) {
	walk := func(list []int32, end int) bool {
		lo, _ := slices.BinarySearchFunc(list, t, func(ri int32, t graph.RelType) int {
			return strings.Compare(string(g.rels[ri].Type), string(t))
		})
		for _, ri := range list[lo:] {
			if g.rels[ri].Type != t {
				break
			}
			fi := g.ends[ri][end]
			n := &g.nodes[fi]
			if (far == "" || n.Label == far) && v.CanSee(n) && !fn(ri, fi) {
				return false
			}
		}
		return true
	}
	if (dir == graph.Outgoing || dir == graph.Both) && !walk(g.out[i], 1) {
		return
	}
	if dir == graph.Incoming || dir == graph.Both {
		walk(g.in[i], 0)
	}
}

// Page asks for one page of an ordered list: First items after After, or Last items
// before Before (cursor tuples as Result.Keys gives them). Neither First nor Last: all.
type Page struct {
	OrderBy       []graph.Order
	First, Last   int
	After, Before []any
}

// Query selects nodes of a label for the API's lists.
type Query struct {
	// Filter is the lists' simple filter (Label, IDs, NameContains, Kind…); its First and
	// After are not read.
	Filter graph.NodeFilter
	Where  *graph.Cond
	Page
}

// Result is one page of a list: the items, their sort tuples (the order's keys, then the
// ids that break ties) for cursors, and what Relay's PageInfo and the aggregates need.
type Result struct {
	Nodes []*graph.Node // node lists
	Edges []Edge        // relationship lists
	Keys  [][]any

	TotalCount                   int
	HasNextPage, HasPreviousPage bool
	// Aggregate covers every match, not only the page.
	Aggregate *Aggregate
}

// item is one candidate of a list: a node index, or a relationship index with its far
// end's.
type item struct {
	rel, node int32
	key       []any
}

// Select returns a page of the nodes q selects, with the count and the aggregates of all
// of them. A tie in the order is broken by id, ascending.
func (g *Graph) Select(v *graph.Viewer, q Query) Result {
	c := compiler{g: g, v: v}
	pred := c.node(q.Where)
	var items []item
	g.filter(v, q.Filter, func(i int32) {
		if pred(i) {
			items = append(items, item{rel: -1, node: i})
		}
	})
	key := func(it *item) []any {
		k := make([]any, 0, len(q.OrderBy)+1)
		for _, o := range q.OrderBy {
			k = append(k, keyOf(graph.NodeProp(&g.nodes[it.node], o.Prop)))
		}
		return append(k, g.nodes[it.node].ID)
	}
	res, page := g.pageOf(items, key, q.Page)
	res.Aggregate = &Aggregate{g: g, items: items}
	for _, it := range page {
		res.Nodes = append(res.Nodes, &g.nodes[it.node])
		res.Keys = append(res.Keys, it.key)
	}
	return res
}

// EdgeQuery selects a node's relationships of one type for the API's traversals.
type EdgeQuery struct {
	Type graph.RelType
	Dir  graph.Direction
	Far  graph.Label // empty: any label
	// Where is evaluated on the relationship, or on the far node when OnNode is set;
	// OrderBy reads the relationship's properties, or the far node's when OnNode is set.
	Where  *graph.Cond
	OnNode bool
	Page
}

// SelectEdges returns a page of id's relationships that q selects. Without an order they
// come in Related's order; a tie in an order is broken by the far end's id, then the
// relationship's.
func (g *Graph) SelectEdges(v *graph.Viewer, id string, q EdgeQuery) Result {
	i, ok := g.index[id]
	if !ok || !v.CanSee(&g.nodes[i]) {
		return Result{Aggregate: &Aggregate{g: g, onRels: !q.OnNode}}
	}
	c := compiler{g: g, v: v}
	var items []item
	if q.OnNode {
		p := c.node(q.Where)
		g.eachRel(v, i, q.Type, q.Dir, q.Far, func(ri, fi int32) bool {
			if p(fi) {
				items = append(items, item{rel: ri, node: fi})
			}
			return true
		})
	} else {
		p := c.edge(q.Where)
		g.eachRel(v, i, q.Type, q.Dir, q.Far, func(ri, fi int32) bool {
			if p(ri, i) {
				items = append(items, item{rel: ri, node: fi})
			}
			return true
		})
	}
	key := func(it *item) []any {
		k := make([]any, 0, len(q.OrderBy)+2)
		for _, o := range q.OrderBy {
			if q.OnNode {
				k = append(k, keyOf(graph.NodeProp(&g.nodes[it.node], o.Prop)))
			} else {
				k = append(k, keyOf(graph.RelProp(&g.rels[it.rel], o.Prop)))
			}
		}
		return append(k, g.nodes[it.node].ID, g.rels[it.rel].Key().ID())
	}
	res, page := g.pageOf(items, key, q.Page)
	res.Aggregate = &Aggregate{g: g, items: items, onRels: !q.OnNode}
	for _, it := range page {
		res.Edges = append(res.Edges, Edge{Rel: &g.rels[it.rel], Node: &g.nodes[it.node]})
		res.Keys = append(res.Keys, it.key)
	}
	return res
}

// keyOf is a property value as a sort key: a string, a float64, or nil when absent.
func keyOf(s string, f float64, isNum, ok bool) any {
	switch {
	case !ok:
		return nil
	case isNum:
		return f
	}
	return s
}

// compareKeys orders sort tuples: each of the first len(order) positions by its order's
// direction, absent values last ascending; the ids after them ascending.
func compareKeys(a, b []any, order []graph.Order) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		c := compareKey(a[i], b[i])
		if i < len(order) && order[i].Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareKey(a, b any) int {
	rank := func(x any) int {
		switch x.(type) {
		case string:
			return 0
		case float64:
			return 1
		}
		return 2 // absent
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case float64:
		return cmp.Compare(x, b.(float64))
	}
	return 0
}

// pageOf orders items and cuts the page p asks for: the result's counts, and the page's
// items.
func (g *Graph) pageOf(items []item, key func(*item) []any, p Page) (Result, []item) {
	for i := range items {
		items[i].key = key(&items[i])
	}
	if len(p.OrderBy) > 0 || len(items) > 0 && items[0].rel >= 0 {
		slices.SortStableFunc(items, func(a, b item) int { return compareKeys(a.key, b.key, p.OrderBy) })
	}
	lo, hi := 0, len(items)
	if p.After != nil {
		lo, _ = slices.BinarySearchFunc(items, p.After, func(it item, k []any) int {
			if compareKeys(it.key, k, p.OrderBy) <= 0 {
				return -1
			}
			return 1
		})
	}
	if p.Before != nil {
		hi, _ = slices.BinarySearchFunc(items, p.Before, func(it item, k []any) int {
			if compareKeys(it.key, k, p.OrderBy) < 0 {
				return -1
			}
			return 1
		})
	}
	hi = max(hi, lo)
	if p.First > 0 && hi-lo > p.First {
		hi = lo + p.First
	}
	if p.Last > 0 && hi-lo > p.Last {
		lo = hi - p.Last
	}
	return Result{TotalCount: len(items), HasPreviousPage: lo > 0, HasNextPage: hi < len(items)}, items[lo:hi]
}

// Aggregate summarises every item of a list: its count and the least and greatest
// values of a date or a number property.
type Aggregate struct {
	g      *Graph
	items  []item
	onRels bool // the properties are the relationships', not the nodes'
}

// DateStats is the count of items with a value and the least and greatest value of a
// date property; the dates are empty when no item has one.
type DateStats struct {
	Count    int
	Min, Max graph.Date
}

// NumberStats is the count of items with a value, and the least, greatest, sum and
// average of a number property; nil when no item has one.
type NumberStats struct {
	Count                  int
	Min, Max, Sum, Average *float64
}

// Count is the number of items.
func (a *Aggregate) Count() int { return len(a.items) }

func (a *Aggregate) prop(it *item, p graph.Prop) (string, float64, bool, bool) {
	if a.onRels {
		return graph.RelProp(&a.g.rels[it.rel], p)
	}
	return graph.NodeProp(&a.g.nodes[it.node], p)
}

// Dates summarises a date property.
func (a *Aggregate) Dates(p graph.Prop) DateStats {
	var s DateStats
	for i := range a.items {
		v, _, _, ok := a.prop(&a.items[i], p)
		if !ok {
			continue
		}
		if s.Count == 0 || graph.Date(v) < s.Min {
			s.Min = graph.Date(v)
		}
		if s.Count == 0 || graph.Date(v) > s.Max {
			s.Max = graph.Date(v)
		}
		s.Count++
	}
	return s
}

// Numbers summarises a number property.
func (a *Aggregate) Numbers(p graph.Prop) NumberStats {
	var s NumberStats
	var lo, hi, sum float64
	for i := range a.items {
		_, f, _, ok := a.prop(&a.items[i], p)
		if !ok {
			continue
		}
		if s.Count == 0 || f < lo {
			lo = f
		}
		if s.Count == 0 || f > hi {
			hi = f
		}
		sum += f
		s.Count++
	}
	if s.Count > 0 {
		avg := sum / float64(s.Count)
		s.Min, s.Max, s.Sum, s.Average = &lo, &hi, &sum, &avg
	}
	return s
}

// The aggregate fields of the API's …Aggregate types, each one property.

// Signed summarises agreements' signature dates.
func (a *Aggregate) Signed() DateStats { return a.Dates(graph.PropSigned) }

// Expires summarises agreements' expiry dates.
func (a *Aggregate) Expires() DateStats { return a.Dates(graph.PropExpires) }

// ValidFrom summarises relationships' start dates.
func (a *Aggregate) ValidFrom() DateStats { return a.Dates(graph.PropValidFrom) }

// ValidTo summarises relationships' end dates.
func (a *Aggregate) ValidTo() DateStats { return a.Dates(graph.PropValidTo) }

// Confidence summarises confidences.
func (a *Aggregate) Confidence() NumberStats { return a.Numbers(graph.PropConfidence) }

// Reliability summarises reliabilities (absent ones are not counted).
func (a *Aggregate) Reliability() NumberStats { return a.Numbers(graph.PropReliability) }

// Capacity summarises provisions' capacities.
func (a *Aggregate) Capacity() NumberStats { return a.Numbers(graph.PropCapacity) }

// Priority summarises pursuits' priorities.
func (a *Aggregate) Priority() NumberStats { return a.Numbers(graph.PropPriority) }
