// Package resolvers holds the hand-written GraphQL resolvers: thin functions that read the
// request from ctx, call the domain, and return. resolvers/generated is gqlgen's output.
package resolvers

import (
	"sync"
	"sync/atomic"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/snapshot"
)

// Resolver is the root resolver; it holds the services every resolver uses.
type Resolver struct {
	Store graph.Store
	// Snapshots serves reads and analyses from memory, one copy per graph version; when
	// nil, one with the default budget is made on first use.
	Snapshots *snapshot.Cache

	once      sync.Once
	fastReads atomic.Int64
}

// FastReads is the number of operations answered on the fast read path (fast.go).
func (r *Resolver) FastReads() int64 { return r.fastReads.Load() }

// snapshots is r.Snapshots, made on first use when unset.
func (r *Resolver) snapshots() *snapshot.Cache {
	r.once.Do(func() {
		if r.Snapshots == nil {
			r.Snapshots = snapshot.New(r.Store, 0)
		}
	})
	return r.Snapshots
}
