package analysis

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// Shared is an objective both stakeholders of an Overlap pursue, with each one's priority.
type Shared struct {
	Objective            string
	PriorityA, PriorityB int
}

// Conflict is a pair of conflicting objectives (docs/analyses.md, "Analyses"): A pursues ObjectiveA, B pursues
// ObjectiveB, and the two are joined by CONFLICTS_WITH in either direction.
type Conflict struct {
	ObjectiveA, ObjectiveB string
	Explanation            Explanation
}

// Overlap is how far the interests of stakeholders A and B coincide (docs/analyses.md, "Analyses"). A nation
// speaks for its agencies throughout: its objectives, priorities and conflicts include
// theirs.
type Overlap struct {
	A, B string
	// Score is the weighted Jaccard index Σmin(pA,pB)/Σmax(pA,pB) over the union of both
	// stakeholders' objectives, a missing priority counting as 0.
	Score     float64
	Shared    []Shared   // sorted by objective id
	Conflicts []Conflict // sorted by (ObjectiveA, ObjectiveB)
	// Explanation names A, B, the shared objectives and the PURSUES relationships (with the
	// PART_OF of an agency that lends its nation a priority) behind the shared priorities.
	Explanation Explanation
}

// ovInterest is one objective of a stakeholder's interest vector: its effective priority
// and the relationships that give it (PURSUES, plus PART_OF when an agency lends it to its
// nation).
type ovInterest struct {
	objective string
	priority  int
	rels      []graph.RelKey
}

// ovInterests is s's interest vector sorted by objective. A nation speaks for its agencies,
// so its priority for O is the max over itself and them; an agency's priority is its own.
func (m *Model) ovInterests(s string) []ovInterest {
	n := m.Nodes[s]
	if n == nil || n.Label != graph.LabelNation || len(m.AgenciesOf[s]) == 0 {
		out := make([]ovInterest, 0, len(m.Pursues[s]))
		for _, p := range m.Pursues[s] {
			out = append(out, ovInterest{objective: p.Objective, priority: p.Priority, rels: []graph.RelKey{p.Rel}})
		}
		return out
	}
	byObj := map[string]*ovInterest{}
	add := func(p Pursuit, via graph.RelKey) {
		rels := []graph.RelKey{p.Rel}
		if via.Type != "" {
			rels = append(rels, via)
		}
		cur := byObj[p.Objective]
		switch {
		case cur == nil:
			byObj[p.Objective] = &ovInterest{objective: p.Objective, priority: p.Priority, rels: rels}
		case p.Priority > cur.priority:
			cur.priority, cur.rels = p.Priority, rels
		case p.Priority == cur.priority:
			cur.rels = append(cur.rels, rels...)
		}
	}
	for _, p := range m.Pursues[s] {
		add(p, graph.RelKey{})
	}
	for _, ag := range m.AgenciesOf[s] {
		for _, p := range m.Pursues[ag] {
			add(p, graph.RelKey{Type: graph.RelPartOf, From: ag, To: s})
		}
	}
	out := make([]ovInterest, 0, len(byObj))
	for _, v := range byObj {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b ovInterest) int { return cmp.Compare(a.objective, b.objective) })
	return out
}

// ovScore is the weighted Jaccard index of two interest vectors sorted by objective.
// Priorities are integers, so both sums are exact and the score is reproducible bit for bit.
func ovScore(a, b []ovInterest) float64 {
	lo, hi := 0, 0
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].objective < b[j].objective:
			hi += a[i].priority
			i++
		case i == len(a) || b[j].objective < a[i].objective:
			hi += b[j].priority
			j++
		default:
			lo += min(a[i].priority, b[j].priority)
			hi += max(a[i].priority, b[j].priority)
			i++
			j++
		}
	}
	if hi == 0 {
		return 0
	}
	return float64(lo) / float64(hi)
}

