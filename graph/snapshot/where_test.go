package snapshot

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/gen"
)

// A small model drawn by hand:
//
//	nation:A (Europe) <-PART_OF- agency:a1 (MILITARY)  -PROVIDES{validTo 2027-06-01, capacity 2}-> cap:isr
//	nation:B (Asia)   <-PART_OF- agency:b1 (CIVIL)     -PROVIDES{capacity 5}--------------------> cap:isr
//	nation:H (hidden, releasable to ZZZ) -PROVIDES-> cap:lift
//	nation:A -PARTY_TO{role lead}-> agr:x (expires 2028-01-01) -GOVERNS-> cap:isr
func handGraph() *Graph {
	f := func(x float64) *float64 { return &x }
	doc := &graph.Document{Nodes: []graph.Node{
		{Label: graph.LabelNation, ID: "nation:A", Name: "Alpha", Code: "AAA", Region: "Europe"},
		{Label: graph.LabelNation, ID: "nation:B", Name: "Beta", Code: "BBB", Region: "Asia", Reliability: f(0.5)},
		{Label: graph.LabelNation, ID: "nation:H", Name: "Hidden", Code: "HHH", Region: "Europe", ReleasableTo: []string{"ZZZ"}},
		{Label: graph.LabelAgency, ID: "agency:a1", Name: "Alpha Army", Kind: "MILITARY"},
		{Label: graph.LabelAgency, ID: "agency:b1", Name: "Beta Civil", Kind: "CIVIL"},
		{Label: graph.LabelCapability, ID: "cap:isr", Name: "ISR"},
		{Label: graph.LabelCapability, ID: "cap:lift", Name: "Airlift"},
		{Label: graph.LabelAgreement, ID: "agr:x", Name: "X", Kind: "TREATY", Expires: "2028-01-01"},
	}, Relationships: []graph.Relationship{
		{Type: graph.RelPartOf, From: "agency:a1", To: "nation:A"},
		{Type: graph.RelPartOf, From: "agency:b1", To: "nation:B"},
		{Type: graph.RelProvides, From: "agency:a1", To: "cap:isr", ValidTo: "2027-06-01", Capacity: f(2)},
		{Type: graph.RelProvides, From: "agency:b1", To: "cap:isr", Capacity: f(5)},
		{Type: graph.RelProvides, From: "nation:H", To: "cap:lift"},
		{Type: graph.RelPartyTo, From: "nation:A", To: "agr:x", Role: "lead"},
		{Type: graph.RelGoverns, From: "agr:x", To: "cap:isr"},
	}}
	return NewGraph("1", doc)
}

func idList(ns []*graph.Node) string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return strings.Join(out, ",")
}

