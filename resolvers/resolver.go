// Package resolvers holds the hand-written GraphQL resolvers: thin functions that read the
// request from ctx, call the domain, and return. resolvers/generated is gqlgen's output.
package resolvers

import "github.com/stakegraph/stakegraph/graph"

// Resolver is the root resolver; it holds the services every resolver uses.
type Resolver struct {
	Store graph.Store
}
