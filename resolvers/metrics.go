package resolvers

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/metrics"
)

type observedKey struct{}

// withObserved marks ctx as an operation's, which the operation middleware counts when it
// answers (fast path or not), so that observeResponse does not count it again.
func withObserved(ctx context.Context) context.Context {
	return context.WithValue(ctx, observedKey{}, true)
}

// observeResponse counts the responses of operations that never reached the operation
// middleware: parse and validation failures, which gqlgen sends through the response
// middlewares only.
func observeResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if observed, _ := ctx.Value(observedKey{}).(bool); !observed {
		observe(ctx, resp)
	}
	return resp
}

// observe counts one GraphQL response by operation name, type and outcome, and times it.
func observe(ctx context.Context, resp *graphql.Response) {
	name, kind := "", "unknown"
	var start time.Time
	if graphql.HasOperationContext(ctx) {
		op := graphql.GetOperationContext(ctx)
		name, start = op.OperationName, op.Stats.OperationStart
		if op.Operation != nil {
			kind = string(op.Operation.Operation)
			if name == "" {
				name = op.Operation.Name
			}
		}
	}
	name = metrics.Operation(name)
	metrics.GraphQLOperations.WithLabelValues(name, kind, outcome(resp)).Inc()
	if !start.IsZero() {
		metrics.GraphQLDuration.WithLabelValues(name, kind).Observe(time.Since(start).Seconds())
	}
}

// outcome is OK for a response without errors, else its first error's extensions.code
// (which the error presenter always sets, from a fixed set of codes).
func outcome(resp *graphql.Response) string {
	if resp == nil {
		return "NO_RESPONSE"
	}
	if len(resp.Errors) == 0 {
		return "OK"
	}
	if code, ok := resp.Errors[0].Extensions["code"].(string); ok && code != "" {
		return code
	}
	return "ERROR"
}