func TestWhereOnAHandDrawnModel(t *testing.T) {
	g := handGraph()
	viewer := &graph.Viewer{Nation: "AAA"}
	str := func(p graph.Prop, op graph.Op, v ...string) graph.PropCond {
		return graph.PropCond{Prop: p, Op: op, Strings: v}
	}
	some := func(t graph.RelType, dir graph.Direction, onNode bool, w graph.Cond) graph.RelCond {
		return graph.RelCond{Type: t, Dir: dir, Quant: graph.QuantSome, OnNode: onNode, Where: &w}
	}
	for _, c := range []struct {
		name  string
		label graph.Label
		where graph.Cond
		want  string
	}{
		{"string EQ", graph.LabelNation, graph.Cond{Props: []graph.PropCond{str(graph.PropRegion, graph.OpEQ, "Europe")}}, "nation:A"},
		{"CONTAINS is case-sensitive", graph.LabelNation, graph.Cond{Props: []graph.PropCond{str(graph.PropName, graph.OpContains, "alp")}}, ""},
		{"nameContains is not", graph.LabelNation, graph.Cond{Props: []graph.PropCond{str(graph.PropName, graph.OpContainsFold, "alp")}}, "nation:A"},
		{"STARTS_WITH, ENDS_WITH", graph.LabelAgency, graph.Cond{Props: []graph.PropCond{str(graph.PropName, graph.OpStartsWith, "Beta"), str(graph.PropName, graph.OpEndsWith, "Civil")}}, "agency:b1"},
		{"IN", graph.LabelNation, graph.Cond{Props: []graph.PropCond{str(graph.PropCode, graph.OpIN, "BBB", "HHH", "AAA")}}, "nation:A,nation:B"},
		{"number LT on an absent value", graph.LabelNation, graph.Cond{Props: []graph.PropCond{{Prop: graph.PropReliability, Op: graph.OpLT, Numbers: []float64{1}}}}, "nation:B"},
		{"IS_NULL", graph.LabelNation, graph.Cond{Props: []graph.PropCond{{Prop: graph.PropReliability, Op: graph.OpIsNull, Bool: true}}}, "nation:A"},
		{"OR", graph.LabelNation, graph.Cond{Or: []graph.Cond{{Props: []graph.PropCond{str(graph.PropCode, graph.OpEQ, "AAA")}}, {Props: []graph.PropCond{str(graph.PropCode, graph.OpEQ, "BBB")}}}}, "nation:A,nation:B"},
		{"NOT", graph.LabelNation, graph.Cond{Not: &graph.Cond{Props: []graph.PropCond{str(graph.PropCode, graph.OpEQ, "AAA")}}}, "nation:B"},
		{"agencies_SOME", graph.LabelNation, graph.Cond{Rels: []graph.RelCond{some(graph.RelPartOf, graph.Incoming, true, graph.Cond{Props: []graph.PropCond{str(graph.PropKind, graph.OpEQ, "CIVIL")}})}}, "nation:B"},
		{"edge property and far end", graph.LabelAgency, graph.Cond{Rels: []graph.RelCond{some(graph.RelProvides, graph.Outgoing, false, graph.Cond{
			Props: []graph.PropCond{str(graph.PropValidTo, graph.OpLT, "2028-01-01")},
			To:    &graph.Cond{Props: []graph.PropCond{str(graph.PropName, graph.OpContains, "ISR")}}})}}, "agency:a1"},
		{"capacity GT", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{some(graph.RelProvides, graph.Incoming, false, graph.Cond{
			Props: []graph.PropCond{{Prop: graph.PropCapacity, Op: graph.OpGT, Numbers: []float64{4}}}})}}, "cap:isr"},
		// cap:lift's only provider is hidden: for the viewer it has none.
		{"NONE ignores hidden providers", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{{Type: graph.RelProvides, Dir: graph.Incoming, Quant: graph.QuantNone}}}, "cap:lift"},
		{"ALL is true with none", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{{Type: graph.RelProvides, Dir: graph.Incoming, Quant: graph.QuantAll, OnNode: true,
			Where: &graph.Cond{Label: graph.LabelAgency}}}}, "cap:isr,cap:lift"},
		{"SINGLE", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{{Type: graph.RelProvides, Dir: graph.Incoming, Quant: graph.QuantSingle, OnNode: true,
			Where: &graph.Cond{Props: []graph.PropCond{str(graph.PropKind, graph.OpEQ, "MILITARY")}}}}}, "cap:isr"},
		{"COUNT", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{{Type: graph.RelProvides, Dir: graph.Incoming, Quant: graph.QuantCount, Op: graph.OpGTE, N: 2}}}, "cap:isr"},
		{"two levels", graph.LabelCapability, graph.Cond{Rels: []graph.RelCond{some(graph.RelGoverns, graph.Incoming, true, graph.Cond{
			Rels: []graph.RelCond{some(graph.RelPartyTo, graph.Incoming, false, graph.Cond{Props: []graph.PropCond{str(graph.PropRole, graph.OpEQ, "lead")}})}})}}, "cap:isr"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := g.Select(viewer, Query{Filter: graph.NodeFilter{Label: c.label}, Where: &c.where})
			if got := idList(res.Nodes); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if res.TotalCount != len(res.Nodes) {
				t.Fatalf("totalCount %d, want %d", res.TotalCount, len(res.Nodes))
			}
		})
	}
}

