package analysis

import (
	"context"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// Impact is everything downstream of one node (docs/analyses.md, "Analyses"), all lists sorted by id.
type Impact struct {
	Node string
	// Capabilities are those the node provides, governs or is, and every capability whose
	// closure contains one of them.
	Capabilities []string
	// Objectives require one of Capabilities; Stakeholders pursue one of Objectives.
	Objectives   []string
	Stakeholders []string
	// SinglePointOf are the Objectives for which the node, a basic event, is a single point
	// of failure in the view.
	SinglePointOf []string
	Explanation   Explanation
}

// Impact computes the impact of the stakeholder, agreement or capability id in view v. A
// nation's own capabilities include its agencies' provisions, since its failure takes
// them down (docs/analyses.md, "Failure logic"); this keeps SinglePointOf a subset of Objectives.
// Errors: ENOTFOUND for an unknown id or an agreement not in force at AsOf, EINVALID for an
// objective or threat or a bad view, ETIMEOUT.
func (m *Model) Impact(ctx context.Context, id string, v View) (Impact, error) {
	if err := m.ValidateView(v); err != nil {
		return Impact{}, err
	}
	if err := ftCtxErr(ctx); err != nil {
		return Impact{}, err
	}
	n := m.Nodes[id]
	if n == nil || !m.counts(n) {
		return Impact{}, graph.Errorf(graph.ENOTFOUND, "id", "no node %q at %s", id, m.AsOf)
	}
	var ex explainer
	ex.node(id)
	seeds := map[string]bool{}
	switch n.Label {
	case graph.LabelNation, graph.LabelAgency:
		providers := []string{id}
		if n.Label == graph.LabelNation {
			for _, a := range m.AgenciesOf[id] {
				providers = append(providers, a)
				if len(m.Provides[a]) > 0 {
					ex.node(a)
					ex.rel(graph.RelKey{Type: graph.RelPartOf, From: a, To: id})
				}
			}
		}
		for _, s := range providers {
			for _, p := range m.Provides[s] {
				seeds[p.Capability] = true
				ex.rel(p.Rel)
			}
		}
	case graph.LabelAgreement:
		for _, c := range m.Governs[id] {
			seeds[c] = true
			ex.rel(graph.RelKey{Type: graph.RelGoverns, From: id, To: c})
		}
	case graph.LabelCapability:
		seeds[id] = true
	default:
		return Impact{}, graph.Errorf(graph.EINVALID, "id", "%q is a %s: impact is defined for stakeholders, agreements and capabilities", id, n.Label)
	}

	fl := m.newFailureLogic(v)
	down := fl.dependents(seeds)
	res := Impact{Node: id, Capabilities: explainSorted(ftSet(down))}
	objectives, stakeholders := map[string]struct{}{}, map[string]struct{}{}
	for _, c := range res.Capabilities {
		ex.node(c)
		for _, d := range m.DependsOn[c] {
			if down[d] {
				ex.rel(graph.RelKey{Type: graph.RelDependsOn, From: c, To: d})
			}
		}
		for _, o := range m.RequiredBy[c] {
			objectives[o] = struct{}{}
			ex.node(o)
			ex.rel(graph.RelKey{Type: graph.RelRequires, From: o, To: c})
		}
	}
	res.Objectives = explainSorted(objectives)
	for _, o := range res.Objectives {
		for _, p := range m.Pursuers[o] {
			stakeholders[p.Objective] = struct{}{}
			ex.node(p.Objective)
			ex.rel(p.Rel)
		}
	}
	res.Stakeholders = explainSorted(stakeholders)

	res.SinglePointOf = []string{}
	if e, ok := fl.index[id]; ok {
		for _, o := range res.Objectives {
			achievable, sets, err := fl.minimalCutSets(ctx, o, 1)
			if err != nil {
				return Impact{}, err
			}
			if achievable && slices.ContainsFunc(sets, func(s []ftEvent) bool { return s[0] == e }) {
				res.SinglePointOf = append(res.SinglePointOf, o)
			}
		}
	}
	res.Explanation = ex.build()
	return res, nil
}

func ftSet(m map[string]bool) map[string]struct{} {
	out := make(map[string]struct{}, len(m))
	for k := range m {
		out[k] = struct{}{}
	}
	return out
}
