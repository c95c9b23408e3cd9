package resolvers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/resolvers/generated"
	"github.com/stakegraph/stakegraph/seed"
)

// selection writes a selection of every field of the named type that takes no required
// argument, nesting objects depth levels deep (and naming only id below that), with a
// fragment per implementation where the type is an interface (its fields aliased by type,
// since implementations may give one name different types).
func selection(s *ast.Schema, name string, depth int) string {
	return typeSelection(s, name, depth, "")
}

func typeSelection(s *ast.Schema, name string, depth int, prefix string) string {
	def := s.Types[name]
	var b strings.Builder
	b.WriteString("{ __typename")
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || len(f.Arguments) > 0 {
			continue
		}
		t := s.Types[f.Type.Name()]
		field := f.Name
		if prefix != "" {
			field = prefix + f.Name + ": " + f.Name
		}
		switch {
		case t.Kind == ast.Scalar || t.Kind == ast.Enum:
			b.WriteString(" " + field)
		case depth > 0:
			fmt.Fprintf(&b, " %s %s", field, selection(s, t.Name, depth-1))
		default:
			fmt.Fprintf(&b, " %s { __typename id }", field)
		}
	}
	if def.Kind == ast.Interface && depth > 0 {
		for _, impl := range s.PossibleTypes[name] {
			fmt.Fprintf(&b, " ... on %s %s", impl.Name, typeSelection(s, impl.Name, depth-1, impl.Name+"_"))
		}
	}
	b.WriteString(" }")
	return b.String()
}

func TestFastPathAnswersAsTheResolversDo(t *testing.T) {
	store := neo4jtest.Open(t)
	doc, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// Some nodes releasable to GBR only, so viewers of different nations see different
	// graphs and traversals must drop hidden ends.
	restricted := 0
	for i := range doc.Nodes {
		if n := &doc.Nodes[i]; i%7 == 3 {
			n.ReleasableTo, restricted = []string{"GBR"}, restricted+1
		}
	}
	if _, err := store.Import(admin, doc, graph.ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &resolvers.Resolver{}}).Schema()
	opts := resolvers.Options{MaxDepth: 30, MaxComplexity: 1 << 30}
	fastR := &resolvers.Resolver{Store: store}
	fast := resolvers.NewHandler(fastR, opts)
	opts.NoFastPath = true
	slow := resolvers.NewHandler(&resolvers.Resolver{Store: store}, opts)

	var queries []string
	for _, root := range []string{"nations", "agencies", "objectives", "capabilities", "agreements", "threats"} {
		typ := strings.TrimSuffix(schema.Query.Fields.ForName(root).Type.Name(), "Connection")
		queries = append(queries,
			fmt.Sprintf("{ %s(first: 500) { totalCount pageInfo { hasNextPage endCursor } nodes %s } }", root, selection(schema, typ, 2)),
			fmt.Sprintf("{ %s(first: 3, after: null) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }", root))
	}
	queries = append(queries,
		`{ nations(filter: {nameContains: "an", region: "Europe"}, first: 5) { totalCount nodes { code } pageInfo { endCursor } } }`,
		`{ agencies(filter: {kind: MILITARY, ids: ["agency:usa-dod", "agency:gbr-mod", "nope"]}) { nodes { id nation { code } } } }`,
		`query($n: Int, $a: String) { capabilities(first: $n, after: $a) { nodes { id } } }`,
		`{ node(id: "nation:USA") `+selection(schema, "Node", 2)+` x: node(id: "absent") { id } }`,
		`{ nodes(ids: ["cap:air-refuelling", "absent", "nation:FRA"]) { id ... on Capability { providers { provider { ... on Nation { code } ... on Agency { kind } } } } } }`,
		`{ a: nation(code: "FRA") { id } b: nation(id: "nation:DEU") { code } c: agency(id: "nation:DEU") { id } threat(id: "x") { id } }`,
		`query($skip: Boolean!) { nations(first: 2) { nodes { id name @skip(if: $skip) ...N } } } fragment N on Nation { code region name @include(if: $skip) }`,
		`{ __typename nations(first: 1) { __typename nodes { __typename } } }`,
	)
	vars := map[string]any{"n": 2, "a": "aWQ6Y2FwOmE", "skip": true}
	viewers := []*graph.Viewer{
		graph.LocalViewer,
		{Subject: "gbr", Role: graph.RoleViewer, Nation: "GBR"},
		{Subject: "fra", Role: graph.RoleAnalyst, Nation: "FRA"},
		{Subject: "none", Role: graph.RoleViewer},
	}
	post := func(h http.Handler, v *graph.Viewer, q string) (json.RawMessage, string) {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(graph.WithViewer(req.Context(), v))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var r struct {
			Data   json.RawMessage
			Errors []any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("not JSON: %s", rec.Body.String())
		}
		if r.Errors != nil {
			t.Fatalf("query failed: %v\n%s", r.Errors, q)
		}
		return r.Data, rec.Body.String()
	}
	for _, v := range viewers {
		for _, q := range queries {
			before := fastR.FastReads()
			got, _ := post(fast, v, q)
			if fastR.FastReads() != before+1 {
				t.Fatalf("the fast path declined %s", q)
			}
			want, _ := post(slow, v, q)
			if !bytes.Equal(got, want) {
				t.Fatalf("viewer %s, query %s:\nfast:      %.2000s\nresolvers: %.2000s", v.Subject, q, got, want)
			}
		}
	}
	// And it declines what it does not answer, which gqlgen then does.
	before := fastR.FastReads()
	// The playground's arguments and fields are gqlgen's to answer (docs/playground.md).
	declined := []string{`{ brokers { articulationPoints { id } } }`, `{ nations(first: 0) { totalCount } }`, `{ search(text: "fra") { id } }`,
		`{ nations(where: {code_EQ: "FRA"}) { totalCount } }`,
		`{ nations(orderBy: [{field: NAME}]) { totalCount } }`,
		`{ nations(last: 2) { totalCount } }`,
		`{ nations(first: 2, before: "aWQ6bmF0aW9uOlVTQQ") { totalCount } }`,
		`{ nations(first: 2) { pageInfo { hasPreviousPage } } }`,
		`{ nations(first: 2) { pageInfo { startCursor } } }`,
		`{ nations(first: 2) { aggregate { count } } }`,
		`{ nations(first: 2) { nodes { agencies(first: 1) { id } } } }`,
		`{ nations(first: 2) { nodes { agenciesConnection { totalCount } } } }`,
		`{ nation(code: "FRA") { provides(where: {capacity_GT: 1}) { id } } }`,
	}
	for _, q := range declined {
		body, _ := json.Marshal(map[string]any{"query": q})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		fast.ServeHTTP(httptest.NewRecorder(), req.WithContext(graph.WithViewer(req.Context(), graph.LocalViewer)))
	}
	if got := fastR.FastReads(); got != before {
		t.Fatalf("the fast path answered %d operations it should have declined", got-before)
	}
}
