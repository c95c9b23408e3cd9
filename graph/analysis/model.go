// Package analysis answers the questions of docs/analyses.md in pure Go over an in-memory
// projection of the model at one date. It depends only on package graph.
package analysis

import (
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// Model is the projection of a graph at one date (docs/analyses.md, "The model"): only what counts at AsOf is
// kept in the indexes below. Agreements that do not count are dropped with all their
// relationships; PROVIDES and PARTY_TO outside their validity are dropped. Slices are
// sorted by id so every result is deterministic.
type Model struct {
	AsOf  graph.Date
	Nodes map[string]*graph.Node // every node, counting or not

	NationOf   map[string]string   // agency → its nation (absent for international bodies)
	AgenciesOf map[string][]string // nation → its agencies

	Pursues  map[string][]Pursuit // stakeholder → objectives it pursues
	Pursuers map[string][]Pursuit // objective → stakeholders pursuing it (Pursuit.Objective is the stakeholder)

	Requires   map[string][]string // objective → required capabilities
	RequiredBy map[string][]string // capability → objectives requiring it

	Providers map[string][]Provision // capability → valid provisions
	Provides  map[string][]Provision // stakeholder → valid provisions

	DependsOn  map[string][]string // capability → its direct dependencies
	DependedBy map[string][]string // capability → capabilities depending on it directly

	Parties    map[string][]Membership // counting agreement → valid memberships
	PartyOf    map[string][]Membership // stakeholder → valid memberships of counting agreements
	Governs    map[string][]string     // counting agreement → capabilities
	GovernedBy map[string][]string     // capability → counting agreements governing it

	Coordinates map[string][]Link   // agency → COORDINATES_WITH links, both directions
	Addresses   map[string][]string // objective → threats
	AddressedBy map[string][]string // threat → objectives
	Conflicts   map[string][]string // objective → conflicting objectives, both directions

	Relationships []graph.Relationship // every relationship that counts at AsOf
}

// Pursuit is one PURSUES relationship; seen from an objective, Objective holds the
// stakeholder.
type Pursuit struct {
	Objective string
	Priority  int
	Rel       graph.RelKey
}

// Provision is one valid PROVIDES relationship.
type Provision struct {
	Stakeholder string
	Capability  string
	Rel         graph.RelKey
}

// Membership is one valid PARTY_TO relationship of a counting agreement.
type Membership struct {
	Stakeholder string
	Agreement   string
	Rel         graph.RelKey
}

// Link is one COORDINATES_WITH relationship seen from one end.
type Link struct {
	Other string
	Rel   graph.RelKey
}

// NewModel projects nodes and relationships at asOf. Relationships whose endpoints are not
// among nodes are ignored, so a caller may pass a filtered subgraph.
func NewModel(nodes []graph.Node, rels []graph.Relationship, asOf graph.Date) *Model {
	m := &Model{
		AsOf:        asOf,
		Nodes:       make(map[string]*graph.Node, len(nodes)),
		NationOf:    map[string]string{},
		AgenciesOf:  map[string][]string{},
		Pursues:     map[string][]Pursuit{},
		Pursuers:    map[string][]Pursuit{},
		Requires:    map[string][]string{},
		RequiredBy:  map[string][]string{},
		Providers:   map[string][]Provision{},
		Provides:    map[string][]Provision{},
		DependsOn:   map[string][]string{},
		DependedBy:  map[string][]string{},
		Parties:     map[string][]Membership{},
		PartyOf:     map[string][]Membership{},
		Governs:     map[string][]string{},
		GovernedBy:  map[string][]string{},
		Coordinates: map[string][]Link{},
		Addresses:   map[string][]string{},
		AddressedBy: map[string][]string{},
		Conflicts:   map[string][]string{},
	}
	for i := range nodes {
		m.Nodes[nodes[i].ID] = &nodes[i]
	}
	m.Relationships = make([]graph.Relationship, 0, len(rels))
	for _, r := range rels {
		from, to := m.Nodes[r.From], m.Nodes[r.To]
		if from == nil || to == nil || !m.counts(from) || !m.counts(to) {
			continue
		}
		k := r.Key()
		switch r.Type {
		case graph.RelPartOf:
			m.NationOf[r.From] = r.To
			m.AgenciesOf[r.To] = append(m.AgenciesOf[r.To], r.From)
		case graph.RelPursues:
			m.Pursues[r.From] = append(m.Pursues[r.From], Pursuit{Objective: r.To, Priority: r.Priority, Rel: k})
			m.Pursuers[r.To] = append(m.Pursuers[r.To], Pursuit{Objective: r.From, Priority: r.Priority, Rel: k})
		case graph.RelRequires:
			m.Requires[r.From] = append(m.Requires[r.From], r.To)
			m.RequiredBy[r.To] = append(m.RequiredBy[r.To], r.From)
		case graph.RelProvides:
			if !graph.CountsAt(r.ValidFrom, r.ValidTo, asOf) {
				continue
			}
			p := Provision{Stakeholder: r.From, Capability: r.To, Rel: k}
			m.Providers[r.To] = append(m.Providers[r.To], p)
			m.Provides[r.From] = append(m.Provides[r.From], p)
		case graph.RelDependsOn:
			m.DependsOn[r.From] = append(m.DependsOn[r.From], r.To)
			m.DependedBy[r.To] = append(m.DependedBy[r.To], r.From)
		case graph.RelPartyTo:
			if !graph.CountsAt(r.ValidFrom, r.ValidTo, asOf) {
				continue
			}
			ms := Membership{Stakeholder: r.From, Agreement: r.To, Rel: k}
			m.Parties[r.To] = append(m.Parties[r.To], ms)
			m.PartyOf[r.From] = append(m.PartyOf[r.From], ms)
		case graph.RelGoverns:
			m.Governs[r.From] = append(m.Governs[r.From], r.To)
			m.GovernedBy[r.To] = append(m.GovernedBy[r.To], r.From)
		case graph.RelCoordinatesWith:
			m.Coordinates[r.From] = append(m.Coordinates[r.From], Link{Other: r.To, Rel: k})
			m.Coordinates[r.To] = append(m.Coordinates[r.To], Link{Other: r.From, Rel: k})
		case graph.RelAddresses:
			m.Addresses[r.From] = append(m.Addresses[r.From], r.To)
			m.AddressedBy[r.To] = append(m.AddressedBy[r.To], r.From)
		case graph.RelConflictsWith:
			m.Conflicts[r.From] = append(m.Conflicts[r.From], r.To)
			m.Conflicts[r.To] = append(m.Conflicts[r.To], r.From)
		default:
			continue
		}
		m.Relationships = append(m.Relationships, r)
	}
	m.sort()
	return m
}

// counts reports whether node n counts at AsOf: agreements only between signed and expires.
func (m *Model) counts(n *graph.Node) bool {
	return n.Label != graph.LabelAgreement || graph.CountsAt(n.Signed, n.Expires, m.AsOf)
}

// Counts reports whether the node with this id exists and counts at AsOf.
func (m *Model) Counts(id string) bool {
	n := m.Nodes[id]
	return n != nil && m.counts(n)
}

// IDs returns the ids of the counting nodes with label l, sorted.
func (m *Model) IDs(l graph.Label) []string {
	var ids []string
	for id, n := range m.Nodes {
		if n.Label == l && m.counts(n) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Closure returns c and every capability it reaches over DEPENDS_ON (cycles allowed),
// sorted.
func (m *Model) Closure(c string) []string {
	seen := map[string]bool{c: true}
	stack := []string{c}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range m.DependsOn[x] {
			if !seen[d] {
				seen[d] = true
				stack = append(stack, d)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for x := range seen {
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

// ObjectiveClosure returns every capability in the closure of some capability objective o
// requires, sorted.
func (m *Model) ObjectiveClosure(o string) []string {
	seen := map[string]bool{}
	for _, c := range m.Requires[o] {
		for _, x := range m.Closure(c) {
			seen[x] = true
		}
	}
	out := make([]string, 0, len(seen))
	for x := range seen {
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

// FamilyKey names the family s belongs to (docs/analyses.md, "Failure logic": a nation and all its agencies, or an
// international agency alone): its nation's id, or s itself for a nation or an
// international agency. Two stakeholders are of one family when their keys are equal.
func (m *Model) FamilyKey(s string) string {
	if n, ok := m.NationOf[s]; ok {
		return n
	}
	return s
}

// Usable is one way stakeholder S may use a provision: directly (Agreement empty) when the
// provider is in S's family, or through an agreement that governs the capability and has
// both (or their nations) as parties.
type Usable struct {
	Provision
	Agreement string // empty for a provider in S's family
}

// UsableProviders returns the ways s may use providers of capability x (docs/analyses.md, "Failure logic", access
// view), ignoring up/down. A party's membership extends to its own agencies.
func (m *Model) UsableProviders(s, x string) []Usable { return m.usable(s, x, m.IsParty) }

// usable is UsableProviders with the party test given, so an index of memberships can
// stand in for IsParty's scan. A provider is in s's family when both have the same family
// key.
func (m *Model) usable(s, x string, isParty func(s, a string) bool) []Usable {
	fk := m.FamilyKey(s)
	var out []Usable
	for _, p := range m.Providers[x] {
		if m.FamilyKey(p.Stakeholder) == fk {
			out = append(out, Usable{Provision: p})
			continue
		}
		for _, a := range m.GovernedBy[x] {
			if isParty(s, a) && isParty(p.Stakeholder, a) {
				out = append(out, Usable{Provision: p, Agreement: a})
			}
		}
	}
	return out
}

// IsParty reports whether stakeholder s is a party to counting agreement a, directly or
// through its nation's membership.
func (m *Model) IsParty(s, a string) bool {
	for _, ms := range m.Parties[a] {
		if ms.Stakeholder == s || ms.Stakeholder == m.NationOf[s] && m.NationOf[s] != "" {
			return true
		}
	}
	return false
}

// Stakeholders returns the ids of every counting nation and agency, sorted.
func (m *Model) Stakeholders() []string {
	return slices.Sorted(slices.Values(append(m.IDs(graph.LabelNation), m.IDs(graph.LabelAgency)...)))
}

func (m *Model) sort() {
	for _, idx := range []map[string][]string{m.AgenciesOf, m.Requires, m.RequiredBy, m.DependsOn,
		m.DependedBy, m.Governs, m.GovernedBy, m.Addresses, m.AddressedBy, m.Conflicts} {
		for k, v := range idx {
			slices.Sort(v)
			idx[k] = slices.Compact(v)
		}
	}
	for _, idx := range []map[string][]Pursuit{m.Pursues, m.Pursuers} {
		for _, v := range idx {
			slices.SortFunc(v, func(a, b Pursuit) int { return strings.Compare(a.Objective, b.Objective) })
		}
	}
	for _, idx := range []map[string][]Provision{m.Providers, m.Provides} {
		for _, v := range idx {
			slices.SortFunc(v, func(a, b Provision) int { return compareKeys(a.Rel, b.Rel) })
		}
	}
	for _, idx := range []map[string][]Membership{m.Parties, m.PartyOf} {
		for _, v := range idx {
			slices.SortFunc(v, func(a, b Membership) int { return compareKeys(a.Rel, b.Rel) })
		}
	}
	for _, v := range m.Coordinates {
		slices.SortFunc(v, func(a, b Link) int { return compareKeys(a.Rel, b.Rel) })
	}
}

// compareKeys orders relationship keys by type, start and end, without building their ids.
func compareKeys(a, b graph.RelKey) int {
	if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
		return c
	}
	if c := strings.Compare(a.From, b.From); c != 0 {
		return c
	}
	return strings.Compare(a.To, b.To)
}
