package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/seed"
)

// api is a GraphQL endpoint over the real test database.
type api struct {
	t     *testing.T
	h     http.Handler
	store *neo4j.Store
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

func newAPI(t *testing.T) *api {
	t.Helper()
	s := neo4jtest.Open(t)
	return &api{t: t, h: asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: s}, resolvers.Options{Introspection: true})), store: s}
}

// do posts a query and decodes the response.
func (a *api) do(query string, vars map[string]any) response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body.String())
	}
	return r
}

// ok posts a query that must succeed and decodes its data into out.
func (a *api) ok(query string, vars map[string]any, out any) response {
	a.t.Helper()
	r := a.do(query, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("query failed: %+v\nquery: %s", r.Errors, query)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			a.t.Fatalf("decode data: %v: %s", err, r.Data)
		}
	}
	return r
}

// fails posts a query that must fail with code and field, and checks the graph did not change.
func (a *api) fails(query string, vars map[string]any, code, field string) {
	a.t.Helper()
	before := a.export()
	r := a.do(query, vars)
	if len(r.Errors) == 0 {
		a.t.Fatalf("query succeeded, want %s on %s: %s", code, field, r.Data)
	}
	e := r.Errors[0]
	if got := e.Extensions["code"]; got != code {
		a.t.Fatalf("code=%v, want %s (%s)", got, code, e.Message)
	}
	if got, _ := e.Extensions["field"].(string); !strings.Contains(got, field) {
		a.t.Fatalf("field=%q, want it to name %q (%s)", got, field, e.Message)
	}
	if after := a.export(); after != before {
		a.t.Fatal("a rejected request changed the graph")
	}
}

// asLocal serves h as a server without authentication does: to the local viewer, who sees
// everything. Releasability has tests of its own.
func asLocal(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), graph.LocalViewer)))
	})
}

var admin = graph.WithViewer(context.Background(), graph.LocalViewer)

