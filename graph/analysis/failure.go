package analysis

import (
	"context"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// View selects whose failure logic an analysis follows (docs/analyses.md, "Failure logic"): the coalition view when
// Stakeholder is empty, otherwise that stakeholder's access view.
type View struct {
	Stakeholder string
}

// ValidateView checks that v names a stakeholder of m, if it names anything. The error is
// EINVALID on field "view.stakeholder".
func (m *Model) ValidateView(v View) error {
	if v.Stakeholder == "" {
		return nil
	}
	n := m.Nodes[v.Stakeholder]
	if n == nil {
		return graph.Errorf(graph.EINVALID, "view.stakeholder", "unknown stakeholder %q", v.Stakeholder)
	}
	if !n.Label.IsStakeholder() {
		return graph.Errorf(graph.EINVALID, "view.stakeholder", "%q is a %s, not a nation or agency", v.Stakeholder, n.Label)
	}
	return nil
}

// IsBasicEvent reports whether id is a basic event at AsOf: a stakeholder, or an agreement
// that counts (docs/analyses.md, "Failure logic").
func (m *Model) IsBasicEvent(id string) bool {
	n := m.Nodes[id]
	return n != nil && (n.Label.IsStakeholder() || n.Label == graph.LabelAgreement && m.counts(n))
}

// ftEvent is a basic event's index. Indexes follow the sorted ids, so sorting indexes sorts
// ids, and a cut set fits in a few bytes.
type ftEvent = int32

// ftRoute is one way a closure member X can be served: a provider, in the access view
// perhaps through an agreement. The route is down as soon as any of its events is down.
type ftRoute struct {
	events    []ftEvent    // sorted: the provider, its nation, the agreement
	provider  string       // the providing stakeholder
	provision graph.RelKey // its PROVIDES relationship
	nation    string       // the provider's nation, which takes it down; "" if none
	agreement string       // the agreement access runs through; "" if none
	via       []graph.RelKey
}

// ftMember is the failure logic of one capability as a closure member: it fails when every
// route is down. With no route at all it fails even with everything up.
type ftMember struct {
	routes  []ftRoute   // every route, for explanations
	minimal [][]ftEvent // the routes' event sets without supersets: a route that contains another is down whenever that one is
	local   [4][][]ftEvent
	hasLoc  [4]bool
}

// failureLogic is the fault-tree view of a Model for one View (docs/analyses.md, "Failure logic"), built lazily and
// memoised per capability so that analyses over many objectives share the work. It lives
// for one call: the Model stays immutable and safe to share.
type failureLogic struct {
	m       *Model
	view    View
	events  []string // index → id
	index   map[string]ftEvent
	members map[string]*ftMember
	closure map[string][]string
	objClos map[string][]string // objectiveClosure, memoised: the scan asks twice per objective
	steps   int                 // work counter for cancellation checks
}

// newFailureLogic indexes the basic events of m and prepares view v, which must be valid.
func (m *Model) newFailureLogic(v View) *failureLogic {
	fl := &failureLogic{m: m, view: v, members: map[string]*ftMember{}, closure: map[string][]string{},
		objClos: map[string][]string{}}
	for id, n := range m.Nodes {
		if n.Label.IsStakeholder() || n.Label == graph.LabelAgreement && m.counts(n) {
			fl.events = append(fl.events, id)
		}
	}
	slices.Sort(fl.events)
	fl.index = make(map[string]ftEvent, len(fl.events))
	for i, id := range fl.events {
		fl.index[id] = ftEvent(i)
	}
	return fl
}

// ids turns a set of event indexes into ids, keeping the order.
func (fl *failureLogic) ids(set []ftEvent) []string {
	out := make([]string, len(set))
	for i, e := range set {
		out[i] = fl.events[e]
	}
	return out
}

// capClosure is Model.Closure, memoised: objectives share most of their closures.
func (fl *failureLogic) capClosure(c string) []string {
	if cl, ok := fl.closure[c]; ok {
		return cl
	}
	cl := fl.m.Closure(c)
	fl.closure[c] = cl
	return cl
}

// objectiveClosure is every closure member of o's required capabilities, sorted.
func (fl *failureLogic) objectiveClosure(o string) []string {
	if cl, ok := fl.objClos[o]; ok {
		return cl
	}
	req := fl.m.Requires[o]
	if len(req) == 1 {
		return fl.capClosure(req[0])
	}
	var out []string
	for _, c := range req {
		out = append(out, fl.capClosure(c)...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	fl.objClos[o] = out
	return out
}

// member returns the failure logic of closure member x in the view.
func (fl *failureLogic) member(x string) *ftMember {
	if mb, ok := fl.members[x]; ok {
		return mb
	}
	mb := &ftMember{}
	m := fl.m
	route := func(p Provision, agreement string) ftRoute {
		r := ftRoute{provider: p.Stakeholder, provision: p.Rel, agreement: agreement}
		r.events = append(r.events, fl.index[p.Stakeholder])
		if n, ok := m.NationOf[p.Stakeholder]; ok {
			r.nation = n
			r.events = append(r.events, fl.index[n])
		}
		if agreement != "" {
			r.events = append(r.events, fl.index[agreement])
			r.via = append(r.via, graph.RelKey{Type: graph.RelGoverns, From: agreement, To: x})
			r.via = append(r.via, fl.memberships(fl.view.Stakeholder, agreement)...)
			r.via = append(r.via, fl.memberships(p.Stakeholder, agreement)...)
		}
		slices.Sort(r.events)
		return r
	}
	if fl.view.Stakeholder == "" {
		for _, p := range m.Providers[x] {
			mb.routes = append(mb.routes, route(p, ""))
		}
	} else {
		for _, u := range m.UsableProviders(fl.view.Stakeholder, x) {
			mb.routes = append(mb.routes, route(u.Provision, u.Agreement))
		}
	}
	mb.minimal = ftMinimalFamily(ftRouteSets(mb.routes))
	fl.members[x] = mb
	return mb
}

// memberships are the PARTY_TO relationships that make s a party to a: its own or its
// nation's (Model.IsParty).
func (fl *failureLogic) memberships(s, a string) []graph.RelKey {
	var out []graph.RelKey
	nation := fl.m.NationOf[s]
	for _, ms := range fl.m.Parties[a] {
		if ms.Stakeholder == s || nation != "" && ms.Stakeholder == nation {
			out = append(out, ms.Rel)
		}
	}
	return out
}

func ftRouteSets(rs []ftRoute) [][]ftEvent {
	out := make([][]ftEvent, len(rs))
	for i, r := range rs {
		out[i] = r.events
	}
	return out
}

// down reports whether closure member x fails when the events in down are down.
func (fl *failureLogic) down(x string, down map[ftEvent]bool) bool {
	for _, r := range fl.member(x).minimal {
		hit := false
		for _, e := range r {
			if down[e] {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// dead reports whether closure member x fails even with every event up.
func (fl *failureLogic) dead(x string) bool { return len(fl.member(x).minimal) == 0 }

// tick counts work and, every so often, checks whether ctx has ended; long scans call it in
// their inner loops so a deadline stops them promptly.
func (fl *failureLogic) tick(ctx context.Context, n int) error {
	fl.steps += n
	if fl.steps < 4096 {
		return nil
	}
	fl.steps = 0
	return ftCtxErr(ctx)
}

// ftCtxErr turns the end of ctx into a TIMEOUT error.
func ftCtxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return graph.Errorf(graph.ETIMEOUT, "", "failure analysis stopped before it finished: %v", err)
	}
	return nil
}

// explainFailure adds why the closure members in failed fail for something that needs
// roots (an objective's required capabilities, or one capability): the capability chains
// from roots to them over DEPENDS_ON, and their providers with the relationships of every
// route. PART_OF is added where a down nation in cause takes a providing agency down. It
// returns the capabilities on those chains.
func (fl *failureLogic) explainFailure(ex *explainer, roots []string, failed map[string]bool, cause map[ftEvent]bool) map[string]bool {
	m := fl.m
	// Capabilities on a chain: reachable from a root and reaching a failed member.
	fromRoots := map[string]bool{}
	for _, c := range roots {
		for _, x := range fl.capClosure(c) {
			fromRoots[x] = true
		}
	}
	onChain := map[string]bool{}
	var stack []string
	for x := range failed {
		if fromRoots[x] && !onChain[x] {
			onChain[x] = true
			stack = append(stack, x)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, y := range m.DependedBy[x] {
			if fromRoots[y] && !onChain[y] {
				onChain[y] = true
				stack = append(stack, y)
			}
		}
	}
	for x := range onChain {
		ex.node(x)
		for _, d := range m.DependsOn[x] {
			if onChain[d] {
				ex.rel(graph.RelKey{Type: graph.RelDependsOn, From: x, To: d})
			}
		}
	}
	for x := range failed {
		if !onChain[x] {
			continue
		}
		for _, r := range fl.member(x).routes {
			ex.node(r.provider, r.agreement)
			ex.rel(r.provision)
			ex.rel(r.via...)
			if r.nation != "" && cause[fl.index[r.nation]] {
				ex.node(r.nation)
				ex.rel(graph.RelKey{Type: graph.RelPartOf, From: r.provider, To: r.nation})
			}
		}
	}
	return onChain
}

// explainObjective adds why objective o is not achievable when the closure members in
// failed fail: o, its REQUIRES relationships to the capabilities that lead to them, and
// explainFailure's chains and routes.
func (fl *failureLogic) explainObjective(ex *explainer, o string, failed map[string]bool, cause map[ftEvent]bool) {
	ex.node(o)
	req := fl.m.Requires[o]
	chain := fl.explainFailure(ex, req, failed, cause)
	for _, c := range req {
		if chain[c] {
			ex.rel(graph.RelKey{Type: graph.RelRequires, From: o, To: c})
		}
	}
}
