package analysis

import (
	"math"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// tbGraph builds small hand-made graphs for the overlap, coalition, gap and broker tests.
type tbGraph struct {
	nodes []graph.Node
	rels  []graph.Relationship
}

func (g *tbGraph) add(l graph.Label, ids ...string) *tbGraph {
	for _, id := range ids {
		g.nodes = append(g.nodes, graph.Node{Label: l, ID: id, Name: id})
	}
	return g
}

func (g *tbGraph) nations(ids ...string) *tbGraph      { return g.add(graph.LabelNation, ids...) }
func (g *tbGraph) objectives(ids ...string) *tbGraph   { return g.add(graph.LabelObjective, ids...) }
func (g *tbGraph) capabilities(ids ...string) *tbGraph { return g.add(graph.LabelCapability, ids...) }
func (g *tbGraph) threats(ids ...string) *tbGraph      { return g.add(graph.LabelThreat, ids...) }

// agency adds an agency, PART_OF nation unless nation is empty (an international body).
func (g *tbGraph) agency(id, nation string) *tbGraph {
	g.add(graph.LabelAgency, id)
	if nation != "" {
		g.rel(graph.RelPartOf, id, nation)
	}
	return g
}

func (g *tbGraph) agreement(id string, signed, expires graph.Date) *tbGraph {
	g.nodes = append(g.nodes, graph.Node{Label: graph.LabelAgreement, ID: id, Name: id, Signed: signed, Expires: expires})
	return g
}

func (g *tbGraph) rel(t graph.RelType, from, to string) *tbGraph {
	g.rels = append(g.rels, graph.Relationship{Type: t, From: from, To: to})
	return g
}

// valid adds a PROVIDES or PARTY_TO with bounds.
func (g *tbGraph) valid(t graph.RelType, from, to string, validFrom, validTo graph.Date) *tbGraph {
	g.rels = append(g.rels, graph.Relationship{Type: t, From: from, To: to, ValidFrom: validFrom, ValidTo: validTo})
	return g
}

func (g *tbGraph) pursues(s, o string, priority int) *tbGraph {
	g.rels = append(g.rels, graph.Relationship{Type: graph.RelPursues, From: s, To: o, Priority: priority})
	return g
}

func (g *tbGraph) model(asOf graph.Date) *Model {
	return NewModel(slices.Clone(g.nodes), slices.Clone(g.rels), asOf)
}

// tbCode asserts that err is a *graph.Error with this code and field.
func tbCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %s on %q", code, field)
	}
	if got := graph.ErrorCode(err); got != code {
		t.Fatalf("code = %s (%v), want %s", got, err, code)
	}
	if got := graph.ErrorField(err); got != field {
		t.Fatalf("field = %q (%v), want %q", got, err, field)
	}
}

const tbDay graph.Date = "2025-01-01"

func TestOverlapWeightedJaccard(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B").objectives("O1", "O2", "O3")
	g.pursues("A", "O1", 5).pursues("A", "O2", 3).pursues("B", "O2", 1).pursues("B", "O3", 4)
	o, err := g.model(tbDay).Overlap("A", "B")
	if err != nil {
		t.Fatal(err)
	}
	// Σmin = min(3,1) = 1 over the shared O2; Σmax = 5 + 3 + 4 over the union.
	if got, want := o.Score, 1.0/12; math.Abs(got-want) > 1e-15 {
		t.Fatalf("score = %v, want %v", got, want)
	}
	if got, want := o.Shared, []Shared{{Objective: "O2", PriorityA: 3, PriorityB: 1}}; !slices.Equal(got, want) {
		t.Fatalf("shared = %v, want %v", got, want)
	}
	if got, want := o.Explanation.Relationships, []string{"PURSUES:A->O2", "PURSUES:B->O2"}; !slices.Equal(got, want) {
		t.Fatalf("explanation rels = %v, want %v", got, want)
	}
	if got, want := o.Explanation.Nodes, []string{"A", "B", "O2"}; !slices.Equal(got, want) {
		t.Fatalf("explanation nodes = %v, want %v", got, want)
	}
	if len(o.Conflicts) != 0 {
		t.Fatalf("conflicts = %v, want none", o.Conflicts)
	}
}

