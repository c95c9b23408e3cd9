// Package docs holds the project's documentation; its test keeps the cookbook's outputs
// true by running every query in cookbook.md against the demo seed in a real Neo4j.
package docs

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/resolvers/generated"
	"github.com/stakegraph/stakegraph/seed"
)

var update = flag.Bool("update", false, "rewrite the outputs in cookbook.md from the running queries")

// recipe is one ```graphql block and the ```json block after it.
var recipe = regexp.MustCompile("(?s)```graphql\n(.*?)```\n(.*?)```json\n(.*?)```")

func TestCookbookOutputsAreTrue(t *testing.T) {
	s := neo4jtest.Open(t)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// The cookbook shows what an analyst of the local server (no authentication) sees.
	ctx := graph.WithViewer(context.Background(), graph.LocalViewer)
	if _, err := s.Import(ctx, demo, graph.ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	api := resolvers.NewHandler(&resolvers.Resolver{Store: s}, resolvers.Options{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), graph.LocalViewer)))
	})
	src, err := os.ReadFile("cookbook.md")
	if err != nil {
		t.Fatal(err)
	}
	matches := recipe.FindAllSubmatchIndex(src, -1)
	if len(matches) < 8 {
		t.Fatalf("the cookbook has %d recipes, want at least 8", len(matches))
	}
	var out bytes.Buffer
	last := 0
	for i, m := range matches {
		query := string(src[m[2]:m[3]])
		if f := datedField(query); f != "" && !strings.Contains(query, "asOf") {
			t.Errorf("recipe %d asks %s without asOf: its output would change with the date", i+1, f)
		}
		got := run(t, h, query)
		want := strings.TrimSpace(string(src[m[6]:m[7]]))
		if *update {
			out.Write(src[last:m[6]])
			out.WriteString(got + "\n")
			last = m[7]
			continue
		}
		if got != want {
			t.Errorf("recipe %d: the cookbook shows\n%s\nbut the query answers\n%s\n(run `go test ./docs -update` after checking the change)", i+1, want, got)
		}
	}
	if *update {
		out.Write(src[last:])
		if err := os.WriteFile("cookbook.md", out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// datedField is the first root field of the schema that takes asOf (an analysis, whose
// answer depends on today's date when asOf is absent) and that query asks; "" when it
// asks none. The playground's lists read stored facts and need no date.
func datedField(query string) string {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, f := range s.Query.Fields {
		if f.Arguments.ForName("asOf") != nil && regexp.MustCompile(`\b`+f.Name+`\s*\(`).MatchString(query) {
			return f.Name
		}
	}
	return ""
}

// run answers a query and returns its data, indented; errors fail the test.
func run(t *testing.T, h http.Handler, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("not JSON: %s", rec.Body.String())
	}
	if len(resp.Errors) > 0 {
		t.Fatalf("query failed: %v\n%s", resp.Errors, query)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, resp.Data, "", "  "); err != nil {
		t.Fatal(err)
	}
	return pretty.String()
}
