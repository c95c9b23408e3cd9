// Package gen generates synthetic stakegraph models of any size for benchmarks, load tests
// and property tests. The output is a graph.Document that graph.ValidateDocument accepts,
// determined entirely by the Config (math/rand/v2 PCG seeded from Config.Seed).
//
// The shape imitates the demo seed rather than a uniform random graph: nations of very
// different sizes grouped in regional blocs, agencies that echo their nation's interests,
// popular and obscure objectives, capabilities layered in clusters over a few shared
// enablers (so DEPENDS_ON closures stay bounded, as real capability chains do) with a few
// cycles, heavy-tailed agreements led by one alliance per bloc, a sparse coordination
// network with hubs and pendant bodies (articulation points), and some validity windows
// that have ended or end soon.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// Config sizes a generated model. Counts are exact; the per-node averages are the means
// of the distributions the generator draws from, so relationship counts come out close
// to count × average, not equal.
type Config struct {
	Seed uint64 // the same Seed and Config give the same document

	Nations             int // at most MaxNations
	AgenciesPerNation   int
	InternationalBodies int // agencies of kind INTERNATIONAL, with no nation
	Objectives          int
	Capabilities        int
	Agreements          int
	Threats             int

	PursuesPerStakeholder  float64 // PURSUES per nation or agency
	RequiresPerObjective   float64 // REQUIRES per objective
	ProvidersPerCapability float64 // PROVIDES per capability
	DependsPerCapability   float64 // DEPENDS_ON per capability
	PartiesPerAgreement    float64 // PARTY_TO per agreement
	GovernsPerAgreement    float64 // GOVERNS per agreement other than the bloc alliances, which govern all their members provide
	CoordinationPerAgency  float64 // COORDINATES_WITH ends per agency (edges = agencies × this / 2)
	AddressesPerObjective  float64 // ADDRESSES per objective
	ConflictsPerObjective  float64 // CONFLICTS_WITH per objective

	// Epoch is the date validity windows are drawn around: agreements signed before it,
	// some memberships and provisions ended before it, some ending within 18 months after.
	// Empty means DefaultEpoch.
	Epoch graph.Date
}

// MaxNations is the number of distinct three-letter codes.
const MaxNations = 26 * 26 * 26

// DefaultEpoch is the Epoch of a Config that leaves it empty.
const DefaultEpoch graph.Date = "2026-01-01"

// Small is a model of about 1,000 nodes and 4,500 relationships, quick enough for unit
// tests that run analyses on it.
func Small() Config {
	return Config{
		Nations: 40, AgenciesPerNation: 4, InternationalBodies: 20,
		Objectives: 200, Capabilities: 300, Agreements: 100, Threats: 180,
		PursuesPerStakeholder: 5, RequiresPerObjective: 3, ProvidersPerCapability: 3,
		DependsPerCapability: 1.2, PartiesPerAgreement: 5, GovernsPerAgreement: 3,
		CoordinationPerAgency: 3, AddressesPerObjective: 1, ConflictsPerObjective: 0.05,
	}
}

// Medium is a model of 10,000 nodes and about 40,000 relationships: the size the web
// benchmark runs against.
func Medium() Config {
	return Config{
		Nations: 200, AgenciesPerNation: 6, InternationalBodies: 100,
		Objectives: 2500, Capabilities: 3500, Agreements: 1000, Threats: 1500,
		PursuesPerStakeholder: 5.5, RequiresPerObjective: 2.8, ProvidersPerCapability: 2.3,
		DependsPerCapability: 1.2, PartiesPerAgreement: 5, GovernsPerAgreement: 1,
		CoordinationPerAgency: 3, AddressesPerObjective: 0.6, ConflictsPerObjective: 0.05,
	}
}

// Large is a model of 100,000 nodes and about 1,000,000 relationships, for load tests.
func Large() Config {
	return Config{
		Nations: 1000, AgenciesPerNation: 10, InternationalBodies: 1000,
		Objectives: 25000, Capabilities: 35000, Agreements: 10000, Threats: 18000,
		PursuesPerStakeholder: 20, RequiresPerObjective: 9, ProvidersPerCapability: 6.5,
		DependsPerCapability: 3.5, PartiesPerAgreement: 14, GovernsPerAgreement: 2,
		CoordinationPerAgency: 5, AddressesPerObjective: 1, ConflictsPerObjective: 0.1,
	}
}

// Presets names the presets Preset knows, smallest first.
var Presets = []string{"small", "medium", "large"}

// Preset returns the preset called name (one of Presets) with the given seed.
func Preset(name string, seed uint64) (Config, bool) {
	var c Config
	switch name {
	case "small":
		c = Small()
	case "medium":
		c = Medium()
	case "large":
		c = Large()
	default:
		return Config{}, false
	}
	c.Seed = seed
	return c, true
}

