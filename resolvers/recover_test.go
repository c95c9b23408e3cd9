package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
)

// panicky is a Store whose version read panics, standing in for a bug below the
// resolvers.
type panicky struct{ graph.Store }

func (panicky) Version(context.Context) (string, error) {
	panic("bug: nil map in the store")
}

func TestPanicBecomesInternalErrorLoggedWithRequestID(t *testing.T) {
	var logs bytes.Buffer
	h := resolvers.NewHandler(&resolvers.Resolver{Store: panicky{}}, resolvers.Options{})
	body, _ := json.Marshal(map[string]string{"query": `{ node(id: "x") { id } }`})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	log := zerolog.New(&logs).With().Str("request_id", "req-42").Logger()
	req = req.WithContext(log.WithContext(req.Context()))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var resp struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("not JSON: %s", rec.Body.String())
	}
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != graph.EINTERNAL {
		t.Fatalf("errors=%+v, want one INTERNAL", resp.Errors)
	}
	if strings.Contains(rec.Body.String(), "nil map") {
		t.Fatal("the panic's detail reached the client")
	}
	if !strings.Contains(logs.String(), "nil map") || !strings.Contains(logs.String(), "req-42") {
		t.Fatalf("panic not logged with the request id: %s", logs.String())
	}
}
