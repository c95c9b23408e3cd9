package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
)

// Gap kinds (docs/analyses.md, "Analyses").
const (
	GapCoverage          = "COVERAGE"           // (O, X): X in O's closure has no valid provider
	GapAccess            = "ACCESS"             // (S, O, X): S pursues O itself; X is provided, but by no one S may use
	GapSingleSource      = "SINGLE_SOURCE"      // X, needed by some objective, hangs on one family
	GapExpiring          = "EXPIRING"           // a gap that appears between asOf and the horizon
	GapUnaddressedThreat = "UNADDRESSED_THREAT" // a threat no objective addresses
	GapUnspecified       = "UNSPECIFIED"        // an objective that requires nothing
)

// GapKinds lists the gap kinds in the order Gaps reports them.
var GapKinds = []string{GapCoverage, GapAccess, GapSingleSource, GapExpiring, GapUnaddressedThreat, GapUnspecified}

// Indexes of the kinds in GapKinds, for gapRaw.
const (
	gkCoverage int8 = iota
	gkAccess
	gkSingleSource
	gkExpiring
	gkUnaddressedThreat
	gkUnspecified
)

// Gap is one thing missing from the model. Fields that do not apply to its kind stay empty.
type Gap struct {
	Kind       string
	Objective  string // COVERAGE, ACCESS, UNSPECIFIED
	Capability string // COVERAGE, ACCESS, SINGLE_SOURCE
	// Stakeholder is the stakeholder lacking access (ACCESS) or the family the capability
	// hangs on (SINGLE_SOURCE: a nation's id, or an international agency's own id).
	Stakeholder string
	Threat      string // UNADDRESSED_THREAT
	// Cause is, for EXPIRING, the gap that appears at the horizon; the fields above repeat
	// its fields so that filters and sorting treat both alike.
	Cause *Gap
	// CausedBy lists, for EXPIRING, the relationships (RelKey.ID()) and agreements whose end
	// between asOf and the horizon takes away what prevented the gap; sorted. It is empty
	// when the gap appears without anything ending (a first provider that starts only after
	// asOf turns a COVERAGE gap into a SINGLE_SOURCE one).
	CausedBy []string
	// Explanation names what makes the gap true: the chain O→C→…→X (REQUIRES and
	// DEPENDS_ON), the pursuit, the providers and agreements considered; for EXPIRING also
	// what ends.
	Explanation Explanation
}

// GapFilter selects gaps. Empty fields do not filter.
type GapFilter struct {
	// Kinds keeps these kinds; empty means all of them, EXPIRING only when a horizon is given.
	Kinds []string
	// Objective keeps gaps about this objective: its COVERAGE, ACCESS and UNSPECIFIED gaps
	// and the SINGLE_SOURCE gaps of capabilities in its closure.
	Objective string
	// Stakeholder keeps gaps that concern this stakeholder: its ACCESS gaps, COVERAGE and
	// UNSPECIFIED gaps of objectives it pursues, and SINGLE_SOURCE gaps of capabilities its
	// objectives need or that hang on its family.
	Stakeholder string
	// Horizon is the date EXPIRING compares asOf with; it must not be before asOf.
	Horizon graph.Date
}

