package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
)

// scrape reads /metrics into series → value, a series written as Prometheus prints it:
// name{label="value",...} with the labels in name order.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics = %d, want 200", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// request sends method to url, with a bearer token unless it is empty, and returns the
// status and body.
func request(t *testing.T, method, url, token, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestUnknownPathsAre404AndCountedAsUnmatched(t *testing.T) {
	// No database is needed to route: Neo4j is unreachable here.
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Timeout: time.Second})
	before := scrape(t, m.URL())
	unknown := []struct{ method, path string }{
		{"GET", "/metricz"}, {"GET", "/version"}, {"POST", "/graphql/"}, {"GET", "/graphql/"},
		{"GET", "/assets/"}, {"GET", "/assets/nothing.js"}, {"GET", "/index.html"}, {"DELETE", "/"},
	}
	for _, u := range unknown {
		if got, body := request(t, u.method, m.URL()+u.path, "", "application/json", "{}"); got != http.StatusNotFound {
			t.Errorf("%s %s = %d, want 404: %.200s", u.method, u.path, got, body)
		}
	}
	// The explorer's own pages are routed to it: 200 when the front end is built into the
	// test binary, 503 (with how to build it) when not — never 404.
	for _, p := range []string{"/", "/graphiql"} {
		if got, _ := request(t, "GET", m.URL()+p, "", "", ""); got == http.StatusNotFound {
			t.Errorf("GET %s = 404, want the explorer", p)
		}
	}
	after := scrape(t, m.URL())
	gets := `stakegraph_http_requests_total{code="404",method="get",route="unmatched"}`
	if got, want := after[gets]-before[gets], 4.0; got != want {
		t.Errorf("%s grew by %v, want %v", gets, got, want)
	}
	explorer := `stakegraph_http_request_duration_seconds_count{route="/"}`
	if got := after[explorer] - before[explorer]; got != 1 {
		t.Errorf("%s grew by %v, want 1", explorer, got)
	}
	for _, series := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_open_fds"} {
		if _, ok := after[series]; !ok {
			t.Errorf("/metrics has no %s (Go runtime and process collectors)", series)
		}
	}
}

func TestMetricsCountOperationsRoundTripsAndRefusals(t *testing.T) {
	neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	// The open server's local viewer is not rate limited: authenticate, as a deployment does.
	a, err := auth.New(auth.Config{HS256Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	token := jwtFor("metrics-probe", "viewer", "GBR")
	m, _ := start(t, &Main{Neo4j: cfg, Seed: true, Timeout: 30 * time.Second, Auth: a,
		Limits: resolvers.Limits{RatePerSecond: 0.001, Burst: 2}})
	waitReady(t, m)
	before := scrape(t, m.URL())

	status, body := request(t, "POST", m.URL()+"/graphql", token, "application/json",
		`{"query":"query MetricsProbe { nations(first: 2) { totalCount nodes { agencies { id } } } }"}`)
	if status != http.StatusOK {
		t.Fatalf("MetricsProbe = %d: %s", status, body)
	}
	var probe struct {
		Errors     []any
		Extensions struct{ RoundTrips float64 }
	}
	if err := json.Unmarshal([]byte(body), &probe); err != nil || len(probe.Errors) > 0 {
		t.Fatalf("MetricsProbe answered %s (%v)", body, err)
	}
	if probe.Extensions.RoundTrips == 0 {
		t.Fatalf("MetricsProbe reported no round trips: %s", body)
	}
	request(t, "POST", m.URL()+"/graphql", token, "application/json", `{"query":"{ nations("}`)
	status, refused := request(t, "POST", m.URL()+"/graphql", token, "application/json", `{"query":"{ __typename }"}`)
	if status != http.StatusTooManyRequests {
		t.Fatalf("third request with a burst of 2 = %d, want 429: %s", status, refused)
	}
	after := scrape(t, m.URL())

	grew := func(series string) float64 { return after[series] - before[series] }
	for series, want := range map[string]float64{
		`stakegraph_graphql_operations_total{operation="MetricsProbe",outcome="OK",type="query"}`:                  1,
		`stakegraph_graphql_operation_duration_seconds_count{operation="MetricsProbe",type="query"}`:               1,
		`stakegraph_graphql_operations_total{operation="anonymous",outcome="GRAPHQL_PARSE_FAILED",type="unknown"}`: 1,
		`stakegraph_http_requests_total{code="429",method="post",route="/graphql"}`:                                1,
		`stakegraph_rate_limited_total`:                                    1,
		`stakegraph_http_request_duration_seconds_count{route="/graphql"}`: 3,
	} {
		if got := grew(series); got != want {
			t.Errorf("%s grew by %v, want %v", series, got, want)
		}
	}
	// Nothing else talks to Neo4j once the server is ready, so the counter grows by what
	// the probe reported.
	if got, want := grew("stakegraph_neo4j_round_trips_total"), probe.Extensions.RoundTrips; got != want {
		t.Errorf("stakegraph_neo4j_round_trips_total grew by %v, the response reported %v", got, want)
	}
	if !strings.Contains(refused, "RATE_LIMITED") {
		t.Errorf("429 body does not say RATE_LIMITED: %s", refused)
	}
}

func TestMetricsOnAnAddressOfTheirOwn(t *testing.T) {
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Timeout: time.Second, MetricsAddr: "127.0.0.1:0"})
	if got, _ := request(t, "GET", m.URL()+"/metrics", "", "", ""); got != http.StatusNotFound {
		t.Fatalf("/metrics on the API's address = %d, want 404 with -metrics-addr", got)
	}
	series := scrape(t, m.metrics.url())
	if _, ok := series["go_goroutines"]; !ok {
		t.Fatal("the metrics address serves no go_goroutines")
	}
	if got, _ := request(t, "GET", m.metrics.url()+"/graphql", "", "", ""); got != http.StatusNotFound {
		t.Fatalf("/graphql on the metrics address = %d, want 404", got)
	}
}
