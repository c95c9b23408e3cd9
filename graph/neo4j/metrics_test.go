package neo4j

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

func TestMapErrorCountsDriverErrorsByKind(t *testing.T) {
	count := func(kind string) float64 { return testutil.ToFloat64(metrics.Neo4jErrors.WithLabelValues(kind)) }
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	timeout, other := count("timeout"), count("other")

	if err := mapError(cancelled, errors.New("read interrupted")); graph.ErrorCode(err) != graph.ETIMEOUT {
		t.Fatalf("mapError(cancelled) = %v, want %s", err, graph.ETIMEOUT)
	}
	_ = mapError(context.Background(), errors.New("boom"))
	// A coded error raised by our own code inside the transaction is not Neo4j's.
	_ = mapError(context.Background(), graph.Errorf(graph.EINVALID, "name", "empty"))
	_ = mapError(context.Background(), nil)

	if got := count("timeout") - timeout; got != 1 {
		t.Errorf("timeout errors grew by %v, want 1", got)
	}
	if got := count("other") - other; got != 1 {
		t.Errorf("other errors grew by %v, want 1 (coded errors and nil are not counted)", got)
	}
}