// Gaps lists the gaps of the model at at.AsOf that f selects, ordered by kind (as in
// GapKinds), objective, capability, stakeholder and threat. horizon is the same graph
// projected at f.Horizon; it is needed only for EXPIRING gaps and may be nil otherwise.
// Errors: EINVALID naming "kinds", "objective", "stakeholder" or "horizon"; ETIMEOUT when
// ctx ends first. Gaps about the same objective and capability share their explanation's
// slices: treat them as read-only.
func Gaps(ctx context.Context, at *Model, horizon *Model, f GapFilter) ([]Gap, error) {
	want := map[string]bool{}
	for _, k := range f.Kinds {
		if !slices.Contains(GapKinds, k) {
			return nil, graph.Errorf(graph.EINVALID, "kinds", "unknown gap kind %q", k)
		}
		want[k] = true
	}
	if len(f.Kinds) == 0 {
		for _, k := range GapKinds {
			want[k] = k != GapExpiring || horizon != nil
		}
	}
	hDate := f.Horizon
	if hDate == "" && horizon != nil {
		hDate = horizon.AsOf
	}
	if hDate != "" && hDate < at.AsOf {
		return nil, graph.Errorf(graph.EINVALID, "horizon", "horizon %s is before asOf %s", hDate, at.AsOf)
	}
	if want[GapExpiring] && horizon == nil {
		return nil, graph.Errorf(graph.EINVALID, "horizon", "EXPIRING gaps need a horizon date")
	}
	if horizon != nil && horizon.AsOf != hDate {
		return nil, graph.Errorf(graph.EINTERNAL, "horizon", "horizon model is at %s, filter says %s", horizon.AsOf, hDate)
	}
	if o := f.Objective; o != "" {
		if n := at.Nodes[o]; n == nil || n.Label != graph.LabelObjective {
			return nil, graph.Errorf(graph.EINVALID, "objective", "unknown objective %q", o)
		}
	}
	if s := f.Stakeholder; s != "" {
		if n := at.Nodes[s]; n == nil || !n.Label.IsStakeholder() {
			return nil, graph.Errorf(graph.EINVALID, "stakeholder", "unknown stakeholder %q", s)
		}
	}

	ixAt := newGapIndex(at)
	base := map[string]bool{}
	for _, k := range []string{GapCoverage, GapAccess, GapSingleSource, GapUnaddressedThreat, GapUnspecified} {
		base[k] = want[k]
	}
	if want[GapExpiring] {
		base[GapCoverage], base[GapAccess], base[GapSingleSource] = true, true, true
	}
	rawAt, err := ixAt.find(ctx, base)
	if err != nil {
		return nil, err
	}
	keep := ixAt.filter(f)
	kept := make([]gapRaw, 0, len(rawAt))
	for _, r := range rawAt {
		if want[GapKinds[r.kind]] && keep(ixAt, r) {
			kept = append(kept, r)
		}
	}
	slices.SortFunc(kept, gapRawCompare)

	var expiring []Gap
	if want[GapExpiring] {
		ixH := newGapIndex(horizon)
		rawH, err := ixH.find(ctx, map[string]bool{GapCoverage: true, GapAccess: true, GapSingleSource: true})
		if err != nil {
			return nil, err
		}
		present := make(map[gapKey]bool, len(rawAt))
		for _, r := range rawAt {
			present[ixAt.key(r)] = true
		}
		var appeared []Gap
		for _, r := range rawH {
			if !present[ixH.key(r)] && keep(ixH, r) {
				appeared = append(appeared, ixH.gap(r))
			}
		}
		ixH.explainAll(appeared)
		validTo := gapValidTos(at)
		for _, c := range appeared {
			expiring = append(expiring, gapExpiring(ixAt, horizon, validTo, c))
		}
		slices.SortFunc(expiring, gapCompare)
	}

	// kept is in order; EXPIRING slots in at its rank.
	out := make([]Gap, 0, len(kept)+len(expiring))
	split, _ := slices.BinarySearchFunc(kept, gkExpiring, func(r gapRaw, k int8) int { return cmp.Compare(r.kind, k) })
	for _, r := range kept[:split] {
		out = append(out, ixAt.gap(r))
	}
	out = append(out, expiring...)
	for _, r := range kept[split:] {
		out = append(out, ixAt.gap(r))
	}
	ixAt.explainAll(out[:split])
	ixAt.explainAll(out[split+len(expiring):])
	return out, nil
}

// gapRaw is a gap before it is explained, kept small: a large model has hundreds of
// thousands of gaps to find, filter and sort, and a full Gap is four times the size.
type gapRaw struct {
	kind int8   // index in GapKinds
	x    int32  // capability index, -1 for none
	o    string // objective, or the threat of UNADDRESSED_THREAT
	s    string // stakeholder
}

