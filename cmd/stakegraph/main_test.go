package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/seed"
)

// start runs Main on a free port, as `stakegraph serve` does, with its log captured.
func start(t *testing.T, m *Main) (*Main, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	ctx := zerolog.New(&logs).WithContext(context.Background())
	m.Addr = "127.0.0.1:0"
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m, &logs
}

// waitReady polls /readyz until it answers 200; the server prepares Neo4j in the background.
func waitReady(t *testing.T, m *Main) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.URL() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server never became ready")
}

func post(t *testing.T, url, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if errs, ok := out["errors"]; ok {
		t.Fatalf("query failed: %v", errs)
	}
	return out["data"].(map[string]any)
}

func TestServeSeedsAnEmptyDatabaseAndAnswersNestedQueries(t *testing.T) {
	neo4jtest.Open(t) // empties the test database
	cfg, _ := neo4jtest.Config()
	m, logs := start(t, &Main{Neo4j: cfg, Seed: true, Timeout: 30 * time.Second})
	waitReady(t, m)

	data := post(t, m.URL(), `{ nations(first: 100) { totalCount nodes { code agencies { id provides { capability { name } } } } } }`)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	wantNations := 0
	for _, n := range demo.Nodes {
		if n.Label == "Nation" {
			wantNations++
		}
	}
	nations := data["nations"].(map[string]any)
	if got := int(nations["totalCount"].(float64)); got != wantNations {
		t.Fatalf("served %d nations, the seed has %d", got, wantNations)
	}
	provided := 0
	for _, n := range nations["nodes"].([]any) {
		for _, a := range n.(map[string]any)["agencies"].([]any) {
			provided += len(a.(map[string]any)["provides"].([]any))
		}
	}
	if provided == 0 {
		t.Fatal("no agency of any nation provides a capability")
	}
	// Every log line of a request carries its request id.
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(line, `"path":"/graphql"`) && !strings.Contains(line, `"request_id"`) {
			t.Fatalf("request logged without its id: %s", line)
		}
	}
	if !strings.Contains(logs.String(), "loaded the demo seed") {
		t.Fatal("no log line says the seed was loaded")
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s = %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestNotReadyWhileNeo4jIsUnreachable(t *testing.T) {
	m, logs := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Seed: true, Timeout: time.Second})
	resp, err := http.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz = %d while Neo4j is down, want 200", resp.StatusCode)
	}
	resp, err = http.Get(m.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/readyz = %d while Neo4j is down, want 503: %s", resp.StatusCode, body)
	}
	// The server keeps retrying with backoff and says so.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "waiting for Neo4j") {
		if time.Now().After(deadline) {
			t.Fatalf("no retry logged: %s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestImportReportsThePathOfTheFirstError(t *testing.T) {
	neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	setNeo4jEnv(t, cfg.URI, cfg.User, cfg.Password, cfg.Database)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	doc := `{"version":1,"nodes":[{"label":"Nation","id":"nation:AAA","name":"A","code":"AAA"},
	  {"label":"Objective","id":"obj:x","name":"X","domain":"LAND"}],
	  "relationships":[{"type":"PURSUES","from":"nation:AAA","to":"obj:x","priority":9}]}`
	if err := os.WriteFile(bad, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"import", bad}, &out)
	if err == nil || !strings.Contains(err.Error(), "relationships[0].priority") {
		t.Fatalf("import error = %v, want it to name relationships[0].priority", err)
	}
	// Nothing was written: export shows an empty graph.
	out.Reset()
	if err := run(context.Background(), []string{"export"}, &out); err != nil {
		t.Fatal(err)
	}
	var exported struct{ Nodes []any }
	if err := json.Unmarshal(out.Bytes(), &exported); err != nil {
		t.Fatal(err)
	}
	if len(exported.Nodes) != 0 {
		t.Fatalf("a failed import wrote %d nodes", len(exported.Nodes))
	}
}

func setNeo4jEnv(t *testing.T, uri, user, password, db string) {
	t.Setenv("NEO4J_URI", uri)
	t.Setenv("NEO4J_USER", user)
	t.Setenv("NEO4J_PASSWORD", password)
	t.Setenv("NEO4J_DATABASE", db)
}
