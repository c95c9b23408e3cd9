package analysis

import (
	"context"
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// WhatIf is what stops working when some basic events go down (docs/analyses.md, "Analyses"): the objectives
// achievable and capabilities available with everything up that are not any more.
type WhatIf struct {
	Down         []string // the events set down, sorted and without duplicates
	Objectives   []Lost
	Capabilities []Lost
}

// Lost is one objective or capability that stops working, with the down events, capability
// chains, providers and relationships that make it so.
type Lost struct {
	ID          string
	Explanation Explanation
}

// WhatIf sets the basic events in down down and reports, in view v, which objectives stop
// being achievable and which capabilities stop being available, both sorted by id.
// Errors: EINVALID on "down[i]" for an id that is not a basic event at AsOf, or for a bad
// view; ETIMEOUT.
func (m *Model) WhatIf(ctx context.Context, down []string, v View) (WhatIf, error) {
	if err := m.ValidateView(v); err != nil {
		return WhatIf{}, err
	}
	for i, id := range down {
		if !m.IsBasicEvent(id) {
			return WhatIf{}, graph.Errorf(graph.EINVALID, fmt.Sprintf("down[%d]", i),
				"%q is not a basic event (a nation, an agency or an agreement in force at %s)", id, m.AsOf)
		}
	}
	if err := ftCtxErr(ctx); err != nil {
		return WhatIf{}, err
	}
	fl := m.newFailureLogic(v)
	cause := map[ftEvent]bool{}
	for _, id := range down {
		cause[fl.index[id]] = true
	}
	res := WhatIf{Down: slices.Compact(slices.Sorted(slices.Values(down))), Objectives: []Lost{}, Capabilities: []Lost{}}
	if res.Down == nil {
		res.Down = []string{}
	}

	// A capability is unavailable when some member of its closure fails, that is when it
	// reaches a failing member over DEPENDS_ON: walk back from the failing members.
	capabilities := m.IDs(graph.LabelCapability)
	deadBefore, failedNow := map[string]bool{}, map[string]bool{}
	for _, x := range capabilities {
		if err := fl.tick(ctx, 1); err != nil {
			return WhatIf{}, err
		}
		if fl.dead(x) {
			deadBefore[x] = true
		} else if fl.down(x, cause) {
			failedNow[x] = true
		}
	}
	unavailBefore, unavailNow := fl.dependents(deadBefore), fl.dependents(failedNow)
	for _, c := range capabilities {
		if !unavailNow[c] || unavailBefore[c] {
			continue
		}
		var ex explainer
		ex.node(c)
		fl.explainFailure(&ex, []string{c}, failedNow, cause)
		res.Capabilities = append(res.Capabilities, Lost{ID: c, Explanation: ex.build()})
	}
	for _, o := range m.IDs(graph.LabelObjective) {
		if err := fl.tick(ctx, 1); err != nil {
			return WhatIf{}, err
		}
		lost := false
		for _, c := range m.Requires[o] {
			if unavailBefore[c] {
				lost = false
				break
			}
			lost = lost || unavailNow[c]
		}
		if !lost {
			continue
		}
		var ex explainer
		fl.explainObjective(&ex, o, failedNow, cause)
		res.Objectives = append(res.Objectives, Lost{ID: o, Explanation: ex.build()})
	}
	return res, nil
}

// dependents returns the capabilities that reach one of from over DEPENDS_ON, from
// included: those whose closure contains one of them.
func (fl *failureLogic) dependents(from map[string]bool) map[string]bool {
	out := make(map[string]bool, len(from))
	var stack []string
	for x := range from {
		out[x] = true
		stack = append(stack, x)
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, y := range fl.m.DependedBy[x] {
			if !out[y] {
				out[y] = true
				stack = append(stack, y)
			}
		}
	}
	return out
}