// gap expands r into a Gap without explanation.
func (ix *gapIndex) gap(r gapRaw) Gap {
	g := Gap{Kind: GapKinds[r.kind], Stakeholder: r.s}
	if r.x >= 0 {
		g.Capability = ix.caps[r.x]
	}
	if g.Kind == GapUnaddressedThreat {
		g.Threat = r.o
	} else {
		g.Objective = r.o
	}
	return g
}

// key identifies r across two dates, by ids rather than by index.
func (ix *gapIndex) key(r gapRaw) gapKey {
	k := gapKey{kind: r.kind, o: r.o, s: r.s}
	if r.x >= 0 {
		k.c = ix.caps[r.x]
	}
	return k
}

// gapRawCompare orders raw gaps as gapCompare orders gaps: capability indexes follow ids.
func gapRawCompare(a, b gapRaw) int {
	return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.o, b.o), cmp.Compare(a.x, b.x), cmp.Compare(a.s, b.s))
}

// gapKey identifies a gap across two dates.
type gapKey struct {
	kind    int8
	o, c, s string
}

func gapCompare(a, b Gap) int {
	return cmp.Or(
		cmp.Compare(slices.Index(GapKinds, a.Kind), slices.Index(GapKinds, b.Kind)),
		cmp.Compare(a.Objective, b.Objective),
		cmp.Compare(a.Capability, b.Capability),
		cmp.Compare(a.Stakeholder, b.Stakeholder),
		cmp.Compare(a.Threat, b.Threat),
	)
}

// gapIndex holds int-indexed views of one Model so that closures over 100k nodes run on
// slices and stamps, not maps.
type gapIndex struct {
	m      *Model
	caps   []string
	capIdx map[string]int32
	deps   [][]int32

	// For the BFS of one objective's closure: seen[x] == stamp marks x reached, parent[x]
	// is the capability x was reached from (-1 for a required one).
	stamp  int32
	seen   []int32
	parent []int32
	queue  []int32

	families   [][]string                 // capability → family keys of its valid providers
	viaAgreeds [][]string                 // capability → agreements governing it with a provider as party
	direct     map[string]map[string]bool // agreement → its direct parties
	users      map[string]*gapUser        // memo of user
	needed     []string                   // capability → first objective (by id) whose closure holds it
}

// gapUser is what decides a stakeholder's access: its family and its agreements (its own
// and its nation's memberships).
type gapUser struct {
	family     string
	agreements map[string]bool
}

func newGapIndex(m *Model) *gapIndex {
	ix := &gapIndex{m: m, caps: m.IDs(graph.LabelCapability), direct: map[string]map[string]bool{},
		users: map[string]*gapUser{}}
	n := len(ix.caps)
	ix.capIdx = make(map[string]int32, n)
	for i, c := range ix.caps {
		ix.capIdx[c] = int32(i)
	}
	ix.deps = make([][]int32, n)
	ix.seen = make([]int32, n)
	ix.parent = make([]int32, n)
	ix.families = make([][]string, n)
	ix.viaAgreeds = make([][]string, n)
	ix.needed = make([]string, n)
	for a, ms := range m.Parties {
		set := make(map[string]bool, len(ms))
		for _, x := range ms {
			set[x.Stakeholder] = true
		}
		ix.direct[a] = set
	}
	for i, c := range ix.caps {
		for _, d := range m.DependsOn[c] {
			ix.deps[i] = append(ix.deps[i], ix.capIdx[d])
		}
		for _, p := range m.Providers[c] {
			if fk := m.FamilyKey(p.Stakeholder); !slices.Contains(ix.families[i], fk) {
				ix.families[i] = append(ix.families[i], fk)
			}
		}
		for _, a := range m.GovernedBy[c] {
			for _, p := range m.Providers[c] {
				if ix.isParty(p.Stakeholder, a) {
					ix.viaAgreeds[i] = append(ix.viaAgreeds[i], a)
					break
				}
			}
		}
	}
	return ix
}

// isParty is Model.IsParty on the precomputed party sets.
func (ix *gapIndex) isParty(s, a string) bool {
	set := ix.direct[a]
	if set[s] {
		return true
	}
	n, ok := ix.m.NationOf[s]
	return ok && set[n]
}