func TestOrderAndPagesAndAggregates(t *testing.T) {
	g := handGraph()
	admin := &graph.Viewer{Role: graph.RoleAdmin}
	order := []graph.Order{{Prop: graph.PropRegion, Desc: true}}
	all := g.Select(admin, Query{Filter: graph.NodeFilter{Label: graph.LabelNation}, Page: Page{OrderBy: order}})
	// Europe > Asia descending; the two Europeans by id ascending.
	if got, want := idList(all.Nodes), "nation:A,nation:H,nation:B"; got != want {
		t.Fatalf("order: got %s, want %s", got, want)
	}
	first := g.Select(admin, Query{Filter: graph.NodeFilter{Label: graph.LabelNation}, Page: Page{OrderBy: order, First: 2}})
	if got, want := idList(first.Nodes), "nation:A,nation:H"; got != want || !first.HasNextPage || first.HasPreviousPage {
		t.Fatalf("first page %s next=%v prev=%v, want %s next prev=false", got, first.HasNextPage, first.HasPreviousPage, want)
	}
	next := g.Select(admin, Query{Filter: graph.NodeFilter{Label: graph.LabelNation}, Page: Page{OrderBy: order, First: 2, After: first.Keys[1]}})
	if got, want := idList(next.Nodes), "nation:B"; got != want || next.HasNextPage || !next.HasPreviousPage {
		t.Fatalf("second page %s next=%v prev=%v, want %s", got, next.HasNextPage, next.HasPreviousPage, want)
	}
	back := g.Select(admin, Query{Filter: graph.NodeFilter{Label: graph.LabelNation}, Page: Page{OrderBy: order, Last: 1, Before: next.Keys[0]}})
	if got, want := idList(back.Nodes), "nation:H"; got != want || !back.HasNextPage || !back.HasPreviousPage {
		t.Fatalf("last before: %s next=%v prev=%v, want %s", got, back.HasNextPage, back.HasPreviousPage, want)
	}
	edges := g.SelectEdges(admin, "cap:isr", EdgeQuery{Type: graph.RelProvides, Dir: graph.Incoming,
		Page: Page{OrderBy: []graph.Order{{Prop: graph.PropCapacity, Desc: true}}}})
	if len(edges.Edges) != 2 || edges.Edges[0].Node.ID != "agency:b1" {
		t.Fatalf("providers by capacity desc: %+v", edges.Edges)
	}
	if s := edges.Aggregate.Capacity(); s.Count != 2 || *s.Min != 2 || *s.Max != 5 || *s.Sum != 7 || *s.Average != 3.5 {
		t.Fatalf("capacity stats %+v", s)
	}
	if s := edges.Aggregate.ValidTo(); s.Count != 1 || s.Min != "2027-06-01" || s.Max != "2027-06-01" {
		t.Fatalf("validTo stats %+v", s)
	}
}

// The property test: random conditions on generated models, evaluated by Select and by a
// naive evaluation written differently — properties read from the node's JSON, every
// relationship condition a scan of the whole relationship list.

type naive struct {
	doc     *graph.Document
	byID    map[string]map[string]any // node id → its JSON object
	label   map[string]graph.Label
	visible func(id string) bool
}

func newNaive(doc *graph.Document, viewer string) *naive {
	n := &naive{doc: doc, byID: map[string]map[string]any{}, label: map[string]graph.Label{}}
	for _, x := range doc.Nodes {
		b, _ := json.Marshal(x)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		n.byID[x.ID], n.label[x.ID] = m, x.Label
	}
	n.visible = func(id string) bool {
		rt, _ := n.byID[id]["releasableTo"].([]any)
		return len(rt) == 0 || slices.Contains(rt, any(viewer))
	}
	return n
}

