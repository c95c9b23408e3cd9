package resolvers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
)

// nest wraps inner in n levels of the nation ⇄ agencies traversal, starting at a nation.
func nest(n int, inner string) string {
	q := inner
	for i := n - 1; i >= 0; i-- {
		if i%2 == 0 {
			q = "agencies { " + q + " }"
		} else {
			q = "nation { " + q + " }"
		}
	}
	return q
}

// aliased repeats field n times under aliases in one query.
func aliased(n int, field string) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, field)
	}
	return b.String() + "}"
}

func TestHostileQueriesAreRefusedBeforeNeo4j(t *testing.T) {
	a := newAPI(t)
	a.load(nested(3))
	cases := []struct {
		name, query, code, says string
	}{
		// nation(1) + 11 nested levels + id = 13 fields deep.
		{"too deep", `{ nation(id: "nation:000") { ` + nest(11, "id") + ` } }`, resolvers.CodeQueryTooDeep, "limit of 12"},
		{"too deep through fragments", `{ nation(id: "nation:000") { ...N } }
			fragment N on Nation { agencies { ...A } }
			fragment A on Agency { nation { agencies { nation { agencies { nation { agencies { ...B } } } } } } }
			fragment B on Agency { nation { ... on Nation { agencies { nation { agencies { id } } } } } }`, resolvers.CodeQueryTooDeep, "limit of 12"},
		{"too deep through an aliased interface", `{ node(id: "nation:000") { ... on Stakeholder { p: provides { capability { providers { provider { provides { capability { providers { provider { provides { capability { providers { provider { id } } } } } } } } } } } } } } }`, resolvers.CodeQueryTooDeep, "limit of 12"},
		{"wide and deep", `{ nations(first: 200) { nodes { agencies { provides { capability { providers { provider { id } } } } } } } }`, resolvers.CodeComplexity, "limit of 60000"},
		{"aliased pages, each under the limit", aliased(4, `nations(first: 500) { nodes { agencies { provides { id } } } }`), resolvers.CodeComplexity, "limit of 60000"},
		{"nested analysis lists", aliased(13, `whatIf(down: ["nation:000"]) { objectives { node { ... on Objective { pursuedBy { stakeholder { provides { capability { providers { provider { pursues { id } } } } } } } } } } }`), resolvers.CodeComplexity, "limit of 60000"},
		// 2^27 ids in about 1 KB: priced once per fragment, refused at once.
		{"a chain of fragments each spread twice", resolvers.FragmentChain(27), resolvers.CodeComplexity, "complexity 134217730"},
		{"too many tokens", `{ ` + strings.Repeat("__typename ", 25000) + `}`, "GRAPHQL_PARSE_FAILED", "token limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.t = t
			before := a.export()
			r := a.do(c.query, nil)
			if len(r.Errors) != 1 {
				t.Fatalf("%d errors, want 1: %+v", len(r.Errors), r.Errors)
			}
			e := r.Errors[0]
			if got := e.Extensions["code"]; got != c.code {
				t.Fatalf("code=%v, want %s (%s)", got, c.code, e.Message)
			}
			if !strings.Contains(e.Message, c.says) {
				t.Fatalf("message %q does not say %q", e.Message, c.says)
			}
			if rt, ok := r.Extensions["roundTrips"]; ok && rt != 0.0 {
				t.Fatalf("roundTrips=%v: the refused query reached Neo4j", rt)
			}
			if len(r.Data) > 0 && string(r.Data) != "null" {
				t.Fatalf("a refused query answered data %s", r.Data)
			}
			if a.export() != before {
				t.Fatal("a refused query changed the graph")
			}
		})
	}
	t.Run("at the limits the queries run", func(t *testing.T) {
		a.t = t
		var out struct{ Nation map[string]any }
		r := a.ok(`{ nation(id: "nation:000") { `+nest(10, "id")+` } }`, nil, &out)
		if rt, _ := r.Extensions["roundTrips"].(float64); rt == 0 {
			t.Fatalf("roundTrips=%v, want the query to have read Neo4j", r.Extensions["roundTrips"])
		}
		if out.Nation == nil {
			t.Fatal("12 levels deep answered no nation")
		}
		// The explorer's widest: a full page with three levels of traversal.
		a.ok(`{ nations(first: 200) { nodes { code agencies { name provides { capacity capability { name dependsOn { id } } } } } } }`, nil, nil)
	})
	t.Run("limits are configurable", func(t *testing.T) {
		a.t = t
		a.h = asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{MaxDepth: 3}))
		r := a.do(`{ nation(id: "nation:000") { agencies { nation { id } } } }`, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != resolvers.CodeQueryTooDeep || !strings.Contains(r.Errors[0].Message, "limit of 3") {
			t.Fatalf("depth 4 with MaxDepth 3 answered %+v", r.Errors)
		}
		a.h = asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{MaxComplexity: 50}))
		// 1 + 10×(nodes 1 + agencies (1 + 5×id)) = 71 with the fan-out of 5; 31 without.
		r = a.do(`{ nations(first: 10) { nodes { agencies { id } } } }`, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != resolvers.CodeComplexity || !strings.Contains(r.Errors[0].Message, "limit of 50") {
			t.Fatalf("cost above MaxComplexity 50 answered %+v", r.Errors)
		}
	})
}