// user returns s's family and agreements, computed once per stakeholder.
func (ix *gapIndex) user(s string) *gapUser {
	if u := ix.users[s]; u != nil {
		return u
	}
	u := &gapUser{family: ix.m.FamilyKey(s), agreements: map[string]bool{}}
	for _, ms := range ix.m.PartyOf[s] {
		u.agreements[ms.Agreement] = true
	}
	if n, ok := ix.m.NationOf[s]; ok {
		for _, ms := range ix.m.PartyOf[n] {
			u.agreements[ms.Agreement] = true
		}
	}
	ix.users[s] = u
	return u
}

// canUse reports whether u has a usable provider of capability x (docs/analyses.md, "Failure logic", ignoring
// up/down): one in u's family, or one sharing with u an agreement that governs x.
func (ix *gapIndex) canUse(u *gapUser, x int32) bool {
	if slices.Contains(ix.families[x], u.family) {
		return true
	}
	for _, a := range ix.viaAgreeds[x] {
		if u.agreements[a] {
			return true
		}
	}
	return false
}

// closure visits objective o's closure breadth-first from its required capabilities in id
// order, so parent pointers give a shortest chain to every capability reached.
func (ix *gapIndex) closure(o string) []int32 {
	ix.stamp++
	ix.queue = ix.queue[:0]
	for _, c := range ix.m.Requires[o] {
		i, ok := ix.capIdx[c]
		if !ok || ix.seen[i] == ix.stamp {
			continue
		}
		ix.seen[i], ix.parent[i] = ix.stamp, -1
		ix.queue = append(ix.queue, i)
	}
	for h := 0; h < len(ix.queue); h++ {
		x := ix.queue[h]
		for _, d := range ix.deps[x] {
			if ix.seen[d] != ix.stamp {
				ix.seen[d], ix.parent[d] = ix.stamp, x
				ix.queue = append(ix.queue, d)
			}
		}
	}
	return ix.queue
}

// chain adds the chain o→C→…→x found by the last closure(o) to ex.
func (ix *gapIndex) chain(ex *explainer, o string, x int32) {
	ex.node(o)
	for {
		ex.node(ix.caps[x])
		p := ix.parent[x]
		if p < 0 {
			ex.rel(graph.RelKey{Type: graph.RelRequires, From: o, To: ix.caps[x]})
			return
		}
		ex.rel(graph.RelKey{Type: graph.RelDependsOn, From: ix.caps[p], To: ix.caps[x]})
		x = p
	}
}

// find lists the gaps of the kinds in want, without explanations.
func (ix *gapIndex) find(ctx context.Context, want map[string]bool) ([]gapRaw, error) {
	m := ix.m
	var out []gapRaw
	for i, o := range m.IDs(graph.LabelObjective) {
		if i%256 == 0 {
			if err := coCtxErr(ctx); err != nil {
				return nil, err
			}
		}
		if len(m.Requires[o]) == 0 {
			if want[GapUnspecified] {
				out = append(out, gapRaw{kind: gkUnspecified, x: -1, o: o})
			}
			continue
		}
		closure := ix.closure(o)
		for _, x := range closure {
			if ix.needed[x] == "" {
				ix.needed[x] = o
			}
			if len(ix.families[x]) == 0 && want[GapCoverage] {
				out = append(out, gapRaw{kind: gkCoverage, x: x, o: o})
			}
		}
		if !want[GapAccess] {
			continue
		}
		for _, p := range m.Pursuers[o] {
			u := ix.user(p.Objective)
			for _, x := range closure {
				if len(ix.families[x]) > 0 && !ix.canUse(u, x) {
					out = append(out, gapRaw{kind: gkAccess, x: x, o: o, s: p.Objective})
				}
			}
		}
	}
	if want[GapSingleSource] {
		for x := range ix.caps {
			if ix.needed[x] != "" && len(ix.families[x]) == 1 {
				out = append(out, gapRaw{kind: gkSingleSource, x: int32(x), s: ix.families[x][0]})
			}
		}
	}
	if want[GapUnaddressedThreat] {
		for _, t := range m.IDs(graph.LabelThreat) {
			if len(m.AddressedBy[t]) == 0 {
				out = append(out, gapRaw{kind: gkUnaddressedThreat, x: -1, o: t})
			}
		}
	}
	return out, nil
}

