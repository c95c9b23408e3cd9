package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph/neo4j"
)

// preflight sends the OPTIONS request a browser sends before a cross-origin POST with a
// bearer token.
func preflight(t *testing.T, url, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, url+"/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestCORS(t *testing.T) {
	a, err := auth.New(auth.Config{HS256Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	const planner = "https://planner.example.org"
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Timeout: time.Second, Auth: a, CORSOrigins: []string{planner}})

	// The preflight carries no token, and must not be refused for that.
	resp := preflight(t, m.URL(), planner)
	if resp.StatusCode >= 300 || resp.Header.Get("Access-Control-Allow-Origin") != planner ||
		!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Fatalf("preflight from an allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight(t, m.URL(), "https://evil.example"); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin was allowed: %v", resp.Header)
	}
	// The request itself still needs a token, and its answer names the origin.
	req, _ := http.NewRequest(http.MethodPost, m.URL()+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Origin", planner)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+jwtFor("alice", "viewer", "GBR"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != planner {
		t.Fatalf("POST from the allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	req.Header.Del("Authorization")
	req.Body = http.NoBody
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("POST from the allowed origin without a token: %d, want 401", resp.StatusCode)
	}

	// Off by default: no origin is allowed.
	off, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Timeout: time.Second})
	if resp := preflight(t, off.URL(), planner); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("without -cors-origins a preflight was allowed: %v", resp.Header)
	}
}

func TestParseOrigins(t *testing.T) {
	got, err := parseOrigins(" https://a.example, http://127.0.0.1:5173 ,")
	if err != nil || strings.Join(got, " ") != "https://a.example http://127.0.0.1:5173" {
		t.Fatalf("parseOrigins = %v, %v", got, err)
	}
	for _, bad := range []string{"a.example", "https://a.example/path", "ftp://a.example"} {
		if _, err := parseOrigins(bad); err == nil || !strings.Contains(err.Error(), "-cors-origins") {
			t.Errorf("parseOrigins(%q) = %v, want an error naming the flag", bad, err)
		}
	}
}