func (a *api) export() string {
	a.t.Helper()
	doc, err := a.store.Export(admin)
	if err != nil {
		a.t.Fatal(err)
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

func (a *api) load(doc *graph.Document) {
	a.t.Helper()
	if _, err := a.store.Import(admin, doc, graph.ImportOptions{Replace: true}); err != nil {
		a.t.Fatalf("import: %v", err)
	}
}

func TestCRUDEveryKind(t *testing.T) {
	a := newAPI(t)
	upserts := []struct{ mutation, input, check string }{
		{"upsertNation", `{id: "nation:AAA", name: "Aland", code: "AAA", region: "Europe", source: "test", confidence: 0.7, reliability: 0.9, releasableTo: ["AAA"]}`, `code region reliability`},
		{"upsertAgency", `{id: "agency:aaa-mod", name: "Aland MoD", kind: MILITARY, source: "test"}`, `kind`},
		{"upsertObjective", `{id: "obj:defend", name: "Defend", domain: LAND}`, `domain`},
		{"upsertCapability", `{id: "cap:aar", name: "Air-to-air refuelling", category: "enabler"}`, `category`},
		{"upsertAgreement", `{id: "agr:pact", name: "Pact", kind: TREATY, signed: "2001-02-03", expires: "2031-02-03", reliability: 0.95}`, `kind signed expires`},
		{"upsertThreat", `{id: "threat:cyber", name: "Cyber", kind: CYBER}`, `kind`},
	}
	for _, u := range upserts {
		var out map[string]map[string]any
		a.ok(fmt.Sprintf(`mutation { %s(input: %s) { id name updatedAt ... on Node { source } %s } }`, u.mutation, u.input, u.check), nil, &out)
		got := out[u.mutation]
		if got["updatedAt"] == nil || got["name"] == "" {
			t.Fatalf("%s returned %v", u.mutation, got)
		}
	}
	// Read back through each kind's lookup and node(id:).
	var got struct {
		Nation struct {
			Code, Region string
			Reliability  float64
			ReleasableTo []string
		}
		Agency     struct{ Kind string }
		Objective  struct{ Domain string }
		Capability struct{ Category string }
		Agreement  struct{ Signed, Expires string }
		Threat     struct{ Kind string }
		Node       struct {
			Typename string `json:"__typename"`
		}
	}
	a.ok(`{ nation(code: "AAA") { code region reliability releasableTo }
	  agency(id: "agency:aaa-mod") { kind } objective(id: "obj:defend") { domain }
	  capability(id: "cap:aar") { category } agreement(id: "agr:pact") { signed expires }
	  threat(id: "threat:cyber") { kind } node(id: "agr:pact") { __typename } }`, nil, &got)
	if got.Nation.Code != "AAA" || got.Nation.Region != "Europe" || got.Nation.Reliability != 0.9 || len(got.Nation.ReleasableTo) != 1 ||
		got.Agency.Kind != "MILITARY" || got.Objective.Domain != "LAND" || got.Capability.Category != "enabler" ||
		got.Agreement.Signed != "2001-02-03" || got.Agreement.Expires != "2031-02-03" || got.Threat.Kind != "CYBER" || got.Node.Typename != "Agreement" {
		t.Fatalf("read back %+v", got)
	}
	// Update replaces: region removed, name changed.
	var upd struct {
		UpsertNation struct {
			Name   string
			Region *string
			Source *string
		}
	}
	// Absent optional text reads as null, not "".
	a.ok(`mutation { upsertNation(input: {id: "nation:AAA", name: "Aland Republic", code: "AAA"}) { name region source } }`, nil, &upd)
	if upd.UpsertNation.Name != "Aland Republic" || upd.UpsertNation.Region != nil || upd.UpsertNation.Source != nil {
		t.Fatalf("update returned %+v", upd)
	}
	// Every relationship type, then traverse each in both directions.
	a.ok(`mutation { upsertRelationships(input: [
	  {type: PART_OF, from: "agency:aaa-mod", to: "nation:AAA"},
	  {type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 4, source: "white paper"},
	  {type: REQUIRES, from: "obj:defend", to: "cap:aar"},
	  {type: PROVIDES, from: "agency:aaa-mod", to: "cap:aar", validFrom: "2020-01-01", validTo: "2030-01-01", capacity: 3},
	  {type: PARTY_TO, from: "nation:AAA", to: "agr:pact", role: "founder"},
	  {type: GOVERNS, from: "agr:pact", to: "cap:aar"},
	  {type: ADDRESSES, from: "obj:defend", to: "threat:cyber"}
	]) { id type from { id } to { id } } }`, nil, nil)
	var trav struct {
		Nation struct {
			Agencies []struct {
				ID       string
				Nation   struct{ ID string }
				Provides []struct {
					ValidFrom, ValidTo string
					Capacity           float64
					Capability         struct{ ID string }
				}
			}
			Pursues []struct {
				Priority  int
				Source    string
				Objective struct{ ID string }
			}
			PartyTo []struct {
				Role      string
				Agreement struct{ ID string }
			}
		}
		Capability struct {
			Providers  []struct{ Provider struct{ ID string } }
			RequiredBy []struct{ ID string }
			GovernedBy []struct{ ID string }
		}
		Threat    struct{ AddressedBy []struct{ ID string } }
		Agreement struct {
			Parties []struct{ Party struct{ ID string } }
			Governs []struct{ ID string }
		}
	}
	a.ok(`{ nation(id: "nation:AAA") {
	    agencies { id nation { id } provides { validFrom validTo capacity capability { id } } }
	    pursues { priority source objective { id } } partyTo { role agreement { id } } }
	  capability(id: "cap:aar") { providers { provider { id } } requiredBy { id } governedBy { id } }
	  threat(id: "threat:cyber") { addressedBy { id } }
	  agreement(id: "agr:pact") { parties { party { id } } governs { id } } }`, nil, &trav)
	n := trav.Nation
	if len(n.Agencies) != 1 || n.Agencies[0].Nation.ID != "nation:AAA" || len(n.Agencies[0].Provides) != 1 ||
		n.Agencies[0].Provides[0].ValidTo != "2030-01-01" || n.Agencies[0].Provides[0].Capacity != 3 ||
		len(n.Pursues) != 1 || n.Pursues[0].Priority != 4 || n.Pursues[0].Source != "white paper" ||
		len(n.PartyTo) != 1 || n.PartyTo[0].Role != "founder" {
		t.Fatalf("nation traversal %+v", n)
	}
	c := trav.Capability
	if len(c.Providers) != 1 || c.Providers[0].Provider.ID != "agency:aaa-mod" || len(c.RequiredBy) != 1 || len(c.GovernedBy) != 1 ||
		len(trav.Threat.AddressedBy) != 1 || len(trav.Agreement.Parties) != 1 || len(trav.Agreement.Governs) != 1 {
		t.Fatalf("reverse traversals %+v %+v %+v", c, trav.Threat, trav.Agreement)
	}
	// Delete a relationship, then nodes.
	a.ok(`mutation { deleteRelationships(keys: [{type: GOVERNS, from: "agr:pact", to: "cap:aar"}]) { deleted } }`, nil, nil)
	var after struct {
		Capability struct{ GovernedBy []struct{ ID string } }
	}
	a.ok(`{ capability(id: "cap:aar") { governedBy { id } } }`, nil, &after)
	if len(after.Capability.GovernedBy) != 0 {
		t.Fatal("GOVERNS still there after delete")
	}
	a.ok(`mutation { deleteNodes(ids: ["threat:cyber", "agr:pact"]) { deleted } }`, nil, nil)
	var gone struct{ Threat, Agreement *struct{ ID string } }
	a.ok(`{ threat(id: "threat:cyber") { id } agreement(id: "agr:pact") { id } }`, nil, &gone)
	if gone.Threat != nil || gone.Agreement != nil {
		t.Fatalf("deleted nodes still found: %+v", gone)
	}
}

func seedSmall(a *api) {
	a.load(&graph.Document{Version: 1,
		Nodes: []graph.Node{
			{Label: graph.LabelNation, ID: "nation:AAA", Name: "Aland", Code: "AAA"},
			{Label: graph.LabelAgency, ID: "agency:aaa-mod", Name: "Aland MoD", Kind: "MILITARY"},
			{Label: graph.LabelObjective, ID: "obj:defend", Name: "Defend", Domain: "LAND"},
			{Label: graph.LabelCapability, ID: "cap:isr", Name: "ISR"},
			{Label: graph.LabelAgreement, ID: "agr:pact", Name: "Pact", Kind: "TREATY"},
		},
	})
}

func TestValidationErrorsNameTheFieldAndWriteNothing(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	cases := []struct{ name, query, field string }{
		{"unknown id in relationship", `mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:nope", priority: 3}]) { id } }`, "input.to"},
		{"unknown id in delete", `mutation { deleteNodes(ids: ["obj:defend", "obj:nope"]) { deleted } }`, "ids[1]"},
		{"bad enum value", `mutation { upsertAgency(input: {id: "agency:x", name: "X", kind: NAVY}) { id } }`, "kind"},
		{"bad enum value in a variable", `mutation($k: AgencyKind!) { upsertAgency(input: {id: "agency:x", name: "X", kind: $k}) { id } }`, "k"},
		{"priority above 5", `mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 6}]) { id } }`, "input.priority"},
		{"priority below 1", `mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 0}]) { id } }`, "input.priority"},
		{"confidence above 1", `mutation { upsertCapability(input: {id: "cap:x", name: "X", confidence: 1.5}) { id } }`, "input.confidence"},
		{"reliability below 0", `mutation { upsertNation(input: {id: "nation:BBB", name: "B", code: "BBB", reliability: -0.1}) { id } }`, "input.reliability"},
		{"malformed date", `mutation { upsertRelationships(input: [{type: PROVIDES, from: "agency:aaa-mod", to: "cap:isr", validFrom: "2024-13-01"}]) { id } }`, "input.validFrom"},
		{"malformed date scalar", `mutation { upsertAgreement(input: {id: "agr:x", name: "X", kind: MOU, signed: "01/02/2024"}) { id } }`, "signed"},
		{"validTo before validFrom", `mutation { upsertRelationships(input: [{type: PARTY_TO, from: "nation:AAA", to: "agr:pact", validFrom: "2025-01-01", validTo: "2024-01-01"}]) { id } }`, "input.validTo"},
		{"expires before signed", `mutation { upsertAgreement(input: {id: "agr:pact", name: "Pact", kind: TREATY, signed: "2025-01-01", expires: "2020-01-01"}) { id } }`, "input.expires"},
		{"wrong endpoint label", `mutation { upsertRelationships(input: [{type: PROVIDES, from: "obj:defend", to: "cap:isr"}]) { id } }`, "input.from"},
		{"property of another type", `mutation { upsertRelationships(input: [{type: REQUIRES, from: "obj:defend", to: "cap:isr", priority: 3}]) { id } }`, "input.priority"},
		{"second relationship bad", `mutation { upsertRelationships(input: [{type: REQUIRES, from: "obj:defend", to: "cap:isr"}, {type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 9}]) { id } }`, "input[1].priority"},
		{"page size", `{ nations(first: 100000) { totalCount } }`, "first"},
		{"malformed cursor", `{ nations(after: "not-a-cursor") { totalCount } }`, "after"},
		{"import bad document", `mutation { importGraph(document: {version: 1, nodes: [{label: "Nation", id: "nation:CCC", name: "C", code: "cc"}], relationships: []}) { nodes } }`, "document.nodes[0].code"},
		{"import unknown field", `mutation { importGraph(document: {version: 1, nodes: [{label: "Threat", id: "t:x", name: "X", kind: "CYBER", colour: "red"}]}) { nodes } }`, "document.nodes[0].colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.t = t
			vars := map[string]any{}
			if strings.Contains(c.query, "$k") {
				vars["k"] = "NAVY"
			}
			a.fails(c.query, vars, graph.EINVALID, c.field)
		})
	}
}

func TestConnectionsPageAcrossBoundaries(t *testing.T) {
	a := newAPI(t)
	doc := &graph.Document{Version: 1}
	for i := range 57 {
		doc.Nodes = append(doc.Nodes, graph.Node{Label: graph.LabelObjective, ID: fmt.Sprintf("obj:%03d", i), Name: fmt.Sprintf("Objective %d", i), Domain: []string{"LAND", "CYBER", "SPACE"}[i%3]})
	}
	a.load(doc)
	type page struct {
		Objectives struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Cursor string
				Node   struct{ ID string }
			}
		}
	}
	var ids []string
	var after any
	for {
		var p page
		a.ok(`query($after: String) { objectives(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, map[string]any{"after": after}, &p)
		if got, want := p.Objectives.TotalCount, 57; got != want {
			t.Fatalf("totalCount=%d, want %d", got, want)
		}
		for _, e := range p.Objectives.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !p.Objectives.PageInfo.HasNextPage {
			break
		}
		if last := p.Objectives.Edges[len(p.Objectives.Edges)-1].Cursor; last != p.Objectives.PageInfo.EndCursor {
			t.Fatalf("endCursor %q is not the last edge's cursor %q", p.Objectives.PageInfo.EndCursor, last)
		}
		after = p.Objectives.PageInfo.EndCursor
		if len(ids) > 57 {
			t.Fatal("pages overlap")
		}
	}
	if len(ids) != 57 {
		t.Fatalf("paged through %d objectives, want 57", len(ids))
	}
	for i := range ids {
		if want := fmt.Sprintf("obj:%03d", i); ids[i] != want {
			t.Fatalf("ids[%d]=%s, want %s", i, ids[i], want)
		}
	}
	// A node inserted before the cursor does not shift the next page (keyset, not offset).
	var p1 page
	a.ok(`{ objectives(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, nil, &p1)
	a.ok(`mutation { upsertObjective(input: {id: "obj:000a", name: "Inserted", domain: LAND}) { id } }`, nil, nil)
	var p2 page
	a.ok(`query($after: String) { objectives(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, map[string]any{"after": p1.Objectives.PageInfo.EndCursor}, &p2)
	if got := p2.Objectives.Edges[0].Node.ID; got != "obj:010" {
		t.Fatalf("after inserting before the cursor, next page starts at %s, want obj:010", got)
	}
	// Filters.
	var f struct{ Objectives struct{ TotalCount int } }
	a.ok(`{ objectives(filter: {domain: CYBER, nameContains: "objective 1"}) { totalCount } }`, nil, &f)
	// i%3==1 among 1, 10..19: 1, 10, 13, 16, 19.
	if got, want := f.Objectives.TotalCount, 5; got != want {
		t.Fatalf("filtered totalCount=%d, want %d", got, want)
	}
}

// nested builds n nations, each with 3 agencies providing 2 capabilities.
func nested(n int) *graph.Document {
	doc := &graph.Document{Version: 1}
	for c := range 10 {
		doc.Nodes = append(doc.Nodes, graph.Node{Label: graph.LabelCapability, ID: fmt.Sprintf("cap:%d", c), Name: fmt.Sprintf("Cap %d", c)})
	}
	for i := range n {
		nid := fmt.Sprintf("nation:%03d", i)
		doc.Nodes = append(doc.Nodes, graph.Node{Label: graph.LabelNation, ID: nid, Name: nid, Code: "N" + string(rune('A'+i/26)) + string(rune('A'+i%26))})
		for j := range 3 {
			aid := fmt.Sprintf("agency:%03d-%d", i, j)
			doc.Nodes = append(doc.Nodes, graph.Node{Label: graph.LabelAgency, ID: aid, Name: aid, Kind: "MILITARY"})
			doc.Relationships = append(doc.Relationships,
				graph.Relationship{Type: graph.RelPartOf, From: aid, To: nid},
				graph.Relationship{Type: graph.RelProvides, From: aid, To: fmt.Sprintf("cap:%d", (i+j)%10)},
				graph.Relationship{Type: graph.RelProvides, From: aid, To: fmt.Sprintf("cap:%d", (i+j+1)%10)})
		}
	}
	return doc
}

func TestRoundTripsDoNotGrowWithData(t *testing.T) {
	a := newAPI(t)
	const q = `{ nations(first: 200) { nodes { code agencies { name provides { capacity capability { name dependsOn { id } } } } } } }`
	trips := func(n int) float64 {
		a.load(nested(n))
		var out struct {
			Nations struct {
				Nodes []struct{ Agencies []struct{ Provides []any } }
			}
		}
		r := a.ok(q, nil, &out)
		if got := len(out.Nations.Nodes); got != n {
			t.Fatalf("%d nations returned, want %d", got, n)
		}
		for _, nat := range out.Nations.Nodes {
			if len(nat.Agencies) != 3 || len(nat.Agencies[0].Provides) != 2 {
				t.Fatalf("nested data incomplete: %+v", nat)
			}
		}
		rt, ok := r.Extensions["roundTrips"].(float64)
		if !ok {
			t.Fatalf("no roundTrips extension: %v", r.Extensions)
		}
		return rt
	}
	small, large := trips(3), trips(60)
	if small != large {
		t.Fatalf("round trips grew with the data: %v for 3 nations, %v for 60", small, large)
	}
	// After a write: the version, then the snapshot's two halves; every field is then read
	// from memory.
	if want := 3.0; large != want {
		t.Fatalf("round trips=%v after a write, want %v", large, want)
	}
	// With the snapshot current: the version alone.
	if r := a.ok(q, nil, nil); r.Extensions["roundTrips"] != 1.0 {
		t.Fatalf("round trips=%v with the snapshot current, want 1", r.Extensions["roundTrips"])
	}
}

func TestImportExportThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	a.load(nested(4))
	var exp struct{ ExportGraph json.RawMessage }
	a.ok(`{ exportGraph }`, nil, &exp)
	var doc map[string]any
	if err := json.Unmarshal(exp.ExportGraph, &doc); err != nil {
		t.Fatal(err)
	}
	var imp struct {
		ImportGraph struct{ Nodes, Relationships int }
	}
	a.ok(`mutation($d: JSON!) { importGraph(document: $d, replace: true) { nodes relationships } }`, map[string]any{"d": doc}, &imp)
	if imp.ImportGraph.Nodes != 4*4+10 || imp.ImportGraph.Relationships != 4*3*3 {
		t.Fatalf("import counted %+v", imp.ImportGraph)
	}
	var again struct{ ExportGraph json.RawMessage }
	a.ok(`{ exportGraph }`, nil, &again)
	if !bytes.Equal(exp.ExportGraph, again.ExportGraph) {
		t.Fatal("export → import → export changed the graph")
	}
}

func TestSearchAcrossKinds(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	var out struct {
		Search []struct {
			ID       string
			Typename string `json:"__typename"`
		}
	}
	a.ok(`{ search(text: "ALAND") { __typename ... on Node { id } } }`, nil, &out)
	// The nation named exactly "Aland" ranks before the agency whose name starts with it.
	if len(out.Search) != 2 || out.Search[0].Typename != "Nation" || out.Search[1].Typename != "Agency" {
		t.Fatalf("search returned %+v", out.Search)
	}
}

func TestDeadlineCancelsWithAClearError(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	a.h = asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{Timeout: time.Nanosecond}))
	for _, q := range []string{`{ hangingOn { event { id } } }`, `{ nations { totalCount } }`} {
		r := a.do(q, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.ETIMEOUT {
			t.Fatalf("%s past its deadline answered %+v %s, want TIMEOUT", q, r.Errors, r.Data)
		}
	}
}

func TestAnalysesRejectBadInput(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	a.ok(`mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 3}]) { id } }`, nil, nil)
	cases := []struct{ name, query, field string }{
		{"maxOrder above 3", `{ cutSets(maxOrder: 4) { achievable } }`, "maxOrder"},
		{"maxOrder below 1", `{ cutSets(objective: "obj:defend", maxOrder: 0) { achievable } }`, "maxOrder"},
		{"unknown objective", `{ cutSets(objective: "obj:nope") { achievable } }`, "objective"},
		{"unknown view stakeholder", `{ singlePointsOfFailure(view: {stakeholder: "nation:ZZZ"}) { achievable } }`, "view.stakeholder"},
		{"horizon before asOf", `{ gaps(asOf: "2026-01-01", horizon: "2025-01-01") { kind } }`, "horizon"},
		{"neither stakeholder pursues anything", `{ overlap(a: "agency:aaa-mod", b: "agency:aaa-mod") { score } }`, "b"},
		{"unknown stakeholder", `{ partners(of: "nation:ZZZ") { score } }`, "of"},
		{"what-if of a capability", `{ whatIf(down: ["nation:AAA", "cap:isr"]) { down { id } } }`, "down[1]"},
		{"unknown impact node", `{ impact(id: "nope") { objectives { id } } }`, "id"},
		{"threshold above 1", `{ coalitions(threshold: 1.5) { modularity } }`, "threshold"},
		{"malformed asOf", `{ brokers(asOf: "27/11/2026") { bridges { a { id } } } }`, "asOf"},
		{"gap page too large", `{ gaps(first: 0) { kind } }`, "first"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.t = t
			a.fails(c.query, nil, graph.EINVALID, c.field)
		})
	}
}

func TestAuditTrailThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	a.ok(`mutation { upsertThreat(input: {id: "threat:x", name: "X", kind: CYBER}) { id } }`, nil, nil)
	var out struct {
		AuditTrail struct {
			Events []struct {
				Action, Subject, Role string
				Changes               []struct {
					ID     string
					Before any
					After  struct{ Name string }
				}
			}
		}
	}
	a.ok(`{ auditTrail(first: 5) { events { action subject role changes { id before after } } hasNextPage } }`, nil, &out)
	ev := out.AuditTrail.Events
	if len(ev) != 1 || ev[0].Action != "upsertNodes" || ev[0].Subject != "local" || ev[0].Role != "admin" ||
		len(ev[0].Changes) != 1 || ev[0].Changes[0].Before != nil || ev[0].Changes[0].After.Name != "X" {
		t.Fatalf("audit trail %+v", ev)
	}
	// Only administrators read it.
	analyst := resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{})
	a.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &graph.Viewer{Subject: "bob", Role: graph.RoleAnalyst, Nation: "AAA"}
		analyst.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), v)))
	})
	r := a.do(`{ auditTrail { events { id } } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.EFORBIDDEN {
		t.Fatalf("an analyst read the audit trail: %+v", r)
	}
}

func TestGapCountsAgreeWithTheGaps(t *testing.T) {
	a := newAPI(t)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	a.load(demo)
	var out struct {
		Gaps      []struct{ Kind string }
		GapCounts []struct {
			Kind  string
			Count int
		}
	}
	a.ok(`{ gaps(asOf: "2026-11-27", first: 100000) { kind } gapCounts(asOf: "2026-11-27") { kind count } }`, nil, &out)
	listed := map[string]int{}
	for _, g := range out.Gaps {
		listed[g.Kind]++
	}
	if len(out.GapCounts) != 6 {
		t.Fatalf("gapCounts has %d kinds, want all 6: %+v", len(out.GapCounts), out.GapCounts)
	}
	for _, c := range out.GapCounts {
		if c.Count != listed[c.Kind] {
			t.Errorf("gapCounts says %d %s gaps, gaps lists %d", c.Count, c.Kind, listed[c.Kind])
		}
	}
	if len(out.Gaps) == 0 {
		t.Fatal("the seed has no gaps at all")
	}
}
