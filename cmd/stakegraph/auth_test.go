package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
)

const testSecret = "the integration test's secret, 32+ bytes"

// jwtFor is an HS256 token for subject with role and nation, valid for an hour.
func jwtFor(subject, role, nation string) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	claims := map[string]any{"sub": subject, "role": role, "exp": time.Now().Add(time.Hour).Unix()}
	if nation != "" {
		claims["nation"] = nation
	}
	signed := enc(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + enc(claims)
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

type gqlResponse struct {
	status int
	header http.Header
	Data   map[string]json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

// call posts a GraphQL request with token as bearer (none when empty).
func call(t *testing.T, url, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := gqlResponse{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("response %d is not JSON: %v", resp.StatusCode, err)
	}
	return r
}

func TestRolesThroughTheServer(t *testing.T) {
	neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	script, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{HS256Secret: testSecret, StaticTokens: []auth.StaticToken{
		{SHA256: hash, Subject: "nightly-script", Role: graph.RoleEditor, Nation: "GBR"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, logs := start(t, &Main{Neo4j: cfg, Timeout: 30 * time.Second, Auth: a})
	waitReady(t, m)
	viewer, editor, admin := jwtFor("vera", "viewer", "GBR"), jwtFor("ed", "editor", "GBR"), jwtFor("ada", "admin", "")

	snapshot := func(t *testing.T) string {
		t.Helper()
		doc, err := m.Store.Export(graph.WithViewer(context.Background(), graph.LocalViewer))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(doc)
		return string(b)
	}
	ok := func(t *testing.T, token, query string, vars map[string]any) gqlResponse {
		t.Helper()
		r := call(t, m.URL(), token, query, vars)
		if r.status != http.StatusOK || len(r.Errors) > 0 {
			t.Fatalf("%s: status %d, errors %+v", query, r.status, r.Errors)
		}
		return r
	}
	forbidden := func(t *testing.T, token, query string, vars map[string]any) {
		t.Helper()
		before := snapshot(t)
		r := call(t, m.URL(), token, query, vars)
		if len(r.Errors) == 0 {
			t.Fatalf("%s was allowed, want FORBIDDEN", query)
		}
		if got, want := r.Errors[0].Extensions["code"], graph.EFORBIDDEN; got != want {
			t.Fatalf("%s: code=%v, want %s (%s)", query, got, want, r.Errors[0].Message)
		}
		if snapshot(t) != before {
			t.Fatalf("%s was refused but changed the graph", query)
		}
	}
	const upsert = `mutation($id: ID!) { upsertAgency(input: {id: $id, name: "Aland MoD", kind: MILITARY}) { id } }`
	doc := map[string]any{"version": 1, "nodes": []any{
		map[string]any{"label": "Nation", "id": "nation:BBB", "name": "Bland", "code": "BBB"},
		map[string]any{"label": "Nation", "id": "nation:CCC", "name": "Cland", "code": "CCC"},
	}}
	const imp = `mutation($d: JSON!) { importGraph(document: $d) { nodes } }`

	t.Run("no token is 401 UNAUTHENTICATED", func(t *testing.T) {
		r := call(t, m.URL(), "", `{ nations { totalCount } }`, nil)
		if r.status != http.StatusUnauthorized || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.EUNAUTHENTICATED {
			t.Fatalf("status %d, errors %+v; want 401 UNAUTHENTICATED", r.status, r.Errors)
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("WWW-Authenticate=%q, want a Bearer challenge", r.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("a token of another secret is 401", func(t *testing.T) {
		bad := viewer[:strings.LastIndexByte(viewer, '.')+1] + base64.RawURLEncoding.EncodeToString(make([]byte, 32))
		if r := call(t, m.URL(), bad, `{ nations { totalCount } }`, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", r.status)
		}
		if strings.Contains(logs.String(), bad[:20]) {
			t.Fatal("the log quotes the refused token")
		}
	})
	t.Run("probes and the explorer stay open", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz", "/"} {
			resp, err := http.Get(m.URL() + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d without a token, want 200", path, resp.StatusCode)
			}
		}
	})
	t.Run("viewer reads but may not write", func(t *testing.T) {
		ok(t, viewer, `{ nations { totalCount } }`, nil)
		forbidden(t, viewer, upsert, map[string]any{"id": "agency:aaa"})
		forbidden(t, viewer, `mutation { deleteRelationships(keys: []) { deleted } }`, nil)
	})
	t.Run("editor writes but may not import, export or delete in bulk", func(t *testing.T) {
		ok(t, editor, upsert, map[string]any{"id": "agency:aaa"})
		ok(t, script, `mutation { upsertThreat(input: {id: "threat:ddd", name: "Dland", kind: CYBER}) { id } }`, nil)
		// Nation codes are brought into use by administrators only (docs/security.md).
		forbidden(t, editor, `mutation { upsertNation(input: {id: "nation:EEE", name: "Eland", code: "EEE"}) { id } }`, nil)
		forbidden(t, editor, imp, map[string]any{"d": doc})
		forbidden(t, editor, `{ exportGraph }`, nil)
		forbidden(t, editor, `mutation { deleteNodes(ids: ["agency:aaa", "threat:ddd"]) { deleted } }`, nil)
		ok(t, editor, `mutation { deleteNodes(ids: ["threat:ddd"]) { deleted } }`, nil)
	})
	t.Run("admin imports, exports and deletes in bulk", func(t *testing.T) {
		if r := ok(t, admin, imp, map[string]any{"d": doc}); string(r.Data["importGraph"]) != `{"nodes":2}` {
			t.Fatalf("importGraph=%s", r.Data["importGraph"])
		}
		ok(t, admin, `{ exportGraph }`, nil)
		ok(t, admin, `mutation { deleteNodes(ids: ["nation:BBB", "nation:CCC"]) { deleted } }`, nil)
	})
	if got := snapshot(t); !strings.Contains(got, "agency:aaa") || strings.Contains(got, "nation:BBB") || strings.Contains(got, "threat:ddd") || strings.Contains(got, "nation:EEE") {
		t.Fatalf("the graph is not what the allowed writes made: %s", got)
	}
	if !strings.Contains(logs.String(), `"subject":"ed"`) {
		t.Fatal("request log lines do not name the token's subject")
	}
}

func TestServerRefusesToListenOpenlyBeyondLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "example.com:0"} {
		m := &Main{Addr: addr}
		err := m.Run(context.Background())
		if err == nil {
			_ = m.Close()
			t.Fatalf("listened on %s without authentication", addr)
		}
		if !strings.Contains(err.Error(), "without authentication") {
			t.Fatalf("%s: error %q does not say why", addr, err)
		}
	}
	// On loopback it serves openly, and says so.
	_, logs := start(t, &Main{Neo4j: neo4jConfig(), Timeout: time.Second})
	if !strings.Contains(logs.String(), "no authentication configured") {
		t.Fatal("no warning that the API is open")
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true, "127.8.9.10:1": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:8080": false, "10.0.0.1:8080": false, "host:8080": false, "127.0.0.1": false,
	} {
		if got := loopback(addr); got != want {
			t.Errorf("loopback(%q)=%v, want %v", addr, got, want)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	var out bytes.Buffer
	if err := runToken([]string{"new"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	var tok, hash string
	for _, line := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "token:"); ok {
			tok = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "sha256:"); ok {
			hash = strings.TrimSpace(v)
		}
	}
	out.Reset()
	if err := runToken([]string{"hash"}, strings.NewReader(tok+"\n"), &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != hash || len(hash) != 64 {
		t.Fatalf("token hash printed %q, token new printed %q", got, hash)
	}
	if err := runToken([]string{"hash"}, strings.NewReader("too short\n"), &out); err == nil {
		t.Fatal("a short token was hashed")
	}
}