// ovStakeholder checks that id names a stakeholder and returns its interest vector, empty
// when it pursues nothing.
func (m *Model) ovStakeholder(id, field string) ([]ovInterest, error) {
	n := m.Nodes[id]
	if n == nil {
		return nil, graph.Errorf(graph.EINVALID, field, "unknown stakeholder %q", id)
	}
	if !n.Label.IsStakeholder() {
		return nil, graph.Errorf(graph.EINVALID, field, "%q is a %s, not a nation or agency", id, n.Label)
	}
	return m.ovInterests(id), nil
}

// Overlap compares the interests of stakeholders a and b (docs/analyses.md, "Analyses"). When only one of
// them pursues something the union of their objectives is not empty: the score is 0, with
// nothing shared and no conflict. Errors: EINVALID (field "a" or "b") when an id is not a
// stakeholder; EINVALID (field "b") when neither pursues anything, since a score over an
// empty union would be 0/0.
func (m *Model) Overlap(a, b string) (Overlap, error) {
	va, err := m.ovStakeholder(a, "a")
	if err != nil {
		return Overlap{}, err
	}
	vb, err := m.ovStakeholder(b, "b")
	if err != nil {
		return Overlap{}, err
	}
	if len(va) == 0 && len(vb) == 0 {
		return Overlap{}, graph.Errorf(graph.EINVALID, "b", "neither %q nor %q pursues an objective, so their overlap is undefined", a, b)
	}
	return m.ovBuild(a, b, va, vb, m.ovConflictRels()), nil
}

// ovConflictRels maps each unordered pair of objectives to its CONFLICTS_WITH relationship
// as stored, so that explanations name the real relationship whichever way it points.
func (m *Model) ovConflictRels() map[[2]string]graph.RelKey {
	out := map[[2]string]graph.RelKey{}
	for _, r := range m.Relationships {
		if r.Type == graph.RelConflictsWith {
			out[[2]string{min(r.From, r.To), max(r.From, r.To)}] = r.Key()
		}
	}
	return out
}

func (m *Model) ovBuild(a, b string, va, vb []ovInterest, conflictRels map[[2]string]graph.RelKey) Overlap {
	o := Overlap{A: a, B: b, Score: ovScore(va, vb), Shared: []Shared{}, Conflicts: []Conflict{}}
	var ex explainer
	ex.node(a, b)
	inB := make(map[string]*ovInterest, len(vb))
	for i := range vb {
		inB[vb[i].objective] = &vb[i]
	}
	for _, x := range va {
		y := inB[x.objective]
		if y == nil {
			continue
		}
		o.Shared = append(o.Shared, Shared{Objective: x.objective, PriorityA: x.priority, PriorityB: y.priority})
		ex.node(x.objective)
		ovExplainInterest(&ex, x)
		ovExplainInterest(&ex, *y)
	}
	for _, x := range va {
		for _, other := range m.Conflicts[x.objective] {
			y := inB[other]
			if y == nil {
				continue
			}
			var cx explainer
			cx.node(a, b, x.objective, y.objective)
			cx.rel(conflictRels[[2]string{min(x.objective, other), max(x.objective, other)}])
			ovExplainInterest(&cx, x)
			ovExplainInterest(&cx, *y)
			o.Conflicts = append(o.Conflicts, Conflict{ObjectiveA: x.objective, ObjectiveB: other, Explanation: cx.build()})
		}
	}
	// va is sorted and Conflicts[o] is sorted, so Conflicts is already in (A, B) order.
	o.Explanation = ex.build()
	return o
}

// ovExplainInterest adds the relationships behind an interest and the agencies lending it.
func ovExplainInterest(ex *explainer, x ovInterest) {
	ex.rel(x.rels...)
	for _, r := range x.rels {
		ex.node(r.From)
	}
}