func (n *naive) cmp(m map[string]any, c graph.PropCond) bool {
	v, present := m[string(c.Prop)]
	if c.Prop == graph.PropReleasableTo {
		l, _ := v.([]any)
		switch c.Op {
		case graph.OpIsNull:
			return (len(l) == 0) == c.Bool
		case graph.OpIncludes:
			return slices.Contains(l, any(c.Strings[0]))
		}
		return false
	}
	if c.Op == graph.OpIsNull {
		return !present == c.Bool
	}
	if !present {
		return false
	}
	if f, ok := v.(float64); ok {
		want := c.Numbers
		switch c.Op {
		case graph.OpEQ:
			return f == want[0]
		case graph.OpIN:
			return slices.Contains(want, f)
		case graph.OpLT:
			return f < want[0]
		case graph.OpLTE:
			return !(f > want[0])
		case graph.OpGT:
			return f > want[0]
		case graph.OpGTE:
			return !(f < want[0])
		}
		return false
	}
	s := v.(string)
	w := c.Strings
	switch c.Op {
	case graph.OpEQ:
		return s == w[0]
	case graph.OpIN:
		return slices.Contains(w, s)
	case graph.OpContains:
		return strings.Count(s, w[0]) > 0 // not Contains: the naive evaluator is written apart from the real one
	case graph.OpStartsWith:
		return len(s) >= len(w[0]) && s[:len(w[0])] == w[0]
	case graph.OpEndsWith:
		return len(s) >= len(w[0]) && s[len(s)-len(w[0]):] == w[0]
	case graph.OpLT:
		return s < w[0]
	case graph.OpLTE:
		return !(s > w[0])
	case graph.OpGT:
		return s > w[0]
	case graph.OpGTE:
		return !(s < w[0])
	}
	return false
}

func (n *naive) node(id string, c *graph.Cond) bool {
	if c == nil {
		return true
	}
	for i := range c.And {
		if !n.node(id, &c.And[i]) {
			return false
		}
	}
	if c.Or != nil {
		any := false
		for i := range c.Or {
			any = any || n.node(id, &c.Or[i])
		}
		if !any {
			return false
		}
	}
	if c.Not != nil && n.node(id, c.Not) {
		return false
	}
	if c.Label != "" && n.label[id] != c.Label {
		return false
	}
	for _, p := range c.Props {
		if !n.cmp(n.byID[id], p) {
			return false
		}
	}
	for _, rc := range c.Rels {
		total, hits := 0, 0
		for ri := range n.doc.Relationships {
			r := &n.doc.Relationships[ri]
			if r.Type != rc.Type {
				continue
			}
			var others []string
			if r.From == id && (rc.Dir == graph.Outgoing || rc.Dir == graph.Both) {
				others = append(others, r.To)
			}
			if r.To == id && (rc.Dir == graph.Incoming || rc.Dir == graph.Both) {
				others = append(others, r.From)
			}
			for _, o := range others {
				if !n.visible(o) || rc.Far != "" && n.label[o] != rc.Far {
					continue
				}
				total++
				var ok bool
				if rc.OnNode {
					ok = n.node(o, rc.Where)
				} else {
					ok = n.edge(r, id, rc.Where)
				}
				if ok {
					hits++
				}
			}
		}
		var ok bool
		switch rc.Quant {
		case graph.QuantSome:
			ok = hits >= 1
		case graph.QuantNone:
			ok = hits == 0
		case graph.QuantAll:
			ok = hits == total
		case graph.QuantSingle:
			ok = hits == 1
		case graph.QuantCount:
			ok = n.cmp(map[string]any{"n": float64(hits)}, graph.PropCond{Prop: "n", Op: rc.Op, Numbers: []float64{float64(rc.N)}})
		}
		if !ok {
			return false
		}
	}
	return true
}

func (n *naive) edge(r *graph.Relationship, near string, c *graph.Cond) bool {
	if c == nil {
		return true
	}
	b, _ := json.Marshal(r)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["id"] = string(r.Type) + ":" + r.From + "->" + r.To
	for i := range c.And {
		if !n.edge(r, near, &c.And[i]) {
			return false
		}
	}
	if c.Or != nil {
		any := false
		for i := range c.Or {
			any = any || n.edge(r, near, &c.Or[i])
		}
		if !any {
			return false
		}
	}
	if c.Not != nil && n.edge(r, near, c.Not) {
		return false
	}
	for _, p := range c.Props {
		if !n.cmp(m, p) {
			return false
		}
	}
	other := r.From
	if other == near {
		other = r.To
	}
	return (c.From == nil || n.node(r.From, c.From)) && (c.To == nil || n.node(r.To, c.To)) &&
		(c.Other == nil || n.node(other, c.Other))
}

