package resolvers_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/gen"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
)

// The adversarial suite: a model with hidden nodes of every kind, probed by an analyst of
// nation AAA through every door of the API. A probe is one (hidden node, question) pair;
// each must reveal nothing of the node — its id, its name, or its effect on an answer.

const viewerNation = "AAA"

// probeModel is a generated model where about one node in six of every kind is
// releasable only to ZZZ (hidden from the viewer), some to AAA and others (visible).
func probeModel() (full, reduced *graph.Document, hidden map[string]graph.Node) {
	cfg := gen.Config{Seed: 7, Nations: 12, AgenciesPerNation: 3, InternationalBodies: 4,
		Objectives: 30, Capabilities: 40, Agreements: 12, Threats: 10,
		PursuesPerStakeholder: 4, RequiresPerObjective: 3, ProvidersPerCapability: 3,
		DependsPerCapability: 1.2, PartiesPerAgreement: 5, GovernsPerAgreement: 3,
		CoordinationPerAgency: 2, AddressesPerObjective: 1, ConflictsPerObjective: 0.2}
	full = gen.Generate(cfg)
	rng := rand.New(rand.NewPCG(7, 7))
	hidden = map[string]graph.Node{}
	stamp := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // so both imports export alike
	for i := range full.Nodes {
		n := &full.Nodes[i]
		n.UpdatedAt = &stamp
		n.ReleasableTo = nil
		switch r := rng.IntN(6); {
		case r == 0 || i < len(graph.Labels): // at least the first nodes: kinds come in order
			n.ReleasableTo = []string{"ZZZ"}
			n.Name = fmt.Sprintf("Covert %s %d", n.Label, i)
			hidden[n.ID] = *n
		case r == 1:
			n.ReleasableTo = []string{viewerNation, "ZZZ"}
		}
	}
	reduced = &graph.Document{Version: graph.DocumentVersion}
	for _, n := range full.Nodes {
		if _, h := hidden[n.ID]; !h {
			reduced.Nodes = append(reduced.Nodes, n)
		}
	}
	for _, r := range full.Relationships {
		if _, h := hidden[r.From]; h {
			continue
		}
		if _, h := hidden[r.To]; h {
			continue
		}
		reduced.Relationships = append(reduced.Relationships, r)
	}
	return full, reduced, hidden
}

type prober struct {
	t      *testing.T
	h      http.Handler
	viewer *graph.Viewer
	hidden map[string]graph.Node
	probes int
	leaks  int
}

func (p *prober) ask(query string, vars map[string]any) string {
	p.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(graph.WithViewer(req.Context(), p.viewer))
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	var resp map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		p.t.Fatalf("not JSON: %s", rec.Body.String())
	}
	delete(resp, "extensions") // round-trip counts are not about the data
	out, _ := json.Marshal(resp)
	return string(out)
}

// check counts one probe per hidden node against an answer: neither its id nor its name
// may appear.
func (p *prober) check(what, answer string) {
	p.t.Helper()
	for id, n := range p.hidden {
		p.probes++
		if strings.Contains(answer, `"`+id+`"`) || strings.Contains(answer, id+"->") ||
			strings.Contains(answer, ">"+id+`"`) || strings.Contains(answer, n.Name) {
			p.leaks++
			p.t.Errorf("%s reveals hidden %s: %.300s", what, id, answer)
		}
	}
}

// traversals asks every relationship field of a node.
const traversals = `query($id: ID!) { node(id: $id) { id
  ... on Nation { agencies { id } pursues { id objective { id } } provides { id capability { id } } partyTo { id agreement { id } } }
  ... on Agency { nation { id } coordinatesWith { id agency { id } } pursues { id objective { id } } provides { id capability { id } } partyTo { id agreement { id } } }
  ... on Objective { pursuedBy { id stakeholder { id } } requires { id } addresses { id } conflictsWith { id } }
  ... on Capability { providers { id provider { id } } dependsOn { id } dependents { id } requiredBy { id } governedBy { id } }
  ... on Agreement { parties { id party { id } } governs { id } }
  ... on Threat { addressedBy { id } } } }`