// filter returns the predicate of f's Objective and Stakeholder (see GapFilter).
func (ix *gapIndex) filter(f GapFilter) func(*gapIndex, gapRaw) bool {
	m := ix.m
	inClosure := func(objectives ...string) map[string]bool {
		set := map[string]bool{}
		for _, o := range objectives {
			for _, x := range ix.closure(o) {
				set[ix.caps[x]] = true
			}
		}
		return set
	}
	var objCaps, pursued, stakeCaps map[string]bool
	if f.Objective != "" {
		objCaps = inClosure(f.Objective)
	}
	if f.Stakeholder != "" {
		pursued = map[string]bool{}
		var os []string
		for _, p := range m.Pursues[f.Stakeholder] {
			pursued[p.Objective] = true
			os = append(os, p.Objective)
		}
		stakeCaps = inClosure(os...)
	}
	family := m.FamilyKey(f.Stakeholder)
	// The predicate takes the index g was found with: its capability indexes are its own.
	return func(gx *gapIndex, g gapRaw) bool {
		if f.Objective != "" {
			switch g.kind {
			case gkSingleSource:
				if !objCaps[gx.caps[g.x]] {
					return false
				}
			default:
				if g.kind == gkUnaddressedThreat || g.o != f.Objective {
					return false
				}
			}
		}
		if f.Stakeholder != "" {
			switch g.kind {
			case gkAccess:
				return g.s == f.Stakeholder
			case gkSingleSource:
				return g.s == family || stakeCaps[gx.caps[g.x]]
			case gkUnaddressedThreat:
				return false
			default:
				return pursued[g.o]
			}
		}
		return true
	}
}

// explainAll fills in the explanation of each gap, rerunning one closure per objective.
// Gaps about the same (objective, capability) share one base explanation; an ACCESS gap
// adds its stakeholder and pursuit by sorted insertion. Large models have hundreds of
// thousands of ACCESS gaps, and a set per gap would dominate the run.
func (ix *gapIndex) explainAll(gaps []Gap) {
	m := ix.m
	byObjective := map[string][]int{}
	var objectives []string
	for i, g := range gaps {
		o := g.Objective
		switch g.Kind {
		case GapSingleSource:
			o = ix.needed[ix.capIdx[g.Capability]]
		case GapUnaddressedThreat:
			gaps[i].Explanation = Explanation{Nodes: []string{g.Threat}, Relationships: []string{}}
			continue
		case GapUnspecified:
			var ex explainer
			ex.node(g.Objective)
			for _, p := range m.Pursuers[g.Objective] {
				ex.node(p.Objective)
				ex.rel(p.Rel)
			}
			gaps[i].Explanation = ex.build()
			continue
		}
		if _, ok := byObjective[o]; !ok {
			objectives = append(objectives, o)
		}
		byObjective[o] = append(byObjective[o], i)
	}
	for _, o := range objectives {
		ix.closure(o)
		pursuit := map[string]graph.RelKey{}
		for _, p := range m.Pursuers[o] {
			pursuit[p.Objective] = p.Rel
		}
		bases := map[gapBaseKey]Explanation{}
		for _, i := range byObjective[o] {
			g := &gaps[i]
			k := gapBaseKey{g.Kind == GapAccess, g.Kind == GapSingleSource, g.Capability}
			base, ok := bases[k]
			if !ok {
				base = ix.explainBase(o, g)
				bases[k] = base
			}
			if g.Kind != GapAccess {
				g.Explanation = base
				continue
			}
			g.Explanation = Explanation{
				Nodes:         gapInsert(base.Nodes, g.Stakeholder),
				Relationships: gapInsert(base.Relationships, pursuit[g.Stakeholder].ID()),
			}
		}
	}
}

type gapBaseKey struct {
	access, single bool
	capability     string
}

