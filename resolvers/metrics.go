package resolvers

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/metrics"
)

// observeResponse counts every GraphQL response by operation name, type and outcome, and
// times it. It is a response middleware rather than an operation one because gqlgen sends
// parse and validation failures through the response middlewares only.
func observeResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
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
	return resp
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