// condGen draws random conditions whose values come from the model, so that they select
// something.
type condGen struct {
	r   *rand.Rand
	doc *graph.Document
}

var nodeCondProps = []graph.Prop{graph.PropID, graph.PropName, graph.PropConfidence, graph.PropReliability,
	graph.PropReleasableTo, graph.PropCode, graph.PropRegion, graph.PropKind, graph.PropDomain,
	graph.PropCategory, graph.PropSigned, graph.PropExpires, graph.PropSource}
var relCondProps = []graph.Prop{graph.PropPriority, graph.PropValidFrom, graph.PropValidTo, graph.PropCapacity,
	graph.PropRole, graph.PropMechanism, graph.PropConfidence}

func (g *condGen) prop(props []graph.Prop, sample func() map[string]any) graph.PropCond {
	p := props[g.r.IntN(len(props))]
	m := sample()
	v, present := m[string(p)]
	if p == graph.PropReleasableTo {
		if l, _ := v.([]any); len(l) > 0 && g.r.IntN(2) == 0 {
			return graph.PropCond{Prop: p, Op: graph.OpIncludes, Strings: []string{l[0].(string)}}
		}
		return graph.PropCond{Prop: p, Op: graph.OpIsNull, Bool: g.r.IntN(2) == 0}
	}
	if !present || g.r.IntN(8) == 0 {
		return graph.PropCond{Prop: p, Op: graph.OpIsNull, Bool: g.r.IntN(2) == 0}
	}
	if f, ok := v.(float64); ok {
		ops := []graph.Op{graph.OpEQ, graph.OpIN, graph.OpLT, graph.OpLTE, graph.OpGT, graph.OpGTE}
		op := ops[g.r.IntN(len(ops))]
		return graph.PropCond{Prop: p, Op: op, Numbers: []float64{f, g.r.Float64()}}
	}
	s := v.(string)
	ops := []graph.Op{graph.OpEQ, graph.OpIN, graph.OpContains, graph.OpStartsWith, graph.OpEndsWith, graph.OpLT, graph.OpGTE}
	op := ops[g.r.IntN(len(ops))]
	cut := g.r.IntN(len(s) + 1)
	switch op {
	case graph.OpContains:
		s = s[cut/2 : cut]
	case graph.OpStartsWith:
		s = s[:cut]
	case graph.OpEndsWith:
		s = s[cut:]
	}
	return graph.PropCond{Prop: p, Op: op, Strings: []string{s, "zz"}}
}