// Partners ranks every other stakeholder with a's label by overlap score, highest first,
// ties by id (docs/analyses.md, "Analyses"); limit > 0 keeps the first limit. A candidate that pursues nothing
// scores 0 (a pursues something, so the union is not empty). Errors: EINVALID (field "a")
// when a is not a stakeholder or pursues nothing, EINVALID (field "limit") for a negative
// limit.
func (m *Model) Partners(a string, limit int) ([]Overlap, error) {
	va, err := m.ovStakeholder(a, "a")
	if err != nil {
		return nil, err
	}
	if len(va) == 0 {
		// Every candidate would score 0 or be undefined: there is no ranking to give.
		return nil, graph.Errorf(graph.EINVALID, "a", "%q pursues no objective, so it has no partners to rank", a)
	}
	if limit < 0 {
		return nil, graph.Errorf(graph.EINVALID, "limit", "limit must not be negative, got %d", limit)
	}
	type cand struct {
		id    string
		v     []ovInterest
		score float64
	}
	var cands []cand
	for _, id := range m.IDs(m.Nodes[a].Label) {
		if id == a {
			continue
		}
		v := m.ovInterests(id)
		cands = append(cands, cand{id: id, v: v, score: ovScore(va, v)})
	}
	slices.SortFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	})
	if limit > 0 && len(cands) > limit {
		cands = cands[:limit]
	}
	// Details (shared objectives, conflicts, explanations) only for the partners returned.
	conflictRels := m.ovConflictRels()
	out := make([]Overlap, 0, len(cands))
	for _, c := range cands {
		out = append(out, m.ovBuild(a, c.id, va, c.v, conflictRels))
	}
	return out, nil
}

// MaxMatrix bounds the stakeholders of one OverlapMatrix: 200 give 19,900 pairs.
const MaxMatrix = 200

// OverlapMatrix is the overlap of every pair of a set of stakeholders.
type OverlapMatrix struct {
	Stakeholders []string // as given
	// Scores[i][j] is the score of Stakeholders[i] and Stakeholders[j] (symmetric; 1 on the
	// diagonal), nil where both pursue nothing and the score is undefined.
	Scores [][]*float64
	// Pairs holds the full Overlap of every defined pair i < j, in row order.
	Pairs []Overlap
}

// OverlapMatrix compares every pair of stakeholders in ids (docs/analyses.md, "Analyses", Overlap) in one
// pass: an undefined pair (both pursue nothing) is a nil score, not an error, so that one
// idle stakeholder does not void the whole matrix. Errors: EINVALID (field "ids[i]") for
// an id that is not a stakeholder or repeats one before it, EINVALID (field "ids") for
// none or more than MaxMatrix.
func (m *Model) OverlapMatrix(ids []string) (OverlapMatrix, error) {
	if len(ids) == 0 || len(ids) > MaxMatrix {
		return OverlapMatrix{}, graph.Errorf(graph.EINVALID, "ids", "ids must name 1 to %d stakeholders, got %d", MaxMatrix, len(ids))
	}
	vs := make([][]ovInterest, len(ids))
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		field := fmt.Sprintf("ids[%d]", i)
		if j, ok := seen[id]; ok {
			return OverlapMatrix{}, graph.Errorf(graph.EINVALID, field, "%q repeats ids[%d]", id, j)
		}
		seen[id] = i
		v, err := m.ovStakeholder(id, field)
		if err != nil {
			return OverlapMatrix{}, err
		}
		vs[i] = v
	}
	out := OverlapMatrix{Stakeholders: slices.Clone(ids), Scores: make([][]*float64, len(ids)), Pairs: []Overlap{}}
	for i := range ids {
		out.Scores[i] = make([]*float64, len(ids))
	}
	conflictRels := m.ovConflictRels()
	for i := range ids {
		for j := i; j < len(ids); j++ {
			if len(vs[i]) == 0 && len(vs[j]) == 0 {
				continue
			}
			score := ovScore(vs[i], vs[j])
			out.Scores[i][j], out.Scores[j][i] = &score, &score
			if i < j {
				out.Pairs = append(out.Pairs, m.ovBuild(ids[i], ids[j], vs[i], vs[j], conflictRels))
			}
		}
	}
	return out, nil
}
