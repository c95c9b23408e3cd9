package resolvers_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/stakegraph/stakegraph/internal/metrics"
	"github.com/stakegraph/stakegraph/resolvers"
)

// specHandler is the API as serve mounts it, without a database: these requests fail, or
// ask only for __typename, before any resolver needs one.
func specHandler(opts resolvers.Options) http.Handler {
	opts.NoFastPath = true // the fast path reads the snapshot, and there is no store here
	return asLocal(resolvers.GraphQLOverHTTP(resolvers.NewHandler(&resolvers.Resolver{}, opts)))
}

// send posts body with the Accept header and returns the status and the decoded body.
func send(t *testing.T, h http.Handler, accept, body string) (int, map[string]json.RawMessage) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("body is not a JSON object: %s", rec.Body)
	}
	if got, want := rec.Header().Get("Content-Type"), accept; got != want {
		t.Fatalf("Content-Type=%q, want %q", got, want)
	}
	return rec.Code, out
}

func firstCode(t *testing.T, body map[string]json.RawMessage) string {
	t.Helper()
	var errs []struct{ Extensions struct{ Code string } }
	if err := json.Unmarshal(body["errors"], &errs); err != nil || len(errs) == 0 {
		t.Fatalf("no errors in %v", body)
	}
	return errs[0].Extensions.Code
}

func TestGraphQLOverHTTPStatusAndDataOfRefusedOperations(t *testing.T) {
	h := specHandler(resolvers.Options{})
	const json, gqlJSON = "application/json", "application/graphql-response+json"
	tests := []struct {
		name, body, code string
		jsonStatus       int // with Accept: application/json
		gqlStatus        int // with Accept: application/graphql-response+json
	}{
		{"a document that does not parse", `{"query":"{"}`, "GRAPHQL_PARSE_FAILED", 200, 400},
		{"a document that does not validate", `{"query":"{ noSuchField }"}`, "GRAPHQL_VALIDATION_FAILED", 200, 400},
		{"variables that do not coerce", `{"query":"query($n: Int) { nations(first: $n) { totalCount } }","variables":{"n":"ten"}}`, "BAD_USER_INPUT", 200, 400},
		{"a request without a query", `{"variables":{}}`, "BAD_USER_INPUT", 400, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := send(t, h, json, tt.body)
			if status != tt.jsonStatus || firstCode(t, body) != tt.code {
				t.Fatalf("application/json: status %d, code %s; want %d, %s", status, firstCode(t, body), tt.jsonStatus, tt.code)
			}
			status, body = send(t, h, gqlJSON, tt.body)
			if status != tt.gqlStatus || firstCode(t, body) != tt.code {
				t.Fatalf("graphql-response+json: status %d, code %s; want %d, %s", status, firstCode(t, body), tt.gqlStatus, tt.code)
			}
			if _, ok := body["data"]; ok {
				t.Fatalf("graphql-response+json: the refused operation's body has a data entry: %v", body)
			}
		})
	}
	t.Run("an operation that runs keeps its data", func(t *testing.T) {
		for _, accept := range []string{json, gqlJSON} {
			status, body := send(t, h, accept, `{"query":"{ __typename }"}`)
			if status != 200 || string(body["data"]) != `{"__typename":"Query"}` {
				t.Fatalf("%s: status %d, body %v", accept, status, body)
			}
		}
	})
}

func apqBody(query string, withText bool) string {
	sum := sha256.Sum256([]byte(query))
	b := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}}
	if withText {
		b["query"] = query
	}
	out, _ := json.Marshal(b)
	return string(out)
}

func TestAutomaticPersistedQueries(t *testing.T) {
	h := specHandler(resolvers.Options{PersistedQueries: 2})
	const q1, q2, q3 = "query One { __typename }", "query Two { __typename }", "query Three { __typename }"
	ask := func(q string, withText bool) (int, string, map[string]json.RawMessage) {
		status, body := send(t, h, "application/json", apqBody(q, withText))
		code := ""
		if _, failed := body["errors"]; failed {
			code = firstCode(t, body)
		}
		return status, code, body
	}
	if status, code, _ := ask(q1, false); status != 200 || code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("an unknown hash: %d %s, want 200 PERSISTED_QUERY_NOT_FOUND", status, code)
	}
	if _, code, _ := ask(q1, true); code != "" {
		t.Fatalf("the query with its hash: %s", code)
	}
	if _, code, body := ask(q1, false); code != "" || string(body["data"]) != `{"__typename":"Query"}` {
		t.Fatalf("the hash alone after the query was sent: %s %v", code, body)
	}
	// A hash that is not the query's is refused, and stores nothing.
	status, body := send(t, h, "application/json", strings.Replace(apqBody(q2, true), `"query":"query Two`, `"query":"query Tw0`, 1))
	if status != 200 || firstCode(t, body) != "BAD_USER_INPUT" {
		t.Fatalf("a mismatched hash: %d %v", status, body)
	}
	// The cache is bounded: with room for two, the least recently used goes first.
	ask(q2, true)
	ask(q3, true)
	if _, code, _ := ask(q1, false); code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("the oldest of three queries in a cache of two: %q, want it evicted", code)
	}
	if _, code, _ := ask(q3, false); code != "" {
		t.Fatalf("the newest query: %s, want it kept", code)
	}
	// A query too long to keep still runs, but is not kept.
	long := "query Long { __typename }" + strings.Repeat(" ", 17<<10)
	if _, code, _ := ask(long, true); code != "" {
		t.Fatalf("a long query with its hash: %s", code)
	}
	if _, code, _ := ask(long, false); code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("a long query's hash: %q, want it not kept", code)
	}

	off := specHandler(resolvers.Options{PersistedQueries: -1})
	if status, body := send(t, off, "application/json", apqBody(q1, false)); status != 400 || firstCode(t, body) != "BAD_USER_INPUT" {
		t.Fatalf("a hash alone with APQ off: %d %v, want 400: there is no query", status, body)
	}
}

// Each operation is counted once, whether gqlgen executes it or it fails before.
func TestOperationsAreCountedOnce(t *testing.T) {
	h := specHandler(resolvers.Options{})
	count := func(name, kind, outcome string) float64 {
		return testutil.ToFloat64(metrics.GraphQLOperations.WithLabelValues(name, kind, outcome))
	}
	ran, failed := count("CountedOnce", "query", "OK"), count("anonymous", "unknown", "GRAPHQL_PARSE_FAILED")
	send(t, h, "application/json", `{"query":"query CountedOnce { __typename }"}`)
	send(t, h, "application/json", `{"query":"{"}`)
	if got := count("CountedOnce", "query", "OK") - ran; got != 1 {
		t.Errorf("an executed operation was counted %v times, want 1", got)
	}
	if got := count("anonymous", "unknown", "GRAPHQL_PARSE_FAILED") - failed; got != 1 {
		t.Errorf("a parse failure was counted %v times, want 1", got)
	}
}