// explainBase is what every gap of g's kind about (o, g.Capability) names: the chain from
// o, and for ACCESS the providers and governing agreements considered, for SINGLE_SOURCE
// the providers and their family.
func (ix *gapIndex) explainBase(o string, g *Gap) Explanation {
	m := ix.m
	var ex explainer
	ix.chain(&ex, o, ix.capIdx[g.Capability])
	switch g.Kind {
	case GapAccess:
		ix.explainProviders(&ex, g.Capability)
		for _, a := range m.GovernedBy[g.Capability] {
			ex.node(a)
			ex.rel(graph.RelKey{Type: graph.RelGoverns, From: a, To: g.Capability})
		}
	case GapSingleSource:
		ix.explainProviders(&ex, g.Capability)
		if m.Nodes[g.Stakeholder] != nil {
			ex.node(g.Stakeholder)
		}
	}
	return ex.build()
}

// gapInsert returns a copy of the sorted ids with id added in order, once.
func gapInsert(ids []string, id string) []string {
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids
	}
	out := make([]string, len(ids)+1)
	copy(out, ids[:i])
	out[i] = id
	copy(out[i+1:], ids[i:])
	return out
}

// explainProviders adds the valid providers of capability c, their PROVIDES and, for an
// agency, the PART_OF that puts it in its nation's family.
func (ix *gapIndex) explainProviders(ex *explainer, c string) {
	for _, p := range ix.m.Providers[c] {
		ex.node(p.Stakeholder)
		ex.rel(p.Rel)
		if n, ok := ix.m.NationOf[p.Stakeholder]; ok {
			ex.node(n)
			ex.rel(graph.RelKey{Type: graph.RelPartOf, From: p.Stakeholder, To: n})
		}
	}
}

// gapExpiring wraps cause, a gap present at horizon.AsOf and absent at at.AsOf, with what
// ends in between. An item ends when it is a PROVIDES or PARTY_TO valid at asOf whose
// validTo is in (asOf, horizon], or an agreement counting at asOf whose expires is in
// (asOf, horizon]. Attribution rule: CausedBy lists the ending items that the gap's absence
// rested on at asOf —
//   - COVERAGE (O, X): the PROVIDES of X (all of them end, or X would still be provided);
//   - SINGLE_SOURCE (X, F): the PROVIDES of X by families other than F;
//   - ACCESS (S, O, X): for each way S could use X at asOf (at.UsableProviders), its PROVIDES
//     if it ends, its agreement if it expires, and for each side (S, the provider) the
//     memberships of that agreement it holds directly or through its nation, when all of
//     them end — one ending membership among several lost nothing.
//
// Every way lost has at least one ending item, since stakeholders, PART_OF and GOVERNS
// have no validity; CausedBy is empty only when nothing was there to lose.
func gapExpiring(ix *gapIndex, horizon *Model, validTo map[graph.RelKey]graph.Date, cause Gap) Gap {
	at := ix.m
	hDate := horizon.AsOf
	ends := func(to graph.Date) bool { return to != "" && to <= hDate }
	var caused []graph.RelKey
	var expired []string
	x := cause.Capability
	switch cause.Kind {
	case GapCoverage:
		for _, p := range at.Providers[x] {
			if ends(validTo[p.Rel]) {
				caused = append(caused, p.Rel)
			}
		}
	case GapSingleSource:
		for _, p := range at.Providers[x] {
			if at.FamilyKey(p.Stakeholder) != cause.Stakeholder && ends(validTo[p.Rel]) {
				caused = append(caused, p.Rel)
			}
		}
	case GapAccess:
		s := cause.Stakeholder
		for _, u := range ix.ways(s, x) {
			if ends(validTo[u.Rel]) {
				caused = append(caused, u.Rel)
			}
			if u.Agreement == "" {
				continue
			}
			if ends(at.Nodes[u.Agreement].Expires) {
				expired = append(expired, u.Agreement)
			}
			for _, side := range []string{s, u.Stakeholder} {
				var routes []graph.RelKey
				all := true
				for _, ms := range at.Parties[u.Agreement] {
					if ms.Stakeholder == side || ms.Stakeholder == at.NationOf[side] {
						routes = append(routes, ms.Rel)
						all = all && ends(validTo[ms.Rel])
					}
				}
				if all {
					caused = append(caused, routes...)
				}
			}
		}
	}
	g := Gap{Kind: GapExpiring, Objective: cause.Objective, Capability: cause.Capability,
		Stakeholder: cause.Stakeholder, Threat: cause.Threat, Cause: &cause, CausedBy: []string{}}
	nodes, rels := cause.Explanation.Nodes, cause.Explanation.Relationships
	for _, k := range caused {
		g.CausedBy = append(g.CausedBy, k.ID())
		nodes = gapInsert(gapInsert(nodes, k.From), k.To)
		rels = gapInsert(rels, k.ID())
	}
	for _, a := range expired {
		g.CausedBy = append(g.CausedBy, a)
		nodes = gapInsert(nodes, a)
	}
	slices.Sort(g.CausedBy)
	g.CausedBy = slices.Compact(g.CausedBy)
	g.Explanation = Explanation{Nodes: nodes, Relationships: rels}
	return g
}

