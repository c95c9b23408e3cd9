package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

const (
	// defaultPersistedQueries is how many automatic persisted queries are kept by default.
	defaultPersistedQueries = 1000
	// maxPersistedQueryBytes bounds the text of a query kept for APQ. gqlgen stores a query
	// before it is validated, so without a bound a client could fill the cache with large
	// texts: with it the cache holds at most PersistedQueries × 16 KiB. A longer query still
	// runs; it is just sent whole each time.
	maxPersistedQueryBytes = 16 << 10
)

// persistedQueries is the APQ cache: a bounded LRU that keeps only queries of at most
// maxPersistedQueryBytes.
type persistedQueries struct {
	graphql.Cache[string]
}

// Add implements graphql.Cache.
func (c persistedQueries) Add(ctx context.Context, hash, query string) {
	if len(query) <= maxPersistedQueryBytes {
		c.Cache.Add(ctx, hash, query)
	}
}
