package analysis

import (
	"context"
	"fmt"

	"github.com/stakegraph/stakegraph/graph"
)

// FailureAnalysis is the failure analysis of one objective in one view: its minimal cut
// sets up to some order, which include its single points of failure, and its resilience.
type FailureAnalysis struct {
	ObjectiveCutSets
	// Resilience is nil when it was not asked for, or when ResilienceErr says why: the
	// decision diagram of this objective was too large (ETOOCOMPLEX). One such objective
	// does not void the batch.
	Resilience    *Resilience
	ResilienceErr error
}

// SinglePointsOfFailure returns the order-1 cut sets of the analysis: its single points of failure.
func (fa FailureAnalysis) SinglePointsOfFailure() []CutSet {
	out := []CutSet{}
	for _, cs := range fa.CutSets {
		if len(cs.Events) == 1 {
			out = append(out, cs)
		}
	}
	return out
}

// FailureAnalyses runs cut sets (to maxOrder), single points of failure and, when
// resilience is set, resilience for each objective in objectives (every objective, by id,
// when empty), sharing one failure logic so that capabilities common to many objectives
// are worked out once. Resilience is optional because its decision diagrams cost far more
// than cut sets on a large model. Results keep the order asked. Errors: EINVALID for
// maxOrder outside 1..3, a bad view, or "objectives[i]" naming no objective or repeating
// one; ETIMEOUT when ctx ends first. ETOOCOMPLEX for one objective's resilience is
// reported in its ResilienceErr only.
func (m *Model) FailureAnalyses(ctx context.Context, objectives []string, v View, maxOrder int, resilience bool) ([]FailureAnalysis, error) {
	if err := m.checkCutSetArgs(v, maxOrder); err != nil {
		return nil, err
	}
	if len(objectives) == 0 {
		objectives = m.IDs(graph.LabelObjective)
	}
	seen := make(map[string]int, len(objectives))
	for i, o := range objectives {
		field := fmt.Sprintf("objectives[%d]", i)
		if j, ok := seen[o]; ok {
			return nil, graph.Errorf(graph.EINVALID, field, "%q repeats objectives[%d]", o, j)
		}
		seen[o] = i
		if err := m.checkObjective(o); err != nil {
			return nil, graph.Errorf(graph.EINVALID, field, "no objective %q", o)
		}
	}
	fl := m.newFailureLogic(v)
	out := make([]FailureAnalysis, 0, len(objectives))
	for _, o := range objectives {
		cs, err := fl.objectiveCutSets(ctx, o, maxOrder)
		if err != nil {
			return nil, err
		}
		fa := FailureAnalysis{ObjectiveCutSets: cs}
		if !resilience {
			out = append(out, fa)
			continue
		}
		res, err := fl.resilience(ctx, o)
		switch {
		case graph.ErrorCode(err) == graph.ETOOCOMPLEX:
			fa.ResilienceErr = err
		case err != nil:
			return nil, err
		default:
			fa.Resilience = &res
		}
		out = append(out, fa)
	}
	return out, nil
}