var (
	regions    = []string{"Europe", "North America", "Asia-Pacific", "Middle East", "Africa", "Latin America"}
	categories = []string{"C4ISR", "strike", "defense", "logistics", "cyber", "space", "enabler", "land", "maritime", "industrial"}
	natKinds   = []string{"MILITARY", "DIPLOMATIC", "INTELLIGENCE", "CIVIL"}
	kindAbbr   = []string{"mil", "dip", "int", "civ"}
	roles      = []string{"party", "member", "participant", "lead nation", "observer"}
)

// Generate builds the document cfg describes. It never fails: negative counts are taken
// as zero, Nations is capped at MaxNations and an Epoch that is not a date is replaced by
// DefaultEpoch.
func Generate(cfg Config) *graph.Document {
	g := newGenerator(cfg)
	g.nations()
	g.agencies()
	g.capabilities()
	g.objectivesAndThreats()
	g.provides()
	g.agreements()
	g.pursues()
	g.coordination()
	return &graph.Document{Version: graph.DocumentVersion, Nodes: g.nodes, Relationships: g.rels}
}

// stakeholder is what the generator remembers of a nation or agency.
type stakeholder struct {
	id     string
	nation int // index of its nation among stakeholders, itself for a nation, -1 for an international body
	bloc   int
	kind   int  // index in natKinds for a national agency, -1 otherwise
	sat    bool // an international body hanging off one hub: no agreements, no provisions
}

type generator struct {
	cfg   Config
	rng   *rand.Rand
	epoch int // months since 0000-01 of cfg.Epoch
	src   string

	nodes []graph.Node
	rels  []graph.Relationship
	arena []float64 // backing store for *float64 fields, grown in blocks so pointers stay put

	blocs      int
	sh         []stakeholder // nations, then national agencies, then international bodies
	nNations   int
	natWeight  []float64   // cumulative size weights of nations
	blocNation [][]int     // bloc → nation indexes
	blocWeight [][]float64 // bloc → cumulative size weights of its nations
	agenciesOf [][]int     // nation → its agencies (stakeholder indexes), the military one first
	blocIntl   [][]int     // bloc → non-satellite international bodies

	capIDs     []string
	capCluster []int // -1 for a shared enabler
	capTier    []int
	clusters   [][][]int // cluster → tier → capabilities
	nEnablers  int
	clusterDom []int   // cluster → objective domain index
	blocClus   [][]int // bloc → clusters whose capabilities its nations mostly provide

	objIDs    []string
	objBloc   []int // -1 for a global objective
	objCum    []float64
	blocObjs  [][]int
	threatIDs []string

	family [][]int // nation (or international body) stakeholder index → capabilities its family provides
}

func newGenerator(cfg Config) *generator {
	for _, p := range []*int{&cfg.Nations, &cfg.AgenciesPerNation, &cfg.InternationalBodies, &cfg.Objectives,
		&cfg.Capabilities, &cfg.Agreements, &cfg.Threats} {
		*p = max(*p, 0)
	}
	cfg.Nations = min(cfg.Nations, MaxNations)
	if cfg.Epoch == "" {
		cfg.Epoch = DefaultEpoch
	}
	if _, err := graph.ParseDate(string(cfg.Epoch)); err != nil {
		cfg.Epoch = DefaultEpoch
	}
	t := cfg.Epoch.Time()
	g := &generator{
		cfg:   cfg,
		rng:   rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)),
		epoch: t.Year()*12 + int(t.Month()) - 1,
		src:   fmt.Sprintf("synthetic (stakegraph gen, seed %d)", cfg.Seed),
		blocs: max(1, (cfg.Nations+29)/30),
	}
	nAg := cfg.Nations*cfg.AgenciesPerNation + cfg.InternationalBodies
	g.nodes = make([]graph.Node, 0, cfg.Nations+nAg+cfg.Objectives+cfg.Capabilities+cfg.Agreements+cfg.Threats)
	g.rels = make([]graph.Relationship, 0, int(1.05*(float64(cfg.Nations*cfg.AgenciesPerNation)+
		float64(cfg.Nations+nAg)*cfg.PursuesPerStakeholder+
		float64(cfg.Objectives)*(cfg.RequiresPerObjective+cfg.AddressesPerObjective+cfg.ConflictsPerObjective)+
		float64(cfg.Capabilities)*(cfg.ProvidersPerCapability+cfg.DependsPerCapability)+
		float64(cfg.Agreements)*(cfg.PartiesPerAgreement+cfg.GovernsPerAgreement)+
		float64(nAg)*cfg.CoordinationPerAgency/2))+16)
	return g
}

// ---- helpers ------------------------------------------------------------------------

