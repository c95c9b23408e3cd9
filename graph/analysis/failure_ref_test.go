package analysis

// Test support for the failure logic: a builder for small hand-made graphs, a random
// model generator, and a reference implementation of docs/analyses.md, "Failure logic" written straight from the
// raw nodes and relationships (not from Model or failureLogic), so that brute force over
// it checks the production code independently.

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// ftGraph builds a small model by hand.
type ftGraph struct {
	nodes []graph.Node
	rels  []graph.Relationship
}

func (g *ftGraph) add(l graph.Label, id string) *graph.Node {
	g.nodes = append(g.nodes, graph.Node{Label: l, ID: id, Name: id})
	return &g.nodes[len(g.nodes)-1]
}

func (g *ftGraph) nation(id string) *ftGraph { g.add(graph.LabelNation, id); return g }
func (g *ftGraph) capability(ids ...string) *ftGraph {
	for _, id := range ids {
		g.add(graph.LabelCapability, id)
	}
	return g
}
func (g *ftGraph) objective(id string, requires ...string) *ftGraph {
	g.add(graph.LabelObjective, id)
	for _, c := range requires {
		g.rel(graph.RelRequires, id, c)
	}
	return g
}

// agency adds an agency, part of nation unless nation is empty (an international body).
func (g *ftGraph) agency(id, nation string) *ftGraph {
	g.add(graph.LabelAgency, id)
	if nation != "" {
		g.rel(graph.RelPartOf, id, nation)
	}
	return g
}

// agreement adds an agreement in force between signed and expires (either may be empty).
func (g *ftGraph) agreement(id string, signed, expires graph.Date, parties ...string) *ftGraph {
	n := g.add(graph.LabelAgreement, id)
	n.Signed, n.Expires = signed, expires
	for _, p := range parties {
		g.rel(graph.RelPartyTo, p, id)
	}
	return g
}

func (g *ftGraph) rel(t graph.RelType, from, to string) *ftGraph {
	g.rels = append(g.rels, graph.Relationship{Type: t, From: from, To: to})
	return g
}

// valid bounds the validity of the last relationship added.
func (g *ftGraph) valid(from, to graph.Date) *ftGraph {
	r := &g.rels[len(g.rels)-1]
	r.ValidFrom, r.ValidTo = from, to
	return g
}

func (g *ftGraph) reliability(id string, r float64) *ftGraph {
	for i := range g.nodes {
		if g.nodes[i].ID == id {
			g.nodes[i].Reliability = &r
			return g
		}
	}
	panic("no node " + id)
}

func (g *ftGraph) model(asOf graph.Date) *Model {
	return NewModel(slices.Clone(g.nodes), slices.Clone(g.rels), asOf)
}

// ftRef is the reference semantics of docs/analyses.md, "Failure logic" at one date and view, over bit masks of
// basic events (at most 64 of them): bit i set = events[i] down.
type ftRef struct {
	events []string
	bit    map[string]uint64
	q      []float64
	// Objectives and capabilities in id order; for each (by id), whether some closure
	// member has no usable provider, and the route masks of each closure member.
	objectives, capabilities []string
	requires                 map[string][]string
	dead                     map[string]bool
	members                  map[string][][]uint64
}