func TestOverlapNationPriorityIsMaxOverAgencies(t *testing.T) {
	g := (&tbGraph{}).nations("N", "M").objectives("O1", "O2").agency("n-mod", "N").agency("n-idle", "N")
	g.pursues("N", "O1", 2).pursues("n-mod", "O1", 4).pursues("n-mod", "O2", 1)
	g.pursues("M", "O1", 4).pursues("M", "O2", 1)
	m := g.model(tbDay)

	o, err := m.Overlap("N", "M")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := o.Score, 1.0; got != want {
		t.Fatalf("N~M score = %v, want %v (N's O1 is max(2, agency's 4))", got, want)
	}
	if got, want := o.Shared, []Shared{{"O1", 4, 4}, {"O2", 1, 1}}; !slices.Equal(got, want) {
		t.Fatalf("shared = %v, want %v", got, want)
	}
	// The agency lends its priority: its PURSUES and PART_OF explain it; N's own lower
	// PURSUES of O1 does not.
	for _, id := range []string{"PURSUES:n-mod->O1", "PART_OF:n-mod->N", "PURSUES:M->O1"} {
		if !slices.Contains(o.Explanation.Relationships, id) {
			t.Errorf("explanation lacks %s: %v", id, o.Explanation.Relationships)
		}
	}
	if slices.Contains(o.Explanation.Relationships, "PURSUES:N->O1") {
		t.Errorf("explanation names N's weaker PURSUES: %v", o.Explanation.Relationships)
	}

	// An agency's priority is its own, not its nation's max.
	g.agency("m-mod", "M").pursues("m-mod", "O1", 2)
	m = g.model(tbDay)
	o, err = m.Overlap("n-mod", "m-mod")
	if err != nil {
		t.Fatal(err)
	}
	// n-mod {O1:4, O2:1}, m-mod {O1:2}: Σmin 2, Σmax 4 + 1.
	if got, want := o.Score, 2.0/5; got != want {
		t.Fatalf("agency score = %v, want %v", got, want)
	}

	// A nation that pursues nothing itself still has its agencies' interests.
	g2 := (&tbGraph{}).nations("P", "Q").objectives("O1").agency("p-a", "P")
	g2.pursues("p-a", "O1", 3).pursues("Q", "O1", 3)
	if o, err := g2.model(tbDay).Overlap("P", "Q"); err != nil || o.Score != 1 {
		t.Fatalf("Overlap(P, Q) = %v, %v; want score 1", o.Score, err)
	}
}

func TestOverlapConflictsBothDirections(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B").objectives("O1", "O2", "O3", "O4", "O5")
	g.pursues("A", "O1", 3).pursues("A", "O3", 3).pursues("B", "O2", 2).pursues("B", "O4", 2).pursues("B", "O5", 1)
	g.rel(graph.RelConflictsWith, "O2", "O1") // stored from B's side
	g.rel(graph.RelConflictsWith, "O3", "O4") // stored from A's side
	g.rel(graph.RelConflictsWith, "O1", "O3") // both A's: not a conflict between A and B
	m := g.model(tbDay)

	o, err := m.Overlap("A", "B")
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, c := range o.Conflicts {
		got = append(got, [2]string{c.ObjectiveA, c.ObjectiveB})
	}
	if want := [][2]string{{"O1", "O2"}, {"O3", "O4"}}; !slices.Equal(got, want) {
		t.Fatalf("conflicts = %v, want %v", got, want)
	}
	if got, want := o.Conflicts[0].Explanation.Relationships, []string{"CONFLICTS_WITH:O2->O1", "PURSUES:A->O1", "PURSUES:B->O2"}; !slices.Equal(got, want) {
		t.Fatalf("conflict explanation = %v, want %v", got, want)
	}
	if o.Score != 0 {
		t.Fatalf("score = %v, want 0 (nothing shared)", o.Score)
	}

	o, err = m.Overlap("B", "A")
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, c := range o.Conflicts {
		got = append(got, [2]string{c.ObjectiveA, c.ObjectiveB})
	}
	if want := [][2]string{{"O2", "O1"}, {"O4", "O3"}}; !slices.Equal(got, want) {
		t.Fatalf("conflicts of B, A = %v, want %v", got, want)
	}
}

func TestOverlapRejects(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B", "Idle").objectives("O1")
	g.pursues("A", "O1", 3).pursues("B", "O1", 3)
	m := g.model(tbDay)
	t.Run("unknown a", func(t *testing.T) {
		_, err := m.Overlap("nope", "B")
		tbCode(t, err, graph.EINVALID, "a")
	})
	t.Run("objective as b", func(t *testing.T) {
		_, err := m.Overlap("A", "O1")
		tbCode(t, err, graph.EINVALID, "b")
	})
	t.Run("neither pursues anything", func(t *testing.T) {
		_, err := m.Overlap("Idle", "Idle")
		tbCode(t, err, graph.EINVALID, "b")
	})
	t.Run("partners of one pursuing nothing", func(t *testing.T) {
		_, err := m.Partners("Idle", 0)
		tbCode(t, err, graph.EINVALID, "a")
	})
	t.Run("negative limit", func(t *testing.T) {
		_, err := m.Partners("A", -1)
		tbCode(t, err, graph.EINVALID, "limit")
	})
}

