package graph

import (
	"context"
	"sync/atomic"
)

type roundTripsKey struct{}

// WithRoundTrips returns a context that counts the database round trips made under it,
// so a request can report (and a test can bound) what it cost.
func WithRoundTrips(ctx context.Context) context.Context {
	return context.WithValue(ctx, roundTripsKey{}, new(atomic.Int64))
}

// CountRoundTrip records one database round trip in ctx's counter, if any. Stores call it
// once per statement sent.
func CountRoundTrip(ctx context.Context) {
	if c, ok := ctx.Value(roundTripsKey{}).(*atomic.Int64); ok {
		c.Add(1)
	}
}

// RoundTrips is the number of round trips counted in ctx so far (0 without a counter).
func RoundTrips(ctx context.Context) int64 {
	if c, ok := ctx.Value(roundTripsKey{}).(*atomic.Int64); ok {
		return c.Load()
	}
	return 0
}

// AddRoundTrips records n round trips made on ctx's behalf elsewhere (a shared build that
// the request waited for) in ctx's counter, if any.
func AddRoundTrips(ctx context.Context, n int64) {
	if c, ok := ctx.Value(roundTripsKey{}).(*atomic.Int64); ok {
		c.Add(n)
	}
}