// f stores v and returns a pointer to it without one allocation per value.
func (g *generator) f(v float64) *float64 {
	if len(g.arena) == cap(g.arena) {
		g.arena = make([]float64, 0, 4096)
	}
	g.arena = append(g.arena, v)
	return &g.arena[len(g.arena)-1]
}

// date is the first day of the month m months after 0000-01.
func date(m int) graph.Date {
	return graph.Date(fmt.Sprintf("%04d-%02d-01", m/12, m%12+1))
}

// poisson draws from a Poisson distribution with mean l (a rounded normal for large l).
func (g *generator) poisson(l float64) int {
	if l <= 0 {
		return 0
	}
	if l > 30 {
		return max(0, int(math.Round(l+math.Sqrt(l)*g.rng.NormFloat64())))
	}
	limit, k, p := math.Exp(-l), 0, g.rng.Float64()
	for p > limit {
		k++
		p *= g.rng.Float64()
	}
	return k
}

// pick draws an index from cumulative weights cum.
func (g *generator) pick(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// zipf returns cumulative weights 1/(r+1)^s over n items, ranks shuffled so that
// popularity does not follow ids.
func (g *generator) zipf(n int, s float64) []float64 {
	rank := g.rng.Perm(n)
	cum := make([]float64, n)
	acc := 0.0
	for i := range n {
		acc += 1 / math.Pow(float64(rank[i]+1), s)
		cum[i] = acc
	}
	return cum
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) rel(r graph.Relationship) { g.rels = append(g.rels, r) }

func (g *generator) node(n graph.Node) {
	n.Source = g.src
	if g.chance(0.5) {
		n.Confidence = g.f(math.Round((0.5+0.5*g.rng.Float64())*100) / 100)
	}
	g.nodes = append(g.nodes, n)
}

func (g *generator) reliability() *float64 {
	return g.f(math.Round((0.8+0.199*g.rng.Float64())*1000) / 1000)
}

// picked reports whether x is already among xs; per-node choices are few, so a scan beats
// a map.
func picked(xs []int, x int) bool { return slices.Contains(xs, x) }

// ---- nodes --------------------------------------------------------------------------

// nationCode spreads index i over the 17,576 codes so that neighbours do not look alike.
func nationCode(i int) string {
	c := (i*7919 + 1234) % MaxNations
	return string([]byte{byte('A' + c/676), byte('A' + c/26%26), byte('A' + c%26)})
}

func (g *generator) nations() {
	n := g.cfg.Nations
	g.nNations = n
	g.blocNation = make([][]int, g.blocs)
	g.blocWeight = make([][]float64, g.blocs)
	g.natWeight = make([]float64, n)
	acc := 0.0
	for i := range n {
		code := nationCode(i)
		bloc := i % g.blocs
		// Pareto sizes: a few nations provide most of everything.
		w := math.Min(1/math.Pow(1-g.rng.Float64(), 1/1.1), 500)
		acc += w
		g.natWeight[i] = acc
		g.sh = append(g.sh, stakeholder{id: "nation:" + code, nation: i, bloc: bloc, kind: -1})
		g.blocNation[bloc] = append(g.blocNation[bloc], i)
		bw := w
		if k := len(g.blocWeight[bloc]); k > 0 {
			bw += g.blocWeight[bloc][k-1]
		}
		g.blocWeight[bloc] = append(g.blocWeight[bloc], bw)
		nd := graph.Node{Label: graph.LabelNation, ID: "nation:" + code, Name: "Nation " + code, Code: code,
			Region: regions[bloc%len(regions)]}
		if g.chance(0.2) {
			nd.Reliability = g.reliability()
		}
		g.node(nd)
	}
}

func (g *generator) agencies() {
	g.agenciesOf = make([][]int, g.nNations)
	for i := range g.nNations {
		code := g.sh[i].id[len("nation:"):]
		lower := strings.ToLower(code)
		for j := range g.cfg.AgenciesPerNation {
			k := j % len(natKinds)
			suffix := kindAbbr[k]
			if j >= len(natKinds) {
				suffix = fmt.Sprintf("%s%d", suffix, j/len(natKinds)+1)
			}
			id := "agency:" + lower + "-" + suffix
			s := len(g.sh)
			g.sh = append(g.sh, stakeholder{id: id, nation: i, bloc: g.sh[i].bloc, kind: k})
			g.agenciesOf[i] = append(g.agenciesOf[i], s)
			nd := graph.Node{Label: graph.LabelAgency, ID: id, Name: fmt.Sprintf("%s agency %s of %s", natKinds[k], suffix, code), Kind: natKinds[k]}
			if g.chance(0.2) {
				nd.Reliability = g.reliability()
			}
			g.node(nd)
			g.rel(graph.Relationship{Type: graph.RelPartOf, From: id, To: g.sh[i].id})
		}
	}
	g.blocIntl = make([][]int, g.blocs)
	for i := range g.cfg.InternationalBodies {
		id := fmt.Sprintf("agency:intl-%05d", i)
		bloc := i % g.blocs
		// A quarter of the bodies (beyond one hub per bloc) hang off a single hub: they are
		// what makes the hubs articulation points.
		sat := i >= g.blocs && g.chance(0.25)
		s := len(g.sh)
		g.sh = append(g.sh, stakeholder{id: id, nation: -1, bloc: bloc, kind: -1, sat: sat})
		if !sat {
			g.blocIntl[bloc] = append(g.blocIntl[bloc], s)
		}
		nd := graph.Node{Label: graph.LabelAgency, ID: id, Name: fmt.Sprintf("International body %d (%s)", i, regions[bloc%len(regions)]), Kind: "INTERNATIONAL"}
		if g.chance(0.4) {
			nd.Reliability = g.reliability()
		}
		g.node(nd)
	}
	g.family = make([][]int, len(g.sh))
}

// capabilities lays capabilities out as a few shared enablers plus clusters of about 40,
// each in four tiers; DEPENDS_ON runs from a tier to the next and from the last tier to
// the shared enablers, with a few edges reversed to close cycles.
func (g *generator) capabilities() {
	n := g.cfg.Capabilities
	if n == 0 {
		return
	}
	g.nEnablers = max(1, n/150)
	nClusters := max(1, (n-g.nEnablers+39)/40)
	g.clusters = make([][][]int, nClusters)
	g.clusterDom = make([]int, nClusters)
	g.blocClus = make([][]int, g.blocs)
	for c := range nClusters {
		g.clusters[c] = make([][]int, 4)
		g.clusterDom[c] = g.rng.IntN(len(graph.ObjectiveDomains))
		g.blocClus[c%g.blocs] = append(g.blocClus[c%g.blocs], c)
	}
	g.capIDs = make([]string, n)
	g.capCluster = make([]int, n)
	g.capTier = make([]int, n)
	for i := range n {
		id := fmt.Sprintf("cap:%06d", i)
		g.capIDs[i] = id
		cat := "enabler"
		if i < g.nEnablers {
			g.capCluster[i], g.capTier[i] = -1, 4
		} else {
			c := (i - g.nEnablers) % nClusters
			u := g.rng.Float64()
			tier := 3
			switch {
			case u < 0.35:
				tier = 0
			case u < 0.65:
				tier = 1
			case u < 0.85:
				tier = 2
			}
			g.capCluster[i], g.capTier[i] = c, tier
			g.clusters[c][tier] = append(g.clusters[c][tier], i)
			cat = categories[c%len(categories)]
		}
		g.node(graph.Node{Label: graph.LabelCapability, ID: id, Name: fmt.Sprintf("Capability %d (%s, tier %d)", i, cat, g.capTier[i]), Category: cat})
	}
	// Tiers 0-2 make 85% of capabilities; the enabler links add about 0.16 per capability.
	lambda := math.Max(0, (g.cfg.DependsPerCapability-0.16)/0.85)
	var forward [][2]int
	for i := range n {
		var deps []int
		add := func(d int) {
			if d != i && !picked(deps, d) {
				deps = append(deps, d)
			}
		}
		switch t := g.capTier[i]; {
		case t == 4:
			// Enablers build on earlier ones, but not on the single-sourced: those stay
			// leaves, so that few closures hang on one nation.
			if d := g.rng.IntN(max(1, i)); i > 0 && !singleSource(d) && g.chance(0.5) {
				add(d)
			}
		case t == 3:
			if g.chance(0.5) {
				add(g.rng.IntN(g.nEnablers))
			}
		default:
			next := g.clusters[g.capCluster[i]][t+1]
			if len(next) > 0 {
				for range g.poisson(lambda) {
					add(next[g.rng.IntN(len(next))])
				}
			}
			if g.chance(0.1) {
				add(g.rng.IntN(g.nEnablers))
			}
		}
		for _, d := range deps {
			g.rel(graph.Relationship{Type: graph.RelDependsOn, From: g.capIDs[i], To: g.capIDs[d]})
			if g.capTier[i] < 3 && g.capCluster[d] >= 0 {
				forward = append(forward, [2]int{i, d})
			}
		}
	}
	// A few reversed edges close realistic cycles (A needs B, B needs A).
	for range min(len(forward), max(1, n/1000)) {
		e := forward[g.rng.IntN(len(forward))]
		if g.reversed(e) {
			continue
		}
		g.rel(graph.Relationship{Type: graph.RelDependsOn, From: g.capIDs[e[1]], To: g.capIDs[e[0]]})
	}
}

// reversed reports whether the reverse of e was already added (the generator may draw the
// same forward edge twice).
func (g *generator) reversed(e [2]int) bool {
	from, to := g.capIDs[e[1]], g.capIDs[e[0]]
	for i := len(g.rels) - 1; i >= 0 && g.rels[i].Type == graph.RelDependsOn; i-- {
		if g.rels[i].From == from && g.rels[i].To == to {
			return true
		}
	}
	return false
}

func (g *generator) objectivesAndThreats() {
	cfg := g.cfg
	g.threatIDs = make([]string, cfg.Threats)
	for i := range cfg.Threats {
		g.threatIDs[i] = fmt.Sprintf("threat:%06d", i)
		kind := graph.ThreatKinds[g.rng.IntN(len(graph.ThreatKinds))]
		g.node(graph.Node{Label: graph.LabelThreat, ID: g.threatIDs[i], Name: fmt.Sprintf("Threat %d (%s)", i, kind), Kind: kind})
	}
	// The last 2% of threats are never addressed: UNADDRESSED_THREAT gaps.
	addressable := cfg.Threats - max(1, cfg.Threats/50)
	var threatCum []float64
	if addressable > 0 {
		threatCum = g.zipf(addressable, 0.7)
	}
	// byDomain[b][d] lists the clusters of bloc b (b = blocs: all clusters) in domain d.
	byDomain := make([][][]int, g.blocs+1)
	for b := range byDomain {
		byDomain[b] = make([][]int, len(graph.ObjectiveDomains))
	}
	for c, d := range g.clusterDom {
		byDomain[c%g.blocs][d] = append(byDomain[c%g.blocs][d], c)
		byDomain[g.blocs][d] = append(byDomain[g.blocs][d], c)
	}
	g.objIDs = make([]string, cfg.Objectives)
	g.objBloc = make([]int, cfg.Objectives)
	g.blocObjs = make([][]int, g.blocs)
	for i := range cfg.Objectives {
		id := fmt.Sprintf("obj:%06d", i)
		g.objIDs[i] = id
		dom := g.rng.IntN(len(graph.ObjectiveDomains))
		bloc := -1
		if !g.chance(0.2) {
			bloc = g.rng.IntN(g.blocs)
			g.blocObjs[bloc] = append(g.blocObjs[bloc], i)
		}
		g.objBloc[i] = bloc
		g.node(graph.Node{Label: graph.LabelObjective, ID: id, Name: fmt.Sprintf("Objective %d (%s)", i, graph.ObjectiveDomains[dom]), Domain: graph.ObjectiveDomains[dom]})
		// REQUIRES: mostly the top tiers of one cluster of the objective's bloc and domain,
		// sometimes another of the bloc's clusters or any cluster; 1% require nothing
		// (UNSPECIFIED).
		if len(g.clusters) > 0 && !g.chance(0.01) {
			own := g.clusterRange(bloc)
			home := own[g.rng.IntN(len(own))]
			if cs := byDomain[max(bloc, 0)+g.blocs*b2i(bloc < 0)][dom]; len(cs) > 0 {
				home = cs[g.rng.IntN(len(cs))]
			}
			var req []int
			for range max(1, g.poisson(g.cfg.RequiresPerObjective)) {
				c := home
				switch u := g.rng.Float64(); {
				case u < 0.05:
					c = g.rng.IntN(len(g.clusters))
				case u < 0.25:
					c = own[g.rng.IntN(len(own))]
				}
				tier := g.clusters[c][0]
				if len(tier) == 0 || g.chance(0.3) {
					tier = g.clusters[c][1]
				}
				if len(tier) == 0 {
					continue
				}
				if x := tier[g.rng.IntN(len(tier))]; !picked(req, x) {
					req = append(req, x)
					g.rel(graph.Relationship{Type: graph.RelRequires, From: id, To: g.capIDs[x]})
				}
			}
		}
		if threatCum != nil {
			var addr []int
			for range g.poisson(g.cfg.AddressesPerObjective) {
				if t := g.pick(threatCum); !picked(addr, t) {
					addr = append(addr, t)
					g.rel(graph.Relationship{Type: graph.RelAddresses, From: id, To: g.threatIDs[t]})
				}
			}
		}
	}
	g.objCum = g.zipf(cfg.Objectives, 0.8)
	// CONFLICTS_WITH joins objectives of different blocs.
	seen := map[[2]int]bool{}
	for range int(math.Round(float64(cfg.Objectives) * cfg.ConflictsPerObjective)) {
		a, b := g.rng.IntN(cfg.Objectives), g.rng.IntN(cfg.Objectives)
		if a == b || g.objBloc[a] == g.objBloc[b] && g.objBloc[a] >= 0 {
			continue
		}
		k := [2]int{min(a, b), max(a, b)}
		if seen[k] {
			continue
		}
		seen[k] = true
		g.rel(graph.Relationship{Type: graph.RelConflictsWith, From: g.objIDs[a], To: g.objIDs[b]})
	}
}

// clusterRange is the clusters an objective of bloc draws from: the bloc's own, or all of
// them for a global objective (bloc -1) or a bloc without clusters.
func (g *generator) clusterRange(bloc int) []int {
	if bloc >= 0 && len(g.blocClus[bloc]) > 0 {
		return g.blocClus[bloc]
	}
	all := make([]int, len(g.clusters))
	for i := range all {
		all[i] = i
	}
	return all
}

// singleSource reports whether shared enabler i gets a single provider.
func singleSource(i int) bool { return i%11 == 10 }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// provider picks who provides a capability: mostly a large nation of the capability's
// bloc (bloc -1: of any bloc), itself or one of its agencies, the military one first;
// sometimes an international body.
func (g *generator) provider(cat string, bloc int) int {
	if g.nNations == 0 || g.cfg.InternationalBodies > 0 && g.chance(0.1) {
		if bloc >= 0 && len(g.blocIntl[bloc]) > 0 && g.chance(0.8) {
			return g.blocIntl[bloc][g.rng.IntN(len(g.blocIntl[bloc]))]
		}
		if g.cfg.InternationalBodies == 0 {
			return -1
		}
		return len(g.sh) - g.cfg.InternationalBodies + g.rng.IntN(g.cfg.InternationalBodies)
	}
	var n int
	if bloc >= 0 && len(g.blocNation[bloc]) > 0 && g.chance(0.9) {
		n = g.blocNation[bloc][g.pick(g.blocWeight[bloc])]
	} else {
		n = g.pick(g.natWeight)
	}
	ags := g.agenciesOf[n]
	if len(ags) == 0 || g.chance(0.25) {
		return n
	}
	if cat == "cyber" || cat == "space" {
		if j := 2 + g.rng.IntN(2); j < len(ags) { // the intelligence or civil agency
			return ags[j]
		}
	}
	if g.chance(0.7) {
		return ags[0]
	}
	return ags[g.rng.IntN(len(ags))]
}

// enablerProviders adds the providers of shared enabler i: in most blocs its largest
// nation (as satcom or PNT come from the big powers and are shared through alliances);
// one enabler in eleven has a single provider in the whole model (SINGLE_SOURCE). It
// returns how many providers the caller should still draw.
func (g *generator) enablerProviders(i int, id string) int {
	if singleSource(i) || g.nNations == 0 {
		return 1
	}
	for b := range g.blocs {
		ns := g.blocNation[b]
		if len(ns) == 0 || !g.chance(0.9) {
			continue
		}
		big, w := ns[0], -1.0
		for j, n := range ns {
			wj := g.blocWeight[b][j]
			if j > 0 {
				wj -= g.blocWeight[b][j-1]
			}
			if wj > w {
				big, w = n, wj
			}
		}
		p := big
		if ags := g.agenciesOf[big]; len(ags) > 0 {
			p = ags[0]
		}
		g.rel(graph.Relationship{Type: graph.RelProvides, From: g.sh[p].id, To: id})
		if !picked(g.family[big], i) {
			g.family[big] = append(g.family[big], i)
		}
	}
	return 0
}

func (g *generator) famOf(s int) int {
	if n := g.sh[s].nation; n >= 0 {
		return n
	}
	return s
}

func (g *generator) provides() {
	if len(g.sh) == 0 {
		return
	}
	mean := g.cfg.ProvidersPerCapability
	for i, id := range g.capIDs {
		// 2% of capabilities have no provider (COVERAGE gaps); shared enablers have fewer
		// and larger providers, so some hang on one nation (SINGLE_SOURCE).
		if g.chance(0.02) {
			continue
		}
		k := 1 + g.poisson(math.Max(0, mean-1))
		if g.capCluster[i] < 0 {
			k = g.enablerProviders(i, id)
		}
		cat := categories[max(0, g.capCluster[i])%len(categories)]
		bloc := -1
		if c := g.capCluster[i]; c >= 0 {
			bloc = c % g.blocs
		}
		var ps []int
		for range k {
			p := g.provider(cat, bloc)
			if p < 0 || picked(ps, p) || g.sh[p].sat {
				continue
			}
			ps = append(ps, p)
			r := graph.Relationship{Type: graph.RelProvides, From: g.sh[p].id, To: id}
			from := 0
			if g.chance(0.15) {
				from = g.epoch - 1 - g.rng.IntN(240)
				r.ValidFrom = date(from)
			}
			if g.chance(0.12) {
				to := g.epoch - 36 + g.rng.IntN(54)
				if from != 0 && to <= from {
					to = from + 1 + g.rng.IntN(60)
				}
				r.ValidTo = date(to)
			}
			if g.chance(0.3) {
				r.Capacity = g.f(float64(1 + g.rng.IntN(100)))
			}
			if g.chance(0.3) {
				r.Confidence = g.f(math.Round((0.5+0.5*g.rng.Float64())*100) / 100)
			}
			g.rel(r)
			f := g.famOf(p)
			if !picked(g.family[f], i) {
				g.family[f] = append(g.family[f], i)
			}
		}
	}
}

// agreements: one alliance per bloc with all its nations and hub bodies, then agreements
// of heavy-tailed size, mostly within a bloc, governing what their parties provide.
func (g *generator) agreements() {
	cfg := g.cfg
	if cfg.Agreements == 0 || len(g.sh) == 0 {
		return
	}
	nAlliances := min(g.blocs, cfg.Agreements)
	allianceParties := 0
	for b := range nAlliances {
		allianceParties += len(g.blocNation[b]) + len(g.blocIntl[b])
	}
	rest := cfg.Agreements - nAlliances
	meanRest := 2.0
	if rest > 0 {
		meanRest = math.Max(2, (cfg.PartiesPerAgreement*float64(cfg.Agreements)-float64(allianceParties))/float64(rest))
	}
	kinds := []string{"TREATY", "MOU", "MOU", "ARRANGEMENT", "ARRANGEMENT", "PROGRAMME"}
	for a := range cfg.Agreements {
		id := fmt.Sprintf("agr:%06d", a)
		var parties []int
		var kind string
		bloc := g.rng.IntN(g.blocs)
		if a < nAlliances {
			bloc = a
			kind = "ALLIANCE"
			parties = append(slices.Clone(g.blocNation[bloc]), g.blocIntl[bloc]...)
		} else {
			kind = kinds[g.rng.IntN(len(kinds))]
			k := 2 + int(-math.Log(1-g.rng.Float64())*(meanRest-2))
			for tries := 0; len(parties) < k && tries < 4*k; tries++ {
				if p := g.party(bloc); p >= 0 && !picked(parties, p) {
					parties = append(parties, p)
				}
			}
		}
		u := g.rng.Float64()
		signed := g.epoch - 1 - int(u*u*720)
		nd := graph.Node{Label: graph.LabelAgreement, ID: id, Kind: kind, Signed: date(signed),
			Name: fmt.Sprintf("%s %d (%s)", strings.ToLower(kind), a, regions[bloc%len(regions)])}
		switch {
		case a >= nAlliances && g.chance(0.04): // ends within 18 months: EXPIRING gaps
			nd.Expires = date(g.epoch + 1 + g.rng.IntN(18))
		case a >= nAlliances && g.chance(0.22):
			nd.Expires = date(signed + 12 + g.rng.IntN(360))
		}
		if g.chance(0.5) {
			nd.Reliability = g.reliability()
		}
		g.node(nd)
		for _, p := range parties {
			r := graph.Relationship{Type: graph.RelPartyTo, From: g.sh[p].id, To: id, Role: roles[g.rng.IntN(len(roles))]}
			from := 0
			if g.chance(0.2) {
				from = signed + g.rng.IntN(max(1, min(240, g.epoch+12-signed)))
				r.ValidFrom = date(from)
			}
			if g.chance(0.04) {
				r.ValidTo = date(max(from, signed) + 1 + g.rng.IntN(120))
			}
			g.rel(r)
		}
		// An alliance governs everything its members provide (as the North Atlantic Treaty
		// does in the demo); other agreements govern what some party's family provides.
		if a < nAlliances {
			var gov []int
			for _, p := range parties {
				gov = append(gov, g.family[g.famOf(p)]...)
			}
			slices.Sort(gov)
			for _, c := range slices.Compact(gov) {
				g.rel(graph.Relationship{Type: graph.RelGoverns, From: id, To: g.capIDs[c]})
			}
			continue
		}
		var gov []int
		n := max(1, g.poisson(cfg.GovernsPerAgreement))
		for tries := 0; len(gov) < n && tries < 3*n; tries++ {
			c := -1
			if len(parties) > 0 {
				if fam := g.family[g.famOf(parties[g.rng.IntN(len(parties))])]; len(fam) > 0 {
					c = fam[g.rng.IntN(len(fam))]
				}
			}
			if c < 0 && len(g.capIDs) > 0 {
				c = g.rng.IntN(len(g.capIDs))
			}
			if c >= 0 && !picked(gov, c) {
				gov = append(gov, c)
				g.rel(graph.Relationship{Type: graph.RelGoverns, From: id, To: g.capIDs[c]})
			}
		}
	}
}

// party picks a party for an agreement of bloc: a nation (three times in four), one of its
// agencies, or a hub international body, from the bloc four times in five.
func (g *generator) party(bloc int) int {
	if !g.chance(0.85) {
		bloc = g.rng.IntN(g.blocs)
	}
	u := g.rng.Float64()
	if (u > 0.95 || g.nNations == 0) && len(g.blocIntl[bloc]) > 0 {
		return g.blocIntl[bloc][g.rng.IntN(len(g.blocIntl[bloc]))]
	}
	ns := g.blocNation[bloc]
	if len(ns) == 0 {
		return -1
	}
	n := ns[g.rng.IntN(len(ns))]
	if u > 0.75 && len(g.agenciesOf[n]) > 0 {
		return g.agenciesOf[n][g.rng.IntN(len(g.agenciesOf[n]))]
	}
	return n
}

// pursues: nations favour their bloc's objectives and popular ones; agencies echo half of
// their nation's choices, a notch up or down in priority.
func (g *generator) pursues() {
	if len(g.objIDs) == 0 {
		return
	}
	chosen := make([][]int, g.nNations)
	prio := make([][]int, g.nNations)
	for s := range g.sh {
		sh := g.sh[s]
		k := g.poisson(g.cfg.PursuesPerStakeholder)
		switch {
		case sh.nation == s:
			k = max(1, k)
		case sh.sat:
			k = min(k, g.poisson(1))
		}
		var objs []int
		for tries := 0; len(objs) < k && tries < 3*k; tries++ {
			var o, p int
			if sh.nation >= 0 && sh.nation != s && len(chosen[sh.nation]) > 0 && g.chance(0.5) {
				j := g.rng.IntN(len(chosen[sh.nation]))
				o = chosen[sh.nation][j]
				p = min(5, max(1, prio[sh.nation][j]+g.rng.IntN(3)-1))
			} else {
				if bo := g.blocObjs[sh.bloc]; len(bo) > 0 && g.chance(0.9) {
					o = bo[g.rng.IntN(len(bo))]
				} else {
					o = g.pick(g.objCum)
				}
				p = 1 + g.rng.IntN(4)
				if g.objBloc[o] == sh.bloc {
					p++
				}
			}
			if picked(objs, o) {
				continue
			}
			objs = append(objs, o)
			if sh.nation == s {
				chosen[s] = append(chosen[s], o)
				prio[s] = append(prio[s], p)
			}
			g.rel(graph.Relationship{Type: graph.RelPursues, From: sh.id, To: g.objIDs[o], Priority: p})
		}
	}
}

// coordination: each nation's agencies meet in one committee around the military agency;
// agencies liaise with their counterparts and with the hub bodies of their bloc; each
// satellite body hangs off one hub.
func (g *generator) coordination() {
	seen := map[[2]int]bool{}
	mechs := []string{"LIAISON", "LIAISON", "COMMITTEE", "JOINT_TASK_FORCE", "OTHER"}
	link := func(a, b int, mech string) bool {
		k := [2]int{min(a, b), max(a, b)}
		if a == b || seen[k] {
			return false
		}
		seen[k] = true
		g.rel(graph.Relationship{Type: graph.RelCoordinatesWith, From: g.sh[a].id, To: g.sh[b].id, Mechanism: mech})
		return true
	}
	edges := 0
	for n := range g.nNations {
		ags := g.agenciesOf[n]
		for _, a := range ags[min(1, len(ags)):] {
			if link(ags[0], a, "COMMITTEE") {
				edges++
			}
		}
	}
	intl := len(g.sh) - g.cfg.InternationalBodies
	for s := intl; s < len(g.sh); s++ {
		if !g.sh[s].sat {
			continue
		}
		if hubs := g.blocIntl[g.sh[s].bloc]; len(hubs) > 0 && link(s, hubs[g.rng.IntN(len(hubs))], "LIAISON") {
			edges++
		}
	}
	var pool []int // agencies that take part in cross-links
	for s := g.nNations; s < len(g.sh); s++ {
		if !g.sh[s].sat {
			pool = append(pool, s)
		}
	}
	target := int(float64(len(g.sh)-g.nNations) * g.cfg.CoordinationPerAgency / 2)
	for tries := 0; edges < target && len(pool) > 1 && tries < 4*target; tries++ {
		a := pool[g.rng.IntN(len(pool))]
		sa := g.sh[a]
		b := -1
		if hubs := g.blocIntl[sa.bloc]; len(hubs) > 0 && (sa.kind < 0 || g.chance(0.4)) {
			b = hubs[g.rng.IntN(len(hubs))]
		} else if ns := g.blocNation[sa.bloc]; len(ns) > 0 {
			ags := g.agenciesOf[ns[g.rng.IntN(len(ns))]]
			j := 0
			for j < len(ags) && g.sh[ags[j]].kind != sa.kind {
				j++
			}
			if j < len(ags) {
				b = ags[j]
			}
		}
		if b >= 0 && (sa.nation < 0 || g.sh[b].nation != sa.nation) {
			if link(a, b, mechs[g.rng.IntN(len(mechs))]) {
				edges++
			}
		}
	}
}