func TestPartnersRankedTiesByID(t *testing.T) {
	g := (&tbGraph{}).nations("N1", "N3", "N2", "N4", "N5").objectives("O1", "O2").agency("ag", "")
	g.pursues("N1", "O1", 3)
	g.pursues("N3", "O1", 3) // 1
	g.pursues("N2", "O1", 3) // 1, ties with N3, comes first by id
	g.pursues("N4", "O1", 1) // 1/3
	g.pursues("ag", "O1", 3) // an agency: not a partner of a nation
	m := g.model(tbDay)      // N5 pursues nothing: 0

	ps, err := m.Partners("N1", 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id    string
		score float64
	}
	var got []row
	for _, p := range ps {
		if p.A != "N1" {
			t.Fatalf("A = %q, want N1", p.A)
		}
		got = append(got, row{p.B, p.Score})
	}
	want := []row{{"N2", 1}, {"N3", 1}, {"N4", 1.0 / 3}, {"N5", 0}}
	if !slices.Equal(got, want) {
		t.Fatalf("partners = %v, want %v", got, want)
	}

	ps, err = m.Partners("N1", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].B != "N2" || ps[1].B != "N3" {
		t.Fatalf("partners limit 2 = %v, want N2, N3", ps)
	}

	ps, err = m.Partners("ag", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Fatalf("partners of the only agency = %v, want none", ps)
	}
}

// TestOverlapWithOneSidePursuingNothing is issue 8's second wrong answer: the union of the
// two sides' objectives is not empty, so the score is 0 with nothing shared and no
// conflict, whichever side pursues nothing.
func TestOverlapWithOneSidePursuingNothing(t *testing.T) {
	g := (&tbGraph{}).nations("A", "Idle").objectives("O1", "O2")
	g.pursues("A", "O1", 3).rel(graph.RelConflictsWith, "O1", "O2")
	m := g.model(tbDay)
	for _, pair := range [][2]string{{"A", "Idle"}, {"Idle", "A"}} {
		o, err := m.Overlap(pair[0], pair[1])
		if err != nil {
			t.Fatalf("Overlap(%s, %s): %v, want a score of 0", pair[0], pair[1], err)
		}
		if o.Score != 0 || len(o.Shared) != 0 || len(o.Conflicts) != 0 {
			t.Fatalf("Overlap(%s, %s) = %+v, want score 0, nothing shared, no conflict", pair[0], pair[1], o)
		}
		if !slices.Equal(o.Explanation.Nodes, []string{"A", "Idle"}) {
			t.Fatalf("explanation %v, want the two stakeholders", o.Explanation.Nodes)
		}
	}
}

func TestOverlapMatrix(t *testing.T) {
	g := (&tbGraph{}).nations("A", "B", "Idle", "Idle2").objectives("O1", "O2")
	g.pursues("A", "O1", 3).pursues("B", "O1", 1).pursues("B", "O2", 2)
	m := g.model(tbDay)
	ids := []string{"B", "Idle", "A", "Idle2"}
	mx, err := m.OverlapMatrix(ids)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mx.Stakeholders, ids) {
		t.Fatalf("stakeholders %v, want %v as given", mx.Stakeholders, ids)
	}
	for i, a := range ids {
		for j, b := range ids {
			cell := mx.Scores[i][j]
			o, err := m.Overlap(a, b)
			switch {
			case err != nil && cell != nil:
				t.Errorf("score[%s][%s] = %v, but Overlap says %v", a, b, *cell, err)
			case err == nil && cell == nil:
				t.Errorf("score[%s][%s] is undefined, but Overlap gives %v", a, b, o.Score)
			case err == nil && *cell != o.Score:
				t.Errorf("score[%s][%s] = %v, Overlap gives %v", a, b, *cell, o.Score)
			}
		}
	}
	if got := *mx.Scores[0][2]; got != 1.0/5 { // B–A: min(1,3)/(3+2)
		t.Fatalf("score B–A = %v, want 1/5", got)
	}
	// Pairs: every defined i < j, i.e. all but Idle–Idle2.
	var pairs [][2]string
	for _, p := range mx.Pairs {
		pairs = append(pairs, [2]string{p.A, p.B})
	}
	want := [][2]string{{"B", "Idle"}, {"B", "A"}, {"B", "Idle2"}, {"Idle", "A"}, {"A", "Idle2"}}
	if !slices.Equal(pairs, want) {
		t.Fatalf("pairs %v, want %v", pairs, want)
	}
	t.Run("repeated id", func(t *testing.T) {
		_, err := m.OverlapMatrix([]string{"A", "B", "A"})
		tbCode(t, err, graph.EINVALID, "ids[2]")
	})
	t.Run("not a stakeholder", func(t *testing.T) {
		_, err := m.OverlapMatrix([]string{"A", "O1"})
		tbCode(t, err, graph.EINVALID, "ids[1]")
	})
	t.Run("none", func(t *testing.T) {
		_, err := m.OverlapMatrix(nil)
		tbCode(t, err, graph.EINVALID, "ids")
	})
}