func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	a := newAPI(t)
	// GraphiQL's introspection nests ofType far past the depth limit; it reads only the
	// schema, so depth does not apply to it.
	typeRef := "kind name"
	for range 9 {
		typeRef = "kind name ofType { " + typeRef + " }"
	}
	full := `{ __schema { types { name fields { name args { name type { ` + typeRef + ` } } type { ` + typeRef + ` } } } } }`
	var out struct {
		Schema struct{ Types []any } `json:"__schema"`
	}
	a.ok(full, nil, &out)
	if len(out.Schema.Types) < 20 {
		t.Fatalf("introspection listed %d types", len(out.Schema.Types))
	}

	a.h = asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{Introspection: false}))
	for _, q := range []string{full, `{ __type(name: "Nation") { name } }`, `{ nations { totalCount } t: __type(name: "Nation") { name } }`} {
		r := a.do(q, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != resolvers.CodeIntrospectionDisabled {
			t.Fatalf("introspection while off answered %+v %s", r.Errors, r.Data)
		}
		if !strings.Contains(r.Errors[0].Message, "introspection is turned off") {
			t.Fatalf("message %q does not say why", r.Errors[0].Message)
		}
		if _, ok := r.Extensions["roundTrips"]; ok {
			t.Fatalf("the refused query ran: %v", r.Extensions)
		}
	}
	var tn struct {
		Typename string `json:"__typename"`
	}
	a.ok(`{ __typename }`, nil, &tn)
	if tn.Typename != "Query" {
		t.Fatalf("__typename=%q, want Query: clients still need it", tn.Typename)
	}
}

// post sends body to h as viewer and returns the recorded response.
func post(h http.Handler, viewer *graph.Viewer, body io.Reader, contentLength int64) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", body)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = contentLength
	req = req.WithContext(graph.WithViewer(req.Context(), viewer))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// refusedWith checks rec is a GraphQL-shaped refusal with status and code.
func refusedWith(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) gqlError {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status=%d, want %d: %s", rec.Code, status, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Fatalf("Content-Type=%q, want application/json", got)
	}
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Errors) != 1 {
		t.Fatalf("not a GraphQL error response (%v): %s", err, rec.Body)
	}
	if got := r.Errors[0].Extensions["code"]; got != code {
		t.Fatalf("code=%v, want %s (%s)", got, code, r.Errors[0].Message)
	}
	return r.Errors[0]
}