func (g *condGen) sampleNode() map[string]any {
	b, _ := json.Marshal(g.doc.Nodes[g.r.IntN(len(g.doc.Nodes))])
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func (g *condGen) sampleRel(t graph.RelType) map[string]any {
	for range 50 {
		r := g.doc.Relationships[g.r.IntN(len(g.doc.Relationships))]
		if r.Type == t {
			b, _ := json.Marshal(r)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			return m
		}
	}
	return map[string]any{}
}

func (g *condGen) node(l graph.Label, depth int) graph.Cond {
	var c graph.Cond
	for range 1 + g.r.IntN(2) {
		switch k := g.r.IntN(10); {
		case k < 4 || depth >= 2:
			c.Props = append(c.Props, g.prop(nodeCondProps, g.sampleNode))
		case k == 4:
			c.Or = []graph.Cond{g.node(l, depth+1), g.node(l, depth+1)}
		case k == 5:
			sub := g.node(l, depth+1)
			c.Not = &sub
		default:
			c.Rels = append(c.Rels, g.rel(l, depth+1))
		}
	}
	return c
}

func (g *condGen) rel(l graph.Label, depth int) graph.RelCond {
	var options []graph.RelCond
	for t, ends := range graph.Endpoints {
		if slices.Contains(ends[0], l) {
			options = append(options, graph.RelCond{Type: t, Dir: graph.Outgoing})
		}
		if slices.Contains(ends[1], l) {
			options = append(options, graph.RelCond{Type: t, Dir: graph.Incoming})
		}
	}
	sort.Slice(options, func(i, j int) bool {
		return fmt.Sprint(options[i].Type, options[i].Dir) < fmt.Sprint(options[j].Type, options[j].Dir)
	})
	rc := options[g.r.IntN(len(options))]
	if rc.Type.Undirected() && g.r.IntN(2) == 0 {
		rc.Dir = graph.Both
	}
	quants := []graph.Quant{graph.QuantSome, graph.QuantNone, graph.QuantAll, graph.QuantSingle, graph.QuantCount}
	rc.Quant = quants[g.r.IntN(len(quants))]
	if rc.Quant == graph.QuantCount {
		rc.Op, rc.N = []graph.Op{graph.OpEQ, graph.OpLT, graph.OpGT}[g.r.IntN(3)], g.r.IntN(4)
	}
	far := graph.Endpoints[rc.Type][1]
	if rc.Dir == graph.Incoming {
		far = graph.Endpoints[rc.Type][0]
	}
	if g.r.IntN(2) == 0 {
		rc.OnNode = true
		w := g.node(far[g.r.IntN(len(far))], depth)
		rc.Where = &w
		return rc
	}
	w := graph.Cond{Props: []graph.PropCond{g.prop(relCondProps, func() map[string]any { return g.sampleRel(rc.Type) })}}
	if g.r.IntN(2) == 0 {
		sub := g.node(far[0], depth+1)
		w.Other = &sub
	}
	rc.Where = &w
	return rc
}

func TestWhereAgreesWithANaiveEvaluation(t *testing.T) {
	for seed := range uint64(3) {
		cfg := gen.Small()
		cfg.Seed = seed
		cfg.Nations, cfg.Objectives, cfg.Capabilities, cfg.Agreements, cfg.Threats = 15, 60, 80, 30, 30
		doc := gen.Generate(cfg)
		for i := range doc.Nodes {
			switch i % 7 {
			case 3:
				doc.Nodes[i].ReleasableTo = []string{"ZZZ"}
			case 5:
				doc.Nodes[i].ReleasableTo = []string{"AAA", "ZZZ"}
			}
		}
		oracle := newNaive(doc, "AAA")
		docCopy := *doc
		docCopy.Nodes = slices.Clone(doc.Nodes)
		docCopy.Relationships = slices.Clone(doc.Relationships)
		g := NewGraph("1", &docCopy)
		viewer := &graph.Viewer{Nation: "AAA"}
		cg := &condGen{r: rand.New(rand.NewPCG(seed, 7)), doc: doc}
		nonEmpty := 0
		for q := range 300 {
			l := graph.Labels[q%len(graph.Labels)]
			c := cg.node(l, 0)
			var want []string
			for _, n := range doc.Nodes {
				if n.Label == l && oracle.visible(n.ID) && oracle.node(n.ID, &c) {
					want = append(want, n.ID)
				}
			}
			sort.Strings(want)
			res := g.Select(viewer, Query{Filter: graph.NodeFilter{Label: l}, Where: &c})
			if got := idList(res.Nodes); got != strings.Join(want, ",") {
				b, _ := json.Marshal(c)
				t.Fatalf("seed %d, %s where %s:\n got %s\nwant %s", seed, l, b, got, strings.Join(want, ","))
			}
			if len(want) > 0 {
				nonEmpty++
			}
		}
		if nonEmpty < 30 {
			t.Fatalf("seed %d: only %d of 300 conditions selected anything: the test checks too little", seed, nonEmpty)
		}
	}
}

func TestOrderedPagesWalkTheWholeList(t *testing.T) {
	cfg := gen.Small()
	cfg.Seed = 11
	doc := gen.Generate(cfg)
	g := NewGraph("1", doc)
	admin := &graph.Viewer{Role: graph.RoleAdmin}
	for _, o := range [][]graph.Order{
		{{Prop: graph.PropSigned}}, {{Prop: graph.PropExpires, Desc: true}, {Prop: graph.PropName}},
		{{Prop: graph.PropReliability, Desc: true}},
	} {
		q := Query{Filter: graph.NodeFilter{Label: graph.LabelAgreement}, Page: Page{OrderBy: o}}
		all := g.Select(admin, q).Nodes
		// The whole list, checked pairwise by a comparison written here.
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			for _, k := range o {
				as, af, an, aok := graph.NodeProp(a, k.Prop)
				bs, bf, _, bok := graph.NodeProp(b, k.Prop)
				less := aok && !bok || aok && bok && (an && af < bf || !an && as < bs)
				greater := !aok && bok || aok && bok && (an && af > bf || !an && as > bs)
				if k.Desc {
					less, greater = greater, less
				}
				if greater {
					t.Fatalf("order %v: %s before %s", o, a.ID, b.ID)
				}
				if less {
					goto next
				}
			}
			if a.ID > b.ID {
				t.Fatalf("order %v: tie not broken by id: %s before %s", o, a.ID, b.ID)
			}
		next:
		}
		// Forward pages of 7, then backward pages of 5, give the same list.
		var fwd, bwd []*graph.Node
		q.First = 7
		for {
			p := g.Select(admin, q)
			fwd = append(fwd, p.Nodes...)
			if !p.HasNextPage {
				break
			}
			q.After = p.Keys[len(p.Keys)-1]
		}
		q.First, q.After, q.Last = 0, nil, 5
		for {
			p := g.Select(admin, q)
			bwd = append(slices.Clone(p.Nodes), bwd...)
			if !p.HasPreviousPage {
				break
			}
			q.Before = p.Keys[0]
		}
		if idList(fwd) != idList(all) || idList(bwd) != idList(all) {
			t.Fatalf("order %v: pages do not walk the list (%d forward, %d backward, %d in all)", o, len(fwd), len(bwd), len(all))
		}
	}
}

