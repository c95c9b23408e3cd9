package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/seed"
)

// seededServer starts m (its authentication and limits set by the caller) on the emptied
// test database with the demo seed loaded, and returns it with the seed.
func seededServer(t *testing.T, m *Main) (*Main, *graph.Document) {
	t.Helper()
	neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	m.Neo4j, m.Seed, m.Timeout = cfg, true, 30*time.Second
	m, _ = start(t, m)
	waitReady(t, m)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return m, demo
}

// agenciesByNation is, from the seed, each nation's code and the sorted ids of its agencies.
func agenciesByNation(doc *graph.Document) map[string][]string {
	code := map[string]string{}
	out := map[string][]string{}
	for _, n := range doc.Nodes {
		if n.Label == graph.LabelNation {
			code[n.ID] = n.Code
			out[n.Code] = nil
		}
	}
	for _, r := range doc.Relationships {
		if r.Type == graph.RelPartOf {
			out[code[r.To]] = append(out[code[r.To]], r.From)
		}
	}
	for _, ids := range out {
		sort.Strings(ids)
	}
	return out
}

// queryRun runs `stakegraph query` with args and returns its stdout and stderr.
func queryRun(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runQuery(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func tempFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQueryCommand(t *testing.T) {
	m, demo := seededServer(t, &Main{})
	want := agenciesByNation(demo)
	url := m.URL()
	nationsDoc := tempFile(t, "nations.graphql", `query($after: String, $first: Int) {
  nations(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { code agencies { id } }
  }
}`)

	t.Run("json is the data object in the query's order", func(t *testing.T) {
		out, _, err := queryRun(t, "", "-url", url, "-var", "first=500", nationsDoc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out, "{\n  \"nations\": {\n    \"pageInfo\"") {
			t.Fatalf("json output does not start with the data object's first field:\n%.200s", out)
		}
		var data struct {
			Nations struct{ Nodes []struct{ Code string } }
		}
		if err := json.Unmarshal([]byte(out), &data); err != nil {
			t.Fatal(err)
		}
		if got, want := len(data.Nations.Nodes), len(want); got != want {
			t.Fatalf("%d nations, the seed has %d", got, want)
		}
	})

	t.Run("csv flattens nested lists into joined columns", func(t *testing.T) {
		out, _, err := queryRun(t, "", "-url", url, "-o", "csv", "-var", "first=500", nationsDoc)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(recs[0], ","), "code,agencies.id"; got != want {
			t.Fatalf("header %q, want %q", got, want)
		}
		if got, want := len(recs)-1, len(want); got != want {
			t.Fatalf("%d rows, want one per nation (%d)", got, want)
		}
		for _, r := range recs[1:] {
			var got []string
			if r[1] != "" {
				got = strings.Split(r[1], ";")
			}
			sort.Strings(got)
			if !slices.Equal(got, want[r[0]]) {
				t.Fatalf("%s: agencies %v, the seed says %v", r[0], got, want[r[0]])
			}
		}
	})

	t.Run("-all follows every page", func(t *testing.T) {
		out, _, err := queryRun(t, "", "-url", url, "-o", "ndjson", "-all", "-var", "first=7", nationsDoc)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if got, want := len(lines), len(want); got != want {
			t.Fatalf("%d rows over all pages of 7, want %d", got, want)
		}
		seen := map[string]bool{}
		for _, l := range lines {
			var row struct{ Code string }
			if err := json.Unmarshal([]byte(l), &row); err != nil {
				t.Fatalf("ndjson line %q: %v", l, err)
			}
			if seen[row.Code] {
				t.Fatalf("%s came twice", row.Code)
			}
			seen[row.Code] = true
		}
		// Without -all the same query stops at its first page.
		out, _, err = queryRun(t, "", "-url", url, "-o", "ndjson", "-var", "first=7", nationsDoc)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(out, "\n"); got != 7 {
			t.Fatalf("one page of 7 gave %d rows", got)
		}
	})

	t.Run("table reads the document from stdin with a variable", func(t *testing.T) {
		out, _, err := queryRun(t, `query($id: ID!) { nations(filter: {ids: [$id]}) { nodes { code name agencies { id } } } }`,
			"-url", url, "-o", "table", "-var", "id=nation:GBR", "-")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "code ") || !strings.Contains(lines[0], "agencies.id") || !strings.HasPrefix(lines[1], "GBR ") {
			t.Fatalf("table:\n%s", out)
		}
		if len(want["GBR"]) == 0 {
			t.Fatal("the seed gives GBR no agency: pick a nation that has some")
		}
		for _, id := range want["GBR"] {
			if !strings.Contains(lines[1], id) {
				t.Fatalf("GBR row %q lacks its agency %s", lines[1], id)
			}
		}
	})

	t.Run("-vars reads a file and -var overrides it", func(t *testing.T) {
		vars := tempFile(t, "vars.json", `{"code": "FRA", "first": 3}`)
		out, _, err := queryRun(t, "", "-url", url, "-vars", vars, "-var", "code=DEU", "-o", "csv",
			tempFile(t, "q.graphql", `query($code: String) { nation(code: $code) { code } }`))
		if err != nil {
			t.Fatal(err)
		}
		// No list in the answer: the data object is the one row.
		if got, want := out, "nation.code\nDEU\n"; got != want {
			t.Fatalf("csv %q, want %q", got, want)
		}
	})

	t.Run("errors go to stderr with their codes and fail", func(t *testing.T) {
		out, errOut, err := queryRun(t, `{ nations(first: 0) { totalCount } }`, "-url", url, "-")
		if err == nil {
			t.Fatalf("a refused query succeeded: %s", out)
		}
		if !strings.Contains(errOut, "BAD_USER_INPUT") || !strings.Contains(errOut, "nations") {
			t.Fatalf("stderr %q does not give the code and the path", errOut)
		}
		_, errOut, err = queryRun(t, `{ nope }`, "-url", url, "-")
		if err == nil || !strings.Contains(errOut, "GRAPHQL_VALIDATION_FAILED") {
			t.Fatalf("invalid document: err=%v stderr=%q", err, errOut)
		}
		if _, _, err := queryRun(t, `{ nations { totalCount } }`, "-url", url, "-all", "-"); err == nil || !strings.Contains(err.Error(), "$after") {
			t.Fatalf("-all without $after: %v", err)
		}
	})
}

func TestQueryCommandSendsTheTokenFromTheEnvironment(t *testing.T) {
	tok, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{StaticTokens: []auth.StaticToken{{SHA256: hash, Subject: "script", Role: graph.RoleViewer, Nation: "GBR"}}})
	if err != nil {
		t.Fatal(err)
	}
	// A low rate, so that an -all run meets HTTP 429 and must wait as told.
	m, demo := seededServer(t, &Main{Auth: a, Limits: resolvers.Limits{RatePerSecond: 2, Burst: 2}})
	t.Setenv(envURL, m.URL())
	doc := `{ nations(first: 1) { totalCount } }`

	t.Setenv(envToken, "")
	_, errOut, err := queryRun(t, doc, "-")
	if err == nil || !strings.Contains(errOut, "UNAUTHENTICATED") {
		t.Fatalf("without a token: err=%v stderr=%q", err, errOut)
	}
	t.Setenv(envToken, tok)
	out, errOut, err := queryRun(t, doc, "-o", "csv", "-")
	if err != nil {
		t.Fatalf("with the token: %v %s", err, errOut)
	}
	if !strings.HasPrefix(out, "nations.totalCount\n") {
		t.Fatalf("csv %q", out)
	}
	out, errOut, err = queryRun(t, `query($after: String) { nations(first: 8, after: $after) { pageInfo { hasNextPage endCursor } nodes { code } } }`,
		"-all", "-o", "csv", "-")
	if err != nil {
		t.Fatalf("-all under a rate limit: %v %s", err, errOut)
	}
	if got, want := strings.Count(out, "\n")-1, len(agenciesByNation(demo)); got != want {
		t.Fatalf("-all under a rate limit gave %d nations, want %d", got, want)
	}
	if !strings.Contains(errOut, "rate limited: retrying in 1s") {
		t.Fatalf("the run never waited for the rate limit (stderr %q): the test does not test it", errOut)
	}
}