// analyses are asked of the full model as the viewer and of the model without the
// hidden nodes as an administrator: the answers must be identical.
func analyses(objectives, stakeholders, events []string) []string {
	qs := []string{
		`{ hangingOn(asOf: "2026-11-27") { event { id name } objectives { id } } }`,
		`{ gaps(asOf: "2026-11-27", first: 100000) { kind objective { id } capability { id } stakeholder { id } threat { id } causedBy cause { kind } explanation { nodes relationships } } }`,
		`{ cutSets(maxOrder: 2, asOf: "2026-11-27") { objective { id } achievable cutSets { events { id } explanation { nodes relationships } } } }`,
		`{ brokers(asOf: "2026-11-27") { articulationPoints { id } bridges { a { id } b { id } } explanation { nodes relationships } } }`,
		`{ coalitions(threshold: 0.1, asOf: "2026-11-27") { modularity communities { id } explanation { nodes relationships } } }`,
		`{ nations(first: 500) { totalCount nodes { id } } agencies(first: 500) { totalCount } objectives(first: 500) { totalCount } capabilities(first: 500) { totalCount } agreements(first: 500) { totalCount } threats(first: 500) { totalCount } }`,
		// No exportGraph: it is for administrators only (@hasRole), who see everything.
	}
	for _, o := range objectives[:min(6, len(objectives))] {
		qs = append(qs,
			fmt.Sprintf(`{ resilience(objective: %q, asOf: "2026-11-27") { achievable minCutOrder probability importance { event { id } birnbaum fussellVesely raw rrw } } }`, o),
			fmt.Sprintf(`{ cutSets(objective: %q, maxOrder: 3, asOf: "2026-11-27") { cutSets { events { id } explanation { nodes relationships } } } }`, o))
	}
	for _, s := range stakeholders[:min(6, len(stakeholders))] {
		qs = append(qs,
			fmt.Sprintf(`{ partners(of: %q, first: 50, asOf: "2026-11-27") { b { id } score shared { objective { id } } conflicts { objectiveA { id } objectiveB { id } } } }`, s),
			fmt.Sprintf(`{ singlePointsOfFailure(view: {stakeholder: %q}, asOf: "2026-11-27") { objective { id } achievable cutSets { events { id } explanation { nodes relationships } } } }`, s),
			fmt.Sprintf(`{ impact(id: %q, asOf: "2026-11-27") { capabilities { id } objectives { id } stakeholders { id } singlePointOf { id } explanation { nodes relationships } } }`, s),
			fmt.Sprintf(`{ gaps(kinds: [ACCESS], stakeholder: %q, asOf: "2026-11-27") { objective { id } capability { id } explanation { nodes relationships } } }`, s))
	}
	for i := 0; i+1 < len(events) && i < 10; i += 2 {
		qs = append(qs, fmt.Sprintf(`{ whatIf(down: [%q, %q], asOf: "2026-11-27") { objectives { node { id } explanation { nodes relationships } } capabilities { node { id } } } }`, events[i], events[i+1]))
	}
	return append(qs, playgroundProbes()...)
}

// playgroundProbes ask every relationship condition of the playground (each quantifier and
// count, over every traversal), the traversal connections with their counts, cursors and
// aggregates, and the lists' aggregates: for the viewer, a hidden node must not exist in
// any of them.
func playgroundProbes() []string {
	lists := map[string]string{"Nation": "nations", "Agency": "agencies", "Objective": "objectives",
		"Capability": "capabilities", "Agreement": "agreements", "Threat": "threats"}
	// Conditions that hold for some related items and not others; hidden nodes are named
	// "Covert …", so a name condition would count them if they leaked in.
	inner := func(r resolvers.WhereRel) string {
		switch r.View {
		case "":
			return `{name_CONTAINS: "o"}`
		case "Coordination":
			return `{agency: {name_CONTAINS: "o"}}`
		case "Pursuit":
			return `{OR: [{priority_GTE: 3}, {objective: {name_STARTS_WITH: "Covert"}}]}`
		case "Provision":
			return `{provider: {name_CONTAINS: "o"}}`
		}
		return `{party: {name_CONTAINS: "o"}}`
	}
	var qs []string
	for _, r := range resolvers.WhereRels() {
		list, in := lists[r.Type], inner(r)
		q := fmt.Sprintf(`{ some: %[1]s(where: {%[2]s_SOME: %[3]s}, first: 500) { totalCount nodes { id } }
			none: %[1]s(where: {%[2]s_NONE: %[3]s}, first: 500) { totalCount nodes { id } }
			all: %[1]s(where: {%[2]s_ALL: %[3]s}, first: 500) { totalCount nodes { id } }
			single: %[1]s(where: {%[2]s_SINGLE: %[3]s}, first: 500) { totalCount nodes { id } }
			empty: %[1]s(where: {%[2]s_COUNT_EQ: 0}, first: 500) { totalCount aggregate { count } nodes { id } }
			many: %[1]s(where: {%[2]s_COUNT_GT: 1}, orderBy: [{field: NAME, direction: DESC}], last: 9) { pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor } }`, list, r.Field, in)
		if !r.One() {
			q += fmt.Sprintf(`
			conn: %[1]s(first: 500) { nodes { id %[2]s(where: %[3]s, first: 2) { __typename } %[2]sConnection(first: 3) { totalCount aggregate { count } pageInfo { hasNextPage endCursor } edges { cursor } } } }`, list, r.Field, in)
		}
		qs = append(qs, q+" }")
	}
	return append(qs,
		`{ agreements(first: 1) { aggregate { count signed { count min max } expires { count min max } confidence { count min max sum average } reliability { count min max } } } }`,
		`{ capabilities(first: 500) { nodes { id providersConnection(orderBy: [{field: CAPACITY}]) { aggregate { capacity { count min max sum } validTo { min max } } } } } }`,
		`{ nations(where: {releasableTo_INCLUDES: "ZZZ"}, first: 500) { totalCount nodes { id } } objectives(where: {releasableTo_IS_NULL: false}, first: 500) { totalCount } }`)
}