func TestRequestBodyLimit(t *testing.T) {
	a := newAPI(t)
	const limit, importLimit = 1024, 4096
	h := resolvers.Limit(a.h, resolvers.Limits{MaxBodyBytes: limit, MaxImportBytes: importLimit})
	const importQuery = `mutation($d: JSON!) { importGraph(document: $d, replace: true) { nodes } }`
	body := func(query string, d any) []byte {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"d": d}})
		return b
	}
	small := body(importQuery, nested(1))
	if len(small) <= limit || len(small) >= importLimit {
		t.Fatalf("the small import is %d bytes, want between %d and %d", len(small), limit, importLimit)
	}
	big := body(importQuery, nested(40))
	editor := &graph.Viewer{Subject: "ed", Role: graph.RoleEditor}

	t.Run("an import over -max-body and under -max-import-body is served to an administrator", func(t *testing.T) {
		rec := post(h, graph.LocalViewer, bytes.NewReader(small), int64(len(small)))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"nodes":14`) {
			t.Fatalf("import under the limit answered %d %s", rec.Code, rec.Body)
		}
	})
	before := a.export()
	t.Run("the same body from an editor is refused with 413", func(t *testing.T) {
		e := refusedWith(t, post(h, editor, bytes.NewReader(small), int64(len(small))), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
		if !strings.Contains(e.Message, "1024 bytes") || !strings.Contains(e.Message, "-max-body") {
			t.Fatalf("message %q does not say the limit and how to raise it", e.Message)
		}
	})
	t.Run("an administrator's other operation over -max-body is refused with 413", func(t *testing.T) {
		for _, q := range []string{
			`query($d: JSON) { nations { totalCount } }`,
			`mutation($d: JSON!) { importGraph(document: $d) { nodes } deleteNodes(ids: ["x"]) }`,
			`mutation($d: JSON!) { importGraph(document: $d) { nodes } } query Other { nations { totalCount } }`,
		} {
			b := body(q, nested(1))
			e := refusedWith(t, post(h, graph.LocalViewer, bytes.NewReader(b), int64(len(b))), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
			if !strings.Contains(e.Message, "only an importGraph request") {
				t.Fatalf("message %q does not say only imports may be larger", e.Message)
			}
		}
	})
	t.Run("a declared oversized import is refused with 413", func(t *testing.T) {
		e := refusedWith(t, post(h, graph.LocalViewer, bytes.NewReader(big), int64(len(big))), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
		if !strings.Contains(e.Message, "4096 bytes") || !strings.Contains(e.Message, "-max-import-body") {
			t.Fatalf("message %q does not say the limit and how to raise it", e.Message)
		}
	})
	t.Run("an oversized import without Content-Length is refused with 413", func(t *testing.T) {
		refusedWith(t, post(h, graph.LocalViewer, io.MultiReader(bytes.NewReader(big)), -1), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	})
	t.Run("a Content-Length that lies is refused with 413", func(t *testing.T) {
		refusedWith(t, post(h, graph.LocalViewer, bytes.NewReader(big), 100), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	})
	t.Run("a body that is not JSON is refused without being quoted back", func(t *testing.T) {
		for _, b := range []string{
			`{"query": "{ nations { totalCount } }", "variables": {"secret-marker": [1, 2,`,
			`{"query": ["secret-marker"]}`,
			`{"query": "{ nations { totalCount } }", "variables": ["secret-marker"]}`,
		} {
			rec := post(h, editor, strings.NewReader(b), int64(len(b)))
			e := refusedWith(t, rec, http.StatusBadRequest, graph.EINVALID)
			if strings.Contains(rec.Body.String(), "secret-marker") {
				t.Fatalf("the refusal quotes the request: %s", rec.Body)
			}
			if !strings.Contains(e.Message, "not a GraphQL request in JSON") {
				t.Fatalf("message %q does not say what is wrong", e.Message)
			}
		}
	})
	if a.export() != before {
		t.Fatal("a refused import changed the graph")
	}
}

func TestRateLimitPerToken(t *testing.T) {
	calls := 0
	h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusOK)
	}), resolvers.Limits{RatePerSecond: 0.5, Burst: 3})
	alice := &graph.Viewer{Subject: "alice", Role: graph.RoleAnalyst}
	bob := &graph.Viewer{Subject: "bob", Role: graph.RoleAnalyst}
	body := func() io.Reader { return strings.NewReader(`{"query":"{ __typename }"}`) }
	for i := range 3 {
		if rec := post(h, alice, body(), -1); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst answered %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := post(h, alice, body(), -1)
	e := refusedWith(t, rec, http.StatusTooManyRequests, resolvers.CodeRateLimited)
	// One token comes back every 2 s at 0.5 a second.
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Fatalf("Retry-After=%q, want 2", got)
	}
	if !strings.Contains(e.Message, "retry in 2 s") {
		t.Fatalf("message %q does not say when to retry", e.Message)
	}
	if calls != 3 {
		t.Fatalf("the API was called %d times, want 3: a limited request reached it", calls)
	}
	if rec := post(h, bob, body(), -1); rec.Code != http.StatusOK {
		t.Fatalf("another token was limited by alice's use: %d", rec.Code)
	}

	unlimited := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), resolvers.Limits{RatePerSecond: -1})
	for i := range 500 {
		if rec := post(unlimited, alice, body(), -1); rec.Code != http.StatusOK {
			t.Fatalf("request %d with rate limiting off answered %d", i+1, rec.Code)
		}
	}
}
