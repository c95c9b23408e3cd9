package resolvers_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
)

// A server without authentication serves everyone as graph.LocalViewer: a script looping
// over objectives must not be refused after the burst, while authenticated subjects keep
// their per-token limit behind the same handler.
func TestRateLimitLeavesTheOpenLocalServerAlone(t *testing.T) {
	h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), resolvers.Limits{RatePerSecond: 0.5, Burst: 3})
	body := func() io.Reader { return strings.NewReader(`{"query":"{ __typename }"}`) }
	for i := range 200 {
		if rec := post(h, graph.LocalViewer, body(), -1); rec.Code != http.StatusOK {
			t.Fatalf("local request %d answered %d %s", i+1, rec.Code, rec.Body)
		}
	}
	// An authenticated subject that happens to be called "local" is limited all the same.
	token := &graph.Viewer{Subject: graph.LocalViewer.Subject, Role: graph.RoleAdmin}
	for range 3 {
		post(h, token, body(), -1)
	}
	refusedWith(t, post(h, token, body(), -1), http.StatusTooManyRequests, resolvers.CodeRateLimited)
}