func TestNothingRevealsAHiddenNode(t *testing.T) {
	s := neo4jtest.Open(t)
	full, reduced, hidden := probeModel()
	admin := graph.WithViewer(context.Background(), graph.LocalViewer)
	api := resolvers.NewHandler(&resolvers.Resolver{Store: s}, resolvers.Options{})
	analyst := &graph.Viewer{Subject: "probe", Role: graph.RoleAnalyst, Nation: viewerNation}
	p := &prober{t: t, h: api, viewer: analyst, hidden: hidden}

	// What the viewer may see, to pick probes from.
	var objectives, stakeholders, events []string
	for _, n := range reduced.Nodes {
		switch n.Label {
		case graph.LabelObjective:
			objectives = append(objectives, n.ID)
		case graph.LabelNation, graph.LabelAgency:
			stakeholders = append(stakeholders, n.ID)
			events = append(events, n.ID)
		}
	}
	byLabel := map[graph.Label]int{}
	for _, n := range hidden {
		byLabel[n.Label]++
	}
	for _, l := range graph.Labels {
		if byLabel[l] == 0 {
			t.Fatalf("the probe model hides no %s", l)
		}
	}

	// The answers an administrator gets from the model without the hidden nodes.
	if _, err := s.Import(admin, reduced, graph.ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	admins := &prober{t: t, h: api, viewer: graph.LocalViewer}
	qs := analyses(objectives, stakeholders, events)
	want := make([]string, len(qs))
	for i, q := range qs {
		want[i] = admins.ask(q, nil)
	}

	if _, err := s.Import(admin, full, graph.ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	// Every analysis (and list and count) answers as if the hidden nodes did not exist.
	for i, q := range qs {
		got := p.ask(q, nil)
		p.check("analysis "+q[:min(40, len(q))], got)
		if got != want[i] {
			p.leaks++
			t.Errorf("the viewer's answer differs from the model without hidden nodes:\n%s\n got %.400s\nwant %.400s", q, got, want[i])
		}
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range hidden {
			if !yield(id) {
				return
			}
		}
	})
	neighbours := map[string][]string{}
	for _, r := range full.Relationships {
		neighbours[r.From] = append(neighbours[r.From], r.To)
		neighbours[r.To] = append(neighbours[r.To], r.From)
	}
	for _, id := range ids {
		n := hidden[id]
		// Direct lookups: the same answer as for an id that never existed.
		for _, q := range []string{
			`query($id: ID!) { node(id: $id) { id } }`,
			`query($id: ID!) { nodes(ids: [$id]) { id } }`,
			`query($id: ID!) { nation(id: $id) { id } agency(id: $id) { id } objective(id: $id) { id } capability(id: $id) { id } agreement(id: $id) { id } threat(id: $id) { id } }`,
		} {
			got := p.ask(q, map[string]any{"id": id})
			p.check("lookup", got)
			if unk := p.ask(q, map[string]any{"id": "never:existed"}); got != unk {
				p.leaks++
				t.Errorf("lookup of hidden %s answers %s, of an unknown id %s", id, got, unk)
			}
		}
		// Errors: naming the hidden id in an analysis or a write reads exactly as an unknown id.
		for _, q := range errorProbes {
			got := strings.ReplaceAll(p.ask(q, map[string]any{"id": id}), id, "ID")
			unk := strings.ReplaceAll(p.ask(q, map[string]any{"id": "never:existed"}), "never:existed", "ID")
			p.check("error", got)
			if got != unk {
				p.leaks++
				t.Errorf("%s: hidden %s answers %s, an unknown id %s", q, id, got, unk)
			}
		}
		// Conditions naming it, through every relationship that could reach it, read as
		// conditions naming an id that never existed.
		for _, r := range resolvers.WhereRels() {
			if r.Far != "" && r.Far != n.Label || r.Far == "" && !n.Label.IsStakeholder() {
				continue
			}
			cond := `{id_EQ: $id}`
			if r.View != "" {
				end := map[string]string{"Pursuit": "objective", "Provision": "capability", "Membership": "agreement", "Coordination": "agency"}[r.View]
				if r.Dir == graph.Incoming && r.View != "Coordination" {
					end = map[string]string{"Pursuit": "stakeholder", "Provision": "provider", "Membership": "party"}[r.View]
				}
				cond = fmt.Sprintf(`{%s: {id_EQ: $id}}`, end)
			}
			q := fmt.Sprintf(`query($id: ID!) { some: %[1]s(where: {%[2]s_SOME: %[3]s}) { totalCount nodes { id } } none: %[1]s(where: {%[2]s_NONE: %[3]s}) { totalCount } }`,
				map[string]string{"Nation": "nations", "Agency": "agencies", "Objective": "objectives", "Capability": "capabilities", "Agreement": "agreements", "Threat": "threats"}[r.Type], r.Field, cond)
			got := p.ask(q, map[string]any{"id": id})
			p.check("where naming it", got)
			if unk := p.ask(q, map[string]any{"id": "never:existed"}); got != unk {
				p.leaks++
				t.Errorf("%s: hidden %s answers %s, an unknown id %s", q, id, got, unk)
			}
		}
		// Search by its exact name, and list filters by name.
		p.check("search", p.ask(`query($t: String!) { search(text: $t, first: 500) { ... on Node { id name } } }`, map[string]any{"t": n.Name}))
		p.check("name filter", p.ask(`query($t: String!) { nations(filter: {nameContains: $t}) { totalCount nodes { id } } agencies(filter: {nameContains: $t}) { totalCount } objectives(filter: {nameContains: $t}) { totalCount } capabilities(filter: {nameContains: $t}) { totalCount } agreements(filter: {nameContains: $t}) { totalCount } threats(filter: {nameContains: $t}) { totalCount } }`, map[string]any{"t": n.Name}))
		// Traversals from every visible neighbour.
		for _, nb := range neighbours[id] {
			if _, h := hidden[nb]; h {
				continue
			}
			p.check("traversal from "+nb, p.ask(traversals, map[string]any{"id": nb}))
		}
	}
	// Cursors: page through every list one node at a time; no cursor encodes a hidden id.
	for _, list := range []string{"nations", "agencies", "objectives", "capabilities", "agreements", "threats"} {
		var after any
		for page := 0; page < 1000; page++ {
			ans := p.ask(fmt.Sprintf(`query($a: String) { %s(first: 7, after: $a) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, list), map[string]any{"a": after})
			var r struct {
				Data map[string]struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct{ Cursor string }
				}
			}
			if err := json.Unmarshal([]byte(ans), &r); err != nil {
				t.Fatal(err)
			}
			c := r.Data[list]
			var decoded []string
			for _, e := range c.Edges {
				decoded = append(decoded, decodeCursorForTest(t, e.Cursor))
			}
			p.check("cursors of "+list, strings.Join(quoteAll(decoded), ","))
			if !c.PageInfo.HasNextPage {
				break
			}
			after = c.PageInfo.EndCursor
		}
	}
	t.Logf("releasability: %d hidden nodes (%v), %d probes, %d leaks", len(hidden), byLabel, p.probes, p.leaks)
	if p.probes < 1000 {
		t.Fatalf("only %d probes ran, want at least 1000", p.probes)
	}
	if p.leaks != 0 {
		t.Fatalf("%d leaks", p.leaks)
	}
}

// errorProbes name an id where the API needs a visible one.
var errorProbes = []string{
	`query($id: ID!) { cutSets(objective: $id) { achievable } }`,
	`query($id: ID!) { resilience(objective: $id) { probability } }`,
	`query($id: ID!) { impact(id: $id) { objectives { id } } }`,
	`query($id: ID!) { whatIf(down: [$id]) { down { id } } }`,
	`query($id: ID!) { overlap(a: $id, b: $id) { score } }`,
	`query($id: ID!) { partners(of: $id) { score } }`,
	`query($id: ID!) { gaps(objective: $id) { kind } }`,
	`query($id: ID!) { singlePointsOfFailure(view: {stakeholder: $id}) { achievable } }`,
	`query($id: ID!) { hangingOn(event: $id) { objectives { id } } }`,
	`mutation($id: ID!) { deleteNodes(ids: [$id]) { deleted } }`,
	`mutation($id: ID!) { upsertRelationships(input: [{type: ADDRESSES, from: $id, to: $id}]) { id } }`,
	`mutation($id: ID!) { deleteRelationships(keys: [{type: ADDRESSES, from: $id, to: $id}]) { deleted } }`,
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// decodeCursorForTest reads a cursor as the API encodes it (base64url of "id:"+id), so
// the test sees what a curious client could.
func decodeCursorForTest(t *testing.T, c string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		t.Fatalf("cursor %q: %v", c, err)
	}
	return strings.TrimPrefix(string(b), "id:")
}