// newFTRef reads the raw graph literally: what counts at asOf, closure over DEPENDS_ON,
// usability by family or through a governing agreement both are party to.
func newFTRef(t testing.TB, nodes []graph.Node, rels []graph.Relationship, asOf graph.Date, view string) *ftRef {
	t.Helper()
	byID := map[string]graph.Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	inForce := func(id string) bool {
		n := byID[id]
		return n.Label != graph.LabelAgreement || graph.CountsAt(n.Signed, n.Expires, asOf)
	}
	var live []graph.Relationship
	for _, r := range rels {
		if !inForce(r.From) || !inForce(r.To) {
			continue
		}
		if (r.Type == graph.RelProvides || r.Type == graph.RelPartyTo) && !graph.CountsAt(r.ValidFrom, r.ValidTo, asOf) {
			continue
		}
		live = append(live, r)
	}
	has := func(t graph.RelType, from, to string) bool {
		return slices.ContainsFunc(live, func(r graph.Relationship) bool { return r.Type == t && r.From == from && r.To == to })
	}
	nationOf := func(s string) string {
		for _, r := range live {
			if r.Type == graph.RelPartOf && r.From == s {
				return r.To
			}
		}
		return ""
	}
	ref := &ftRef{bit: map[string]uint64{}, requires: map[string][]string{}, dead: map[string]bool{}, members: map[string][][]uint64{}}
	for _, n := range nodes {
		if n.Label.IsStakeholder() || n.Label == graph.LabelAgreement && inForce(n.ID) {
			ref.events = append(ref.events, n.ID)
		}
	}
	slices.Sort(ref.events)
	if len(ref.events) > 64 {
		t.Fatalf("reference semantics handles 64 events, got %d", len(ref.events))
	}
	for i, id := range ref.events {
		ref.bit[id] = 1 << i
		n := byID[id]
		ref.q = append(ref.q, 1-n.ReliabilityOrOne())
	}
	family := map[string]bool{}
	if view != "" {
		head := view
		if byID[view].Label == graph.LabelAgency {
			head = nationOf(view)
		}
		if head == "" {
			family[view] = true
		} else {
			family[head] = true
			for _, n := range nodes {
				if n.Label == graph.LabelAgency && nationOf(n.ID) == head {
					family[n.ID] = true
				}
			}
		}
	}
	party := func(s, a string) bool {
		return has(graph.RelPartyTo, s, a) || nationOf(s) != "" && has(graph.RelPartyTo, nationOf(s), a)
	}
	routes := func(x string) []uint64 {
		var out []uint64
		for _, r := range live {
			if r.Type != graph.RelProvides || r.To != x {
				continue
			}
			p := r.From
			mask := ref.bit[p]
			if n := nationOf(p); n != "" {
				mask |= ref.bit[n]
			}
			if view == "" || family[p] {
				out = append(out, mask)
				continue
			}
			for _, g := range live {
				if g.Type == graph.RelGoverns && g.To == x && party(view, g.From) && party(p, g.From) {
					out = append(out, mask|ref.bit[g.From])
				}
			}
		}
		return out
	}
	// Objectives and, for what-if, capabilities: a capability needs its own closure.
	for _, n := range nodes {
		var roots []string
		switch n.Label {
		case graph.LabelObjective:
			ref.objectives = append(ref.objectives, n.ID)
			for _, r := range live {
				if r.Type == graph.RelRequires && r.From == n.ID {
					roots = append(roots, r.To)
				}
			}
			ref.requires[n.ID] = roots
		case graph.LabelCapability:
			ref.capabilities = append(ref.capabilities, n.ID)
			roots = []string{n.ID}
		default:
			continue
		}
		seen := map[string]bool{}
		var stack []string
		for _, c := range roots {
			if !seen[c] {
				seen[c] = true
				stack = append(stack, c)
			}
		}
		for len(stack) > 0 {
			x := stack[0]
			stack = stack[1:]
			rs := routes(x)
			if len(rs) == 0 {
				ref.dead[n.ID] = true
			}
			ref.members[n.ID] = append(ref.members[n.ID], rs)
			for _, r := range live {
				if r.Type == graph.RelDependsOn && r.From == x && !seen[r.To] {
					seen[r.To] = true
					stack = append(stack, r.To)
				}
			}
		}
	}
	slices.Sort(ref.capabilities)
	slices.Sort(ref.objectives)
	return ref
}

// fails reports whether objective or capability o is not achievable (available) with the events in down down.
func (ref *ftRef) fails(o string, down uint64) bool {
	for _, member := range ref.members[o] {
		usable := false
		for _, r := range member {
			if r&down == 0 {
				usable = true
				break
			}
		}
		if !usable {
			return true
		}
	}
	return false
}

// support is the mask of events that appear in some route of o.
func (ref *ftRef) support(o string) uint64 {
	var s uint64
	for _, member := range ref.members[o] {
		for _, r := range member {
			s |= r
		}
	}
	return s
}

// minimalCutSets enumerates every down set of at most k events inside o's support that
// makes o fail while no smaller one inside it does; as sorted ids, by order then ids.
func (ref *ftRef) minimalCutSets(o string, k int) [][]string {
	sup := ref.support(o)
	var idx []int
	for i := range ref.events {
		if sup&(1<<i) != 0 {
			idx = append(idx, i)
		}
	}
	var out [][]string
	var rec func(start int, mask uint64, n int)
	rec = func(start int, mask uint64, n int) {
		if n > 0 && ref.fails(o, mask) {
			// monotone: minimal iff no set with one event fewer fails
			for m := mask; m != 0; m &= m - 1 {
				if ref.fails(o, mask&^(m&-m)) {
					return
				}
			}
			var ids []string
			for m := mask; m != 0; m &= m - 1 {
				ids = append(ids, ref.events[bits.TrailingZeros64(m)])
			}
			out = append(out, ids)
			return
		}
		if n == k {
			return
		}
		for j := start; j < len(idx); j++ {
			rec(j+1, mask|1<<idx[j], n+1)
		}
	}
	rec(0, 0, 0)
	slices.SortFunc(out, func(a, b []string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return slices.Compare(a, b)
	})
	return out
}

// ftRefProb holds exact probabilities by enumeration of every state of o's support:
// P(fail), and per event P(fail | event down) and P(fail | event up).
type ftRefProb struct {
	p      float64
	p1, p0 map[string]float64
}

