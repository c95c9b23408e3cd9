package analysis

import (
	"cmp"
	"context"
	"slices"
)

// Importance ranks one basic event's contribution to an objective's failure probability
// P (docs/analyses.md, "Failure logic"), with P1 and P0 the probability when the event is surely down and surely
// up. The definitions are SCRAM's (`scram --importance`), so the oracle test compares them.
// A ratio whose denominator is zero is reported as 0, a value none of them takes otherwise
// when defined (RAW and RRW are at least 1); JSON never sees NaN or Inf.
type Importance struct {
	Event string
	// Birnbaum is P1 - P0 (SCRAM's MIF).
	Birnbaum float64
	// FussellVesely is (P - P0) / P, the share of the failure probability that goes away
	// when the event never fails (SCRAM prints it as CIF; 0 when P = 0).
	FussellVesely float64
	// Diagnosis is q·P1 / P, the probability that the event is down given the objective
	// failed (SCRAM's DIF, which SCRAM calls the Fussell–Vesely diagnosis factor; 0 when
	// P = 0).
	Diagnosis float64
	// RAW, risk achievement worth, is P1 / P (0 when P = 0).
	RAW float64
	// RRW, risk reduction worth, is P / P0 (0 when P0 = 0: the event is in every way the
	// objective can fail, and making it reliable removes all risk).
	RRW float64
}

// Resilience summarises how an objective can fail (docs/analyses.md, "Analyses").
type Resilience struct {
	Objective  string
	Achievable bool // with every basic event up
	// MinCutOrder is the order of the smallest minimal cut set; 0 when there is none (the
	// objective is not achievable, or requires nothing).
	MinCutOrder int
	// Probability is the exact probability that the objective is not achievable, with
	// q = 1 - reliability per independent basic event; 1 when it is not achievable even
	// with everything up.
	Probability float64
	// Importance lists every basic event the objective depends on, by Birnbaum measure
	// (highest first), then by id.
	Importance []Importance
}

// Resilience computes the minimum cut order, exact failure probability and importance
// ranking of objective o in view v, from a BDD of its fault tree.
// Errors: EINVALID for a bad view, ENOTFOUND for an unknown objective, ETIMEOUT when ctx
// ends first, ETOOCOMPLEX when the BDD would pass bddMaxNodes.
func (m *Model) Resilience(ctx context.Context, o string, v View) (Resilience, error) {
	if err := m.ValidateView(v); err != nil {
		return Resilience{}, err
	}
	if err := m.checkObjective(o); err != nil {
		return Resilience{}, err
	}
	return m.newFailureLogic(v).resilience(ctx, o)
}

// resilience is Resilience on a prepared failure logic.
func (fl *failureLogic) resilience(ctx context.Context, o string) (Resilience, error) {
	res := Resilience{Objective: o, Achievable: true, Importance: []Importance{}}
	closure := fl.objectiveClosure(o)
	for _, x := range closure {
		if fl.dead(x) {
			res.Achievable, res.Probability = false, 1
			return res, nil
		}
	}
	b, root, vars, err := fl.objectiveBDD(ctx, closure)
	if err != nil {
		return Resilience{}, err
	}
	q := make([]float64, len(vars))
	for level, e := range vars {
		q[level] = 1 - fl.m.Nodes[fl.events[e]].ReliabilityOrOne()
	}
	ms := b.measure(root, q)
	res.Probability, res.MinCutOrder = ms.p, ms.minHi
	for level, e := range vars {
		if !ms.support[level] {
			continue
		}
		res.Importance = append(res.Importance, ftImportanceOf(fl.events[e], q[level], ms.p, ms.p1[level], ms.p0[level], ms.mif[level]))
	}
	slices.SortFunc(res.Importance, func(a, b Importance) int {
		if c := cmp.Compare(b.Birnbaum, a.Birnbaum); c != 0 {
			return c
		}
		return cmp.Compare(a.Event, b.Event)
	})
	return res, nil
}

// ftImportanceOf derives the measures from P, the event's q, P1, P0 and Birnbaum measure.
// P - P0 = q·Birnbaum exactly, which Fussell–Vesely uses instead of subtracting two
// nearly equal numbers.
func ftImportanceOf(event string, q, p, p1, p0, mif float64) Importance {
	imp := Importance{Event: event, Birnbaum: mif}
	if p > 0 {
		imp.FussellVesely = q * mif / p
		imp.Diagnosis = q * p1 / p
		imp.RAW = p1 / p
	}
	if p0 > 0 {
		imp.RRW = p / p0
	}
	return imp
}

// objectiveBDD builds the BDD of "the objective fails" over the closure members (none
// dead): OR over members of AND over routes of OR over events. Variables are ordered by
// first appearance, which keeps each route's events and each member's routes together.
// vars maps a level to its event.
func (fl *failureLogic) objectiveBDD(ctx context.Context, closure []string) (*bdd, int32, []ftEvent, error) {
	b := newBDD(ctx)
	level := map[ftEvent]int32{}
	var vars []ftEvent
	for _, x := range closure {
		for _, r := range fl.member(x).minimal {
			for _, e := range r {
				if _, ok := level[e]; !ok {
					level[e] = int32(len(vars))
					vars = append(vars, e)
				}
			}
		}
	}
	// Build bottom-up in reverse order so that each apply mostly prepends a top variable.
	top := bddFalse
	for i := len(closure) - 1; i >= 0; i-- {
		routes := fl.member(closure[i]).minimal
		fails := bddTrue
		for j := len(routes) - 1; j >= 0; j-- {
			down := bddFalse
			r := routes[j]
			for k := len(r) - 1; k >= 0; k-- {
				down = b.apply(false, b.variable(level[r[k]]), down)
			}
			fails = b.apply(true, down, fails)
		}
		top = b.apply(false, fails, top)
		if b.err != nil {
			return nil, 0, nil, b.err
		}
	}
	if err := ftCtxErr(ctx); err != nil {
		return nil, 0, nil, err
	}
	return b, top, vars, nil
}
