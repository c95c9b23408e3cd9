package analysis

import (
	"context"
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// Comparison is what appears and what disappears between a baseline (the model at one date,
// nothing down) and a scenario (the model at a date, perhaps another, with some basic events
// down). Each change carries the explanation of the side where it holds: what appears is
// explained by the scenario, what disappears by the baseline. Identical inputs give a
// Comparison whose lists are all empty.
type Comparison struct {
	BaselineAsOf, ScenarioAsOf graph.Date
	Down                       []string // the events down in the scenario, sorted, without repeats
	View                       View
	Threshold                  float64 // of the coalitions compared

	// Gaps of every kind but EXPIRING (a comparison of two dates says more), by identity
	// (Gap.Key), in the order of Gaps.
	GapsAppeared, GapsDisappeared []Gap
	// Single points of failure by (objective, event), ordered so. In the scenario they
	// are the events whose failure alone, on top of Down, makes the objective not
	// achievable.
	SinglePointsAppeared, SinglePointsDisappeared []SinglePointChange
	// Objectives that stop (Lost) or start (Gained) being achievable in the view, by id.
	ObjectivesLost, ObjectivesGained []ObjectiveChange
	// CoalitionMoves are the nations whose coalition changes, by id.
	CoalitionMoves []CoalitionMove
}

// Empty reports whether nothing differs between the two sides.
func (c Comparison) Empty() bool {
	return len(c.GapsAppeared)+len(c.GapsDisappeared)+len(c.SinglePointsAppeared)+len(c.SinglePointsDisappeared)+
		len(c.ObjectivesLost)+len(c.ObjectivesGained)+len(c.CoalitionMoves) == 0
}

// SinglePointChange is one single point of failure of an objective that appears or
// disappears.
type SinglePointChange struct {
	Objective, Event string
	// Explanation is the cut set's: the event (with the scenario's down events that leave
	// it alone), the capability chains and routes it takes down.
	Explanation Explanation
}

// ObjectiveChange is an objective whose achievability changes.
type ObjectiveChange struct {
	Objective string
	// Explanation says why it is not achievable on the side where it is not: the failing
	// capabilities, their chains and providers, and the down events involved.
	Explanation Explanation
}

// CoalitionMove is a nation whose community changes. Communities are compared by their
// members: a nation moves when its co-members in the baseline, less the nations down in
// the scenario, differ from its co-members in the scenario. A nation down in the scenario
// is in no coalition there (After is empty).
type CoalitionMove struct {
	Nation        string
	Before, After []string // its community on each side, itself included, sorted
	// BaselineExplanation and ScenarioExplanation name each side's community and the
	// shared objectives and pursuits that hold it together.
	BaselineExplanation, ScenarioExplanation Explanation
}

// Compare compares base (the baseline, nothing down) with scen and down (the scenario): the
// two models are projections of the same graph, at the same date or not. In the scenario
// a down stakeholder delivers nothing (its provisions, and those of a down nation's
// agencies, do not count for gaps), a down agreement does not count, and a down nation, or
// agency, is out of the coalitions. Cut sets and achievability follow the failure logic
// with the down events down (as WhatIf). threshold is the coalitions' (as Coalitions).
// Errors: EINVALID on "down[i]" for an id that is not a basic event at scen.AsOf, on
// "view.stakeholder", on "threshold"; ETIMEOUT when ctx ends first.
func Compare(ctx context.Context, base, scen *Model, down []string, v View, threshold float64) (Comparison, error) {
	if err := scen.ValidateView(v); err != nil {
		return Comparison{}, err
	}
	if err := base.ValidateView(v); err != nil {
		return Comparison{}, err
	}
	if !(threshold >= 0 && threshold <= 1) {
		return Comparison{}, graph.Errorf(graph.EINVALID, "threshold", "threshold must be between 0 and 1, got %v", threshold)
	}
	for i, id := range down {
		if !scen.IsBasicEvent(id) {
			return Comparison{}, graph.Errorf(graph.EINVALID, fmt.Sprintf("down[%d]", i),
				"%q is not a basic event (a nation, an agency or an agreement in force at %s)", id, scen.AsOf)
		}
	}
	c := Comparison{BaselineAsOf: base.AsOf, ScenarioAsOf: scen.AsOf, View: v, Threshold: threshold,
		Down: slices.Compact(slices.Sorted(slices.Values(down)))}
	if c.Down == nil {
		c.Down = []string{}
	}
	isDown := scen.downSet(c.Down)
	var err error
	if c.GapsAppeared, c.GapsDisappeared, err = compareGaps(ctx, base, scen, isDown); err != nil {
		return Comparison{}, err
	}
	if err := c.compareFailures(ctx, base, scen); err != nil {
		return Comparison{}, err
	}
	if c.CoalitionMoves, err = compareCoalitions(ctx, base, scen, isDown, threshold); err != nil {
		return Comparison{}, err
	}
	return c, nil
}

// downSet is the set of ids down when the events in down are: them, and the agencies of
// a down nation.
func (m *Model) downSet(down []string) map[string]bool {
	out := make(map[string]bool, len(down))
	for _, id := range down {
		out[id] = true
		for _, ag := range m.AgenciesOf[id] {
			out[ag] = true
		}
	}
	return out
}

// without projects m again leaving out what isDown takes away: the provisions of down
// stakeholders, down agreements with their relationships, and, when stakeholders is set,
// the down stakeholders themselves with all their relationships — and then, for the
// coalitions, everything but the interests (PURSUES, PART_OF), which keeps a second copy
// of a large model small.
func (m *Model) without(isDown map[string]bool, stakeholders bool) *Model {
	nodes := make([]graph.Node, 0, len(m.Nodes))
	for id, n := range m.Nodes {
		if isDown[id] && (n.Label == graph.LabelAgreement || stakeholders) {
			continue
		}
		nodes = append(nodes, *n)
	}
	rels := make([]graph.Relationship, 0, len(m.Relationships))
	for _, r := range m.Relationships {
		if r.Type == graph.RelProvides && isDown[r.From] ||
			stakeholders && r.Type != graph.RelPursues && r.Type != graph.RelPartOf {
			continue
		}
		rels = append(rels, r)
	}
	return NewModel(nodes, rels, m.AsOf)
}

// compareKinds are the gap kinds a comparison reports.
var compareKinds = []string{GapCoverage, GapAccess, GapSingleSource, GapUnaddressedThreat, GapUnspecified}

// compareGaps returns the gaps of the scenario absent from the baseline and those of the
// baseline absent from the scenario. An appearing gap's explanation also names the down
// provisions and agreements of its capability that the scenario took away.
func compareGaps(ctx context.Context, base, scen *Model, isDown map[string]bool) (appeared, disappeared []Gap, err error) {
	scenGaps := scen
	if len(isDown) > 0 {
		scenGaps = scen.without(isDown, false)
	}
	// Both sides may hold hundreds of thousands of gaps: compare them unexplained and
	// explain only those that change.
	ixBefore, before, err := gapsUnexplained(ctx, base, compareKinds)
	if err != nil {
		return nil, nil, err
	}
	ixAfter, after, err := gapsUnexplained(ctx, scenGaps, compareKinds)
	if err != nil {
		return nil, nil, err
	}
	// Both lists are in key order: one merge finds the differences without hashing
	// hundreds of thousands of keys.
	appeared, disappeared = []Gap{}, []Gap{}
	for i, j := 0, 0; i < len(before) || j < len(after); {
		c := 0
		switch {
		case i == len(before):
			c = 1
		case j == len(after):
			c = -1
		default:
			c = compareGapKeys(before[i].Key(), after[j].Key())
		}
		switch {
		case c < 0:
			disappeared = append(disappeared, before[i])
			i++
		case c > 0:
			appeared = append(appeared, after[j])
			j++
		default:
			i++
			j++
		}
	}
	ixAfter.explainAll(appeared)
	ixBefore.explainAll(disappeared)
	if len(isDown) > 0 {
		for i, g := range appeared {
			if g.Capability == "" {
				continue
			}
			var ex explainer
			ex.merge(g.Explanation)
			scen.explainDownProvision(&ex, g.Capability, isDown)
			appeared[i].Explanation = ex.build()
		}
	}
	return appeared, disappeared, nil
}

// explainDownProvision adds the provisions of x the scenario's down events take away: down
// providers (and the nation taking an agency down) and down agreements governing x.
func (m *Model) explainDownProvision(ex *explainer, x string, isDown map[string]bool) {
	for _, p := range m.Providers[x] {
		if !isDown[p.Stakeholder] {
			continue
		}
		ex.node(p.Stakeholder)
		ex.rel(p.Rel)
		if n := m.NationOf[p.Stakeholder]; n != "" && isDown[n] {
			ex.node(n)
			ex.rel(graph.RelKey{Type: graph.RelPartOf, From: p.Stakeholder, To: n})
		}
	}
	for _, a := range m.GovernedBy[x] {
		if isDown[a] {
			ex.node(a)
			ex.rel(graph.RelKey{Type: graph.RelGoverns, From: a, To: x})
		}
	}
}

// cmpSide is one side's failure logic: the events down, by index.
type cmpSide struct {
	fl    *failureLogic
	cause map[ftEvent]bool
}

// singles returns whether o is achievable on this side and, if so, its single points of
// failure there: the events that, down on top of the side's, leave some closure member of
// o without a route. With nothing down these are o's order-1 minimal cut sets.
func (s cmpSide) singles(o string) (bool, []ftEvent) {
	var sets [][]ftEvent
	for _, x := range s.fl.objectiveClosure(o) {
		var routes [][]ftEvent
		for _, r := range s.fl.member(x).minimal {
			if !slices.ContainsFunc(r, func(e ftEvent) bool { return s.cause[e] }) {
				routes = append(routes, r)
			}
		}
		if len(routes) == 0 {
			return false, nil
		}
		sets = append(sets, ftHittingSets(routes, 1)...)
	}
	out := make([]ftEvent, 0, len(sets))
	for _, set := range sets {
		out = append(out, set[0])
	}
	return true, slices.Compact(slices.Sorted(slices.Values(out)))
}

// explain says why o is not achievable with the events in cause down (the side's own and
// perhaps one more): the failing closure members, their chains and routes.
func (s cmpSide) explain(o string, cause map[ftEvent]bool) Explanation {
	failed := map[string]bool{}
	for _, x := range s.fl.objectiveClosure(o) {
		if s.fl.down(x, cause) {
			failed[x] = true
		}
	}
	var ex explainer
	for e := range cause {
		if s.fl.involved(e, o, failed) {
			ex.node(s.fl.events[e])
		}
	}
	s.fl.explainObjective(&ex, o, failed, cause)
	return ex.build()
}

// involved reports whether event e lies on a route of one of the failed members of o.
func (fl *failureLogic) involved(e ftEvent, o string, failed map[string]bool) bool {
	for x := range failed {
		for _, r := range fl.member(x).minimal {
			if slices.Contains(r, e) {
				return true
			}
		}
	}
	return false
}

// with returns cause plus event e, as a new set.
func with(cause map[ftEvent]bool, e ftEvent) map[ftEvent]bool {
	out := make(map[ftEvent]bool, len(cause)+1)
	for k := range cause {
		out[k] = true
	}
	out[e] = true
	return out
}

// compareFailures fills the single points and objective changes of c.
func (c *Comparison) compareFailures(ctx context.Context, base, scen *Model) error {
	b := cmpSide{fl: base.newFailureLogic(c.View), cause: map[ftEvent]bool{}}
	s := cmpSide{fl: scen.newFailureLogic(c.View), cause: map[ftEvent]bool{}}
	for _, id := range c.Down {
		s.cause[s.fl.index[id]] = true
	}
	c.SinglePointsAppeared, c.SinglePointsDisappeared = []SinglePointChange{}, []SinglePointChange{}
	c.ObjectivesLost, c.ObjectivesGained = []ObjectiveChange{}, []ObjectiveChange{}
	// Objectives are the same nodes on both sides (only agreements come and go with dates).
	for _, o := range scen.IDs(graph.LabelObjective) {
		if err := s.fl.tick(ctx, len(s.fl.objectiveClosure(o))); err != nil {
			return err
		}
		okB, singlesB := b.singles(o)
		okS, singlesS := s.singles(o)
		switch {
		case okB && !okS:
			c.ObjectivesLost = append(c.ObjectivesLost, ObjectiveChange{Objective: o, Explanation: s.explain(o, s.cause)})
		case !okB && okS:
			c.ObjectivesGained = append(c.ObjectivesGained, ObjectiveChange{Objective: o, Explanation: b.explain(o, b.cause)})
		}
		inB := make(map[string]bool, len(singlesB))
		for _, e := range singlesB {
			inB[b.fl.events[e]] = true
		}
		inS := make(map[string]bool, len(singlesS))
		for _, e := range singlesS {
			id := s.fl.events[e]
			inS[id] = true
			if !inB[id] {
				c.SinglePointsAppeared = append(c.SinglePointsAppeared, SinglePointChange{Objective: o, Event: id, Explanation: s.explain(o, with(s.cause, e))})
			}
		}
		for _, e := range singlesB {
			if id := b.fl.events[e]; !inS[id] {
				c.SinglePointsDisappeared = append(c.SinglePointsDisappeared, SinglePointChange{Objective: o, Event: id, Explanation: b.explain(o, with(b.cause, e))})
			}
		}
	}
	return nil
}

// compareCoalitions runs Coalitions on both sides (without the down stakeholders in the
// scenario) and reports the nations whose co-members change.
func compareCoalitions(ctx context.Context, base, scen *Model, isDown map[string]bool, threshold float64) ([]CoalitionMove, error) {
	scenC := scen
	if len(isDown) > 0 {
		scenC = scen.without(isDown, true)
	}
	before, err := base.Coalitions(ctx, threshold)
	if err != nil {
		return nil, err
	}
	after, err := scenC.Coalitions(ctx, threshold)
	if err != nil {
		return nil, err
	}
	communityOf := func(c Coalitions) map[string][]string {
		out := map[string][]string{}
		for _, members := range c.Communities {
			for _, n := range members {
				out[n] = members
			}
		}
		return out
	}
	cb, ca := communityOf(before), communityOf(after)
	nations := slices.Compact(slices.Sorted(slices.Values(append(base.IDs(graph.LabelNation), scen.IDs(graph.LabelNation)...))))
	moves := []CoalitionMove{}
	for _, n := range nations {
		b, a := cb[n], ca[n]
		if b == nil {
			b = []string{}
		}
		if a == nil {
			a = []string{}
		}
		stay := slices.DeleteFunc(slices.Clone(b), func(x string) bool { return isDown[x] })
		if !isDown[n] && slices.Equal(stay, a) {
			continue
		}
		if isDown[n] && len(b) == 0 {
			continue // in no coalition to leave
		}
		moves = append(moves, CoalitionMove{Nation: n, Before: b, After: a,
			BaselineExplanation: base.explainCommunity(b), ScenarioExplanation: scenC.explainCommunity(a)})
	}
	return moves, nil
}

// explainCommunity names a community's members and, when it has two or more, the
// objectives pursued by at least two of them with the pursuits behind those interests.
func (m *Model) explainCommunity(members []string) Explanation {
	var ex explainer
	ex.node(members...)
	if len(members) < 2 {
		return ex.build()
	}
	interests := make([][]ovInterest, len(members))
	count := map[string]int{}
	for i, n := range members {
		interests[i] = m.ovInterests(n)
		for _, x := range interests[i] {
			count[x.objective]++
		}
	}
	for _, vs := range interests {
		for _, x := range vs {
			if count[x.objective] >= 2 {
				ex.node(x.objective)
				ovExplainInterest(&ex, x)
			}
		}
	}
	return ex.build()
}