func (ref *ftRef) probability(o string) ftRefProb {
	sup := ref.support(o)
	var idx []int
	for i := range ref.events {
		if sup&(1<<i) != 0 {
			idx = append(idx, i)
		}
	}
	// sum adds up the weight of the failing states of the support events other than
	// skip (-1: none), with forced set down.
	sum := func(skip int, forced uint64) float64 {
		total := 0.0
		for s := uint64(0); s < 1<<len(idx); s++ {
			if skip >= 0 && s&(1<<skip) != 0 {
				continue
			}
			down, w := forced, 1.0
			for j, i := range idx {
				if s&(1<<j) != 0 {
					down |= 1 << i
				}
				if j != skip {
					w *= ref.factor(i, s&(1<<j) != 0)
				}
			}
			if ref.fails(o, down) {
				total += w
			}
		}
		return total
	}
	res := ftRefProb{p: sum(-1, 0), p1: map[string]float64{}, p0: map[string]float64{}}
	for j, i := range idx {
		res.p1[ref.events[i]] = sum(j, 1<<i)
		res.p0[ref.events[i]] = sum(j, 0)
	}
	return res
}

func (ref *ftRef) factor(i int, down bool) float64 {
	if down {
		return ref.q[i]
	}
	return 1 - ref.q[i]
}

// ftGenParams sizes a random model.
type ftGenParams struct {
	nations, agencies, international, capabilities, objectives, agreements int
	maxProviders, maxRequires, maxDepends, maxParties, maxGoverns          int
}

// ftDates are the dates random validity bounds and asOf dates are drawn from.
var ftDates = []graph.Date{"2024-01-01", "2025-06-01", "2027-01-01", "2029-03-01", "2031-01-01"}

// ftGenerate builds a random model: agencies spread over nations (some international),
// capabilities with DEPENDS_ON that may form cycles, random providers, agreements and
// validity windows, and reliabilities including the edge values 0 and 1 and absent.
func ftGenerate(r *rand.Rand, p ftGenParams) ([]graph.Node, []graph.Relationship) {
	var g ftGraph
	pick := func(prefix string, n int) string { return fmt.Sprintf("%s%d", prefix, r.IntN(n)) }
	var stakeholders []string
	for i := range p.nations {
		id := fmt.Sprintf("nation:%d", i)
		g.nation(id)
		stakeholders = append(stakeholders, id)
	}
	for i := range p.agencies {
		id := fmt.Sprintf("agency:%d", i)
		nation := ""
		if i >= p.international {
			nation = pick("nation:", p.nations)
		}
		g.agency(id, nation)
		stakeholders = append(stakeholders, id)
	}
	window := func() (graph.Date, graph.Date) {
		if r.IntN(3) > 0 {
			return "", ""
		}
		i, j := r.IntN(len(ftDates)), r.IntN(len(ftDates))
		if i > j {
			i, j = j, i
		}
		from, to := ftDates[i], ftDates[j]
		if i == j {
			to = ""
		}
		if r.IntN(2) == 0 {
			from = ""
		}
		return from, to
	}
	for i := range p.capabilities {
		id := fmt.Sprintf("cap:%d", i)
		g.capability(id)
		providers := 1 + r.IntN(p.maxProviders)
		if r.IntN(12) == 0 {
			providers = 0 // a coverage gap
		}
		for range providers {
			g.rel(graph.RelProvides, stakeholders[r.IntN(len(stakeholders))], id)
			g.valid(window())
		}
	}
	for i := range p.capabilities {
		for range r.IntN(p.maxDepends + 1) {
			if d := r.IntN(p.capabilities); d != i {
				g.rel(graph.RelDependsOn, fmt.Sprintf("cap:%d", i), fmt.Sprintf("cap:%d", d))
			}
		}
	}
	for i := range p.agreements {
		id := fmt.Sprintf("agreement:%d", i)
		s, e := window()
		g.agreement(id, s, e)
		for range 1 + r.IntN(p.maxParties) {
			g.rel(graph.RelPartyTo, stakeholders[r.IntN(len(stakeholders))], id)
			g.valid(window())
		}
		for range 1 + r.IntN(p.maxGoverns) {
			g.rel(graph.RelGoverns, id, pick("cap:", p.capabilities))
		}
	}
	for i := range p.objectives {
		id := fmt.Sprintf("objective:%d", i)
		g.objective(id)
		for range r.IntN(p.maxRequires + 1) {
			g.rel(graph.RelRequires, id, pick("cap:", p.capabilities))
		}
		g.rel(graph.RelPursues, stakeholders[r.IntN(len(stakeholders))], id)
		g.rels[len(g.rels)-1].Priority = 1 + r.IntN(5)
	}
	for i := range g.nodes {
		if !g.nodes[i].Label.IsStakeholder() && g.nodes[i].Label != graph.LabelAgreement {
			continue
		}
		switch r.IntN(8) {
		case 0: // absent: 1
		case 1:
			g.reliability(g.nodes[i].ID, 1)
		case 2:
			g.reliability(g.nodes[i].ID, 0)
		default:
			g.reliability(g.nodes[i].ID, 0.5+0.49*r.Float64())
		}
	}
	// The generator may draw a relationship twice; the model holds one per key.
	seen := map[graph.RelKey]bool{}
	rels := g.rels[:0]
	for _, rel := range g.rels {
		if !seen[rel.Key()] {
			seen[rel.Key()] = true
			rels = append(rels, rel)
		}
	}
	return g.nodes, rels
}