// BenchmarkSelect measures the playground's reads on a generated model (medium, or the
// preset named by STAKEGRAPH_BENCH_PRESET): a property condition, a two-level
// relationship condition, and an ordered page.
func BenchmarkSelect(b *testing.B) {
	preset := cmp.Or(os.Getenv("STAKEGRAPH_BENCH_PRESET"), "medium")
	cfg, ok := gen.Preset(preset, 0)
	if !ok {
		b.Fatalf("no preset %q", preset)
	}
	g := NewGraph("1", gen.Generate(cfg))
	viewer := &graph.Viewer{Nation: "AAA"}
	n, r := g.Counts()
	b.Logf("%s model: %d nodes, %d relationships", preset, n, r)
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"property", Query{Filter: graph.NodeFilter{Label: graph.LabelCapability},
			Where: &graph.Cond{Props: []graph.PropCond{{Prop: graph.PropName, Op: graph.OpContains, Strings: []string{"a"}}}}, Page: Page{First: 50}}},
		{"two-level relationship", Query{Filter: graph.NodeFilter{Label: graph.LabelCapability},
			Where: &graph.Cond{Rels: []graph.RelCond{{Type: graph.RelRequires, Dir: graph.Incoming, Quant: graph.QuantSome, OnNode: true,
				Where: &graph.Cond{Rels: []graph.RelCond{{Type: graph.RelPursues, Dir: graph.Incoming, Quant: graph.QuantCount, Op: graph.OpGT, N: 3}}}}}},
			Page: Page{First: 50}}},
		{"ordered page", Query{Filter: graph.NodeFilter{Label: graph.LabelAgency}, Page: Page{OrderBy: []graph.Order{{Prop: graph.PropName, Desc: true}}, Last: 50}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var res Result
			for b.Loop() {
				res = g.Select(viewer, c.q)
			}
			b.ReportMetric(float64(res.TotalCount), "matches")
		})
	}
}
