package neo4j

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// The driver reports a connection lost while committing (its CommitFailedDeadError, often
// around a ConnectionReadTimeout) as a ConnectivityError; both are internal types, so the
// store tells a commit apart by where its own callback had got to, and these errors stand
// for what the driver returns.
func TestWriteErrorsSayWhetherTheOutcomeIsKnown(t *testing.T) {
	lost := &neo4j.ConnectivityError{Inner: errors.New("Connection lost during commit: read tcp: i/o timeout")}
	refused := &neo4j.ConnectivityError{Inner: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")}
	retried := &neo4j.TransactionExecutionLimit{Cause: "timeout (exceeded max retry time: 1s)", Errors: []error{refused, refused}}
	busy := errors.New("server did not accept any of the requested Bolt versions ([4]bolt.protocolVersion{...})")
	constraint := &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed", Msg: "already exists"}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name       string
		ctx        context.Context
		err        error
		committing bool
		code       string
		outcome    string
	}{
		{"connection lost while committing", context.Background(), lost, true, graph.EUNAVAILABLE, graph.OutcomeUnknown},
		{"deadline passed while committing", expired, lost, true, graph.ETIMEOUT, graph.OutcomeUnknown},
		{"retries used up while committing", context.Background(), retried, true, graph.EUNAVAILABLE, graph.OutcomeUnknown},
		{"connection lost before the commit", context.Background(), lost, false, graph.EUNAVAILABLE, ""},
		{"Neo4j down, retries used up", context.Background(), retried, false, graph.EUNAVAILABLE, ""},
		{"Neo4j refusing the handshake", context.Background(), busy, false, graph.EUNAVAILABLE, ""},
		{"the commit refused by a constraint", context.Background(), constraint, true, graph.ECONFLICT, ""},
		{"deadline passed before the commit", expired, lost, false, graph.ETIMEOUT, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := mapWriteError(c.ctx, c.err, c.committing)
			var ge *graph.Error
			if !errors.As(err, &ge) {
				t.Fatalf("%v is not a coded error", err)
			}
			if ge.Code != c.code || ge.Outcome != c.outcome {
				t.Fatalf("code=%s outcome=%q, want %s %q (%s)", ge.Code, ge.Outcome, c.code, c.outcome, ge.Message)
			}
			if c.outcome == graph.OutcomeUnknown && (!strings.Contains(ge.Message, "may or may not have been applied") || !strings.Contains(ge.Message, "audit trail")) {
				t.Fatalf("message %q does not say the write may have been applied and how to check", ge.Message)
			}
		})
	}
	if err := mapWriteError(context.Background(), nil, true); err != nil {
		t.Fatalf("no error mapped to %v", err)
	}
}
