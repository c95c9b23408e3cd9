package analysis

import (
	"context"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// MaxCutOrder is the largest cut-set order the API computes (DESIGN §3: maxOrder 1..3).
// Routes hold at most three events, so a cut set fits in a fixed-size key.
const MaxCutOrder = 3

// CutSet is one minimal cut set: basic events whose joint failure makes the objective not
// achievable, none of them superfluous.
type CutSet struct {
	Events      []string // basic event ids, sorted
	Explanation Explanation
}

// ObjectiveCutSets are the minimal cut sets of one objective up to some order. An
// objective that is not achievable with everything up has none (DESIGN §2).
type ObjectiveCutSets struct {
	Objective  string
	Achievable bool
	CutSets    []CutSet // by order, then lexicographically by event ids
}

// CutSets returns the minimal cut sets of objective o of order at most maxOrder, in view v,
// each with its explanation: the objective, the capability chains to the closure members
// whose routes all fail, their providers and agreements, and the REQUIRES, DEPENDS_ON,
// PROVIDES, GOVERNS, PARTY_TO and PART_OF relationships involved.
// Errors: EINVALID for maxOrder outside 1..3 or a bad view, ENOTFOUND for an unknown
// objective, ETIMEOUT when ctx ends first.
func (m *Model) CutSets(ctx context.Context, o string, v View, maxOrder int) (ObjectiveCutSets, error) {
	if err := m.checkCutSetArgs(v, maxOrder); err != nil {
		return ObjectiveCutSets{}, err
	}
	if err := m.checkObjective(o); err != nil {
		return ObjectiveCutSets{}, err
	}
	fl := m.newFailureLogic(v)
	return fl.objectiveCutSets(ctx, o, maxOrder)
}

// AllCutSets returns CutSets for every objective, ordered by objective id.
// Errors: as CutSets, without ENOTFOUND.
func (m *Model) AllCutSets(ctx context.Context, v View, maxOrder int) ([]ObjectiveCutSets, error) {
	if err := m.checkCutSetArgs(v, maxOrder); err != nil {
		return nil, err
	}
	fl := m.newFailureLogic(v)
	objectives := m.IDs(graph.LabelObjective)
	out := make([]ObjectiveCutSets, 0, len(objectives))
	for _, o := range objectives {
		cs, err := fl.objectiveCutSets(ctx, o, maxOrder)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// SinglePointsByEvent maps each basic event that is a single point of failure of some
// objective to those objectives, sorted: which objectives hang on that one nation, agency
// or agreement. Errors: EINVALID for a bad view, ETIMEOUT.
func (m *Model) SinglePointsByEvent(ctx context.Context, v View) (map[string][]string, error) {
	if err := m.ValidateView(v); err != nil {
		return nil, err
	}
	fl := m.newFailureLogic(v)
	out := map[string][]string{}
	for _, o := range m.IDs(graph.LabelObjective) {
		ok, sets, err := fl.minimalCutSets(ctx, o, 1)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		for _, s := range sets {
			id := fl.events[s[0]]
			out[id] = append(out[id], o) // objectives come in order, so each list is sorted
		}
	}
	return out, nil
}

func (m *Model) checkCutSetArgs(v View, maxOrder int) error {
	if maxOrder < 1 || maxOrder > MaxCutOrder {
		return graph.Errorf(graph.EINVALID, "maxOrder", "maxOrder must be between 1 and %d, got %d", MaxCutOrder, maxOrder)
	}
	return m.ValidateView(v)
}

func (m *Model) checkObjective(o string) error {
	if n := m.Nodes[o]; n == nil || n.Label != graph.LabelObjective {
		return graph.Errorf(graph.ENOTFOUND, "objective", "no objective %q", o)
	}
	return nil
}

// objectiveCutSets is CutSets on a prepared failure logic, with explanations.
func (fl *failureLogic) objectiveCutSets(ctx context.Context, o string, k int) (ObjectiveCutSets, error) {
	ok, sets, err := fl.minimalCutSets(ctx, o, k)
	if err != nil {
		return ObjectiveCutSets{}, err
	}
	res := ObjectiveCutSets{Objective: o, Achievable: ok, CutSets: []CutSet{}}
	if !ok {
		return res, nil
	}
	closure := fl.objectiveClosure(o)
	for _, s := range sets {
		if err := fl.tick(ctx, len(closure)); err != nil {
			return ObjectiveCutSets{}, err
		}
		cause := make(map[ftEvent]bool, len(s))
		for _, e := range s {
			cause[e] = true
		}
		failed := map[string]bool{}
		for _, x := range closure {
			if fl.down(x, cause) {
				failed[x] = true
			}
		}
		var ex explainer
		ex.node(fl.ids(s)...)
		fl.explainObjective(&ex, o, failed, cause)
		res.CutSets = append(res.CutSets, CutSet{Events: fl.ids(s), Explanation: ex.build()})
	}
	return res, nil
}

// minimalCutSets returns whether o is achievable with everything up and, if so, its
// minimal cut sets of order at most k, sorted by order then event ids.
//
// The fault tree is an OR over closure members, each an AND over its routes, each an OR
// of its events. A member's cut sets are the minimal hitting sets of its routes, which a
// branching search bounded by k finds without expanding the whole DNF; the objective's are
// the minimal ones among its members', so members' sets are memoised and shared.
func (fl *failureLogic) minimalCutSets(ctx context.Context, o string, k int) (bool, [][]ftEvent, error) {
	if err := ftCtxErr(ctx); err != nil {
		return false, nil, err
	}
	closure := fl.objectiveClosure(o)
	for _, x := range closure {
		if fl.dead(x) {
			return false, nil, nil
		}
	}
	if len(closure) == 1 {
		local, err := fl.local(ctx, closure[0], k)
		return true, local, err
	}
	var all [][]ftEvent
	for _, x := range closure {
		local, err := fl.local(ctx, x, k)
		if err != nil {
			return false, nil, err
		}
		all = append(all, local...)
	}
	return true, ftMinimalSorted(all), nil
}

// local returns the minimal cut sets of order at most k of closure member x alone: the
// minimal hitting sets of its routes, memoised per order.
func (fl *failureLogic) local(ctx context.Context, x string, k int) ([][]ftEvent, error) {
	mb := fl.member(x)
	if mb.hasLoc[k] {
		return mb.local[k], nil
	}
	if err := fl.tick(ctx, len(mb.minimal)); err != nil {
		return nil, err
	}
	sets := ftHittingSets(mb.minimal, k)
	mb.local[k], mb.hasLoc[k] = sets, true
	return sets, nil
}

// ftKey is a set of at most MaxCutOrder events as a comparable value, padded with -1.
type ftKey [MaxCutOrder]ftEvent

func ftKeyOf(s []ftEvent) ftKey {
	k := ftKey{-1, -1, -1}
	copy(k[:], s)
	return k
}

// ftHasProperSubset reports whether some non-empty proper subset of sorted s is in set.
func ftHasProperSubset(s []ftEvent, set map[ftKey]bool) bool {
	switch len(s) {
	case 2:
		return set[ftKeyOf(s[:1])] || set[ftKeyOf(s[1:])]
	case 3:
		for i := range s {
			if set[ftKeyOf([]ftEvent{s[i]})] {
				return true
			}
			pair := make([]ftEvent, 0, 2)
			for j := range s {
				if j != i {
					pair = append(pair, s[j])
				}
			}
			if set[ftKeyOf(pair)] {
				return true
			}
		}
	}
	return false
}

// ftMinimalFamily drops duplicate sets and sets that contain another (all sorted, at most
// MaxCutOrder long), keeping the order of the rest.
func ftMinimalFamily(sets [][]ftEvent) [][]ftEvent {
	bySize := slices.Clone(sets)
	slices.SortStableFunc(bySize, func(a, b []ftEvent) int { return len(a) - len(b) })
	kept := map[ftKey]bool{}
	for _, s := range bySize {
		if !kept[ftKeyOf(s)] && !ftHasProperSubset(s, kept) {
			kept[ftKeyOf(s)] = true
		}
	}
	var out [][]ftEvent
	for _, s := range sets {
		if key := ftKeyOf(s); kept[key] {
			out = append(out, s)
			delete(kept, key)
		}
	}
	return out
}

// ftMinimalSorted is ftMinimalFamily of sets, in the order results are reported.
func ftMinimalSorted(sets [][]ftEvent) [][]ftEvent {
	out := ftMinimalFamily(sets)
	ftSortSets(out)
	return out
}

// ftHittingSets returns the minimal hitting sets of size at most k of routes (a minimal
// family), sorted. Every minimal hitting set H is found: each step takes the first route
// not yet hit and branches on its events, one of which is in H, so at most 3^k leaves.
func ftHittingSets(routes [][]ftEvent, k int) [][]ftEvent {
	var found [][]ftEvent
	cur := make([]ftEvent, 0, k)
	var search func(from int)
	search = func(from int) {
		for from < len(routes) && ftHits(cur, routes[from]) {
			from++
		}
		if from == len(routes) {
			found = append(found, slices.Sorted(slices.Values(cur)))
			return
		}
		if len(cur) == k {
			return
		}
		for _, e := range routes[from] {
			cur = append(cur, e)
			search(from + 1)
			cur = cur[:len(cur)-1]
		}
	}
	if len(routes) > 0 {
		search(0)
	}
	return ftMinimalSorted(found)
}

// ftHits reports whether set shares an event with route.
func ftHits(set, route []ftEvent) bool {
	for _, e := range set {
		if slices.Contains(route, e) {
			return true
		}
	}
	return false
}

// ftSortSets orders sets by size, then lexicographically; indexes follow ids, so this is
// the order by event ids.
func ftSortSets(sets [][]ftEvent) {
	slices.SortFunc(sets, func(a, b []ftEvent) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return slices.Compare(a, b)
	})
}