func TestHelpExitsZeroForEveryCommand(t *testing.T) {
	for _, cmd := range []string{"serve", "import", "export", "gen", "token", "query"} {
		for _, flag := range []string{"-h", "-help"} {
			var out bytes.Buffer
			if err := run(context.Background(), []string{cmd, flag}, &out); err != nil {
				t.Fatalf("%s %s: %v", cmd, flag, err)
			}
			if !strings.HasPrefix(out.String(), "usage: stakegraph "+cmd) {
				t.Fatalf("%s %s printed %q, want its usage", cmd, flag, out.String())
			}
		}
	}
	if err := run(context.Background(), []string{"import", "-no-such-flag"}, &bytes.Buffer{}); err == nil {
		t.Fatal("an unknown flag succeeded")
	}
}

func TestTableFlattensNestedObjectsAndLists(t *testing.T) {
	answer := `{"x": {"total": 2, "rows": [
	  {"id": "a", "owner": {"code": "GBR"}, "sets": [], "tags": ["p", "q"]},
	  {"id": "b", "owner": null, "sets": [{"events": [{"id": "e1"}, {"id": "e2"}]}, {"events": [{"id": "e3"}]}], "tags": []}
	]}}`
	data, err := decodeOrdered([]byte(answer))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeAnswer(&out, data, "csv"); err != nil {
		t.Fatal(err)
	}
	// A null object and an empty list leave empty cells under the columns other rows show.
	want := "id,owner.code,tags,sets.events.id\na,GBR,p;q,\nb,,,e1;e2;e3\n"
	if out.String() != want {
		t.Fatalf("csv:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := writeAnswer(&out, data, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "{\n  \"x\": {\n    \"total\": 2,\n    \"rows\"") {
		t.Fatalf("json lost the answer's order:\n%s", out.String())
	}
}