// ways lists the ways s may use providers of capability x, as Model.UsableProviders does,
// but with the index's party sets instead of IsParty's scan of every membership, which
// EXPIRING over 100k ACCESS gaps cannot afford.
func (ix *gapIndex) ways(s string, x string) []Usable { return ix.m.usable(s, x, ix.isParty) }

// gapValidTos maps the PROVIDES and PARTY_TO of m with an end date to that date.
func gapValidTos(m *Model) map[graph.RelKey]graph.Date {
	out := map[graph.RelKey]graph.Date{}
	for _, r := range m.Relationships {
		if r.ValidTo != "" && (r.Type == graph.RelProvides || r.Type == graph.RelPartyTo) {
			out[r.Key()] = r.ValidTo
		}
	}
	return out
}

// GapKey is a gap's identity: what Gaps orders by, and what makes two gaps (at two dates,
// or in two scenarios) the same gap. Cause is the kind of an EXPIRING gap's cause.
type GapKey struct {
	Kind, Objective, Capability, Stakeholder, Threat, Cause string
}

// Key returns g's identity.
func (g Gap) Key() GapKey {
	k := GapKey{Kind: g.Kind, Objective: g.Objective, Capability: g.Capability, Stakeholder: g.Stakeholder, Threat: g.Threat}
	if g.Cause != nil {
		k.Cause = g.Cause.Kind
	}
	return k
}

// compareGapKeys orders keys as Gaps orders gaps, the cause's kind breaking the last tie.
func compareGapKeys(a, b GapKey) int {
	return cmp.Or(
		cmp.Compare(slices.Index(GapKinds, a.Kind), slices.Index(GapKinds, b.Kind)),
		cmp.Compare(a.Objective, b.Objective),
		cmp.Compare(a.Capability, b.Capability),
		cmp.Compare(a.Stakeholder, b.Stakeholder),
		cmp.Compare(a.Threat, b.Threat),
		cmp.Compare(slices.Index(GapKinds, a.Cause), slices.Index(GapKinds, b.Cause)),
	)
}

// GapsAfter returns the gaps of sorted (as Gaps returns them) that come after key k: the
// rest of a keyset page, valid even when gaps before k came or went since k was read.
func GapsAfter(sorted []Gap, k GapKey) []Gap {
	i, found := slices.BinarySearchFunc(sorted, k, func(g Gap, k GapKey) int { return compareGapKeys(g.Key(), k) })
	if found {
		i++
	}
	return sorted[i:]
}

// gapsUnexplained returns every gap of m of the given kinds (EXPIRING excluded) in the
// order of Gaps, without explanations, and the index that explains them (explainAll):
// a caller that keeps a few of hundreds of thousands explains only those.
func gapsUnexplained(ctx context.Context, m *Model, kinds []string) (*gapIndex, []Gap, error) {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = k != GapExpiring
	}
	ix := newGapIndex(m)
	raw, err := ix.find(ctx, want)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(raw, gapRawCompare)
	out := make([]Gap, len(raw))
	for i, r := range raw {
		out[i] = ix.gap(r)
	}
	return ix, out, nil
}
