// Package neo4jtest opens the real Neo4j that `make test` starts, for integration tests.
// Packages run serially (go test -p 1), and each test starts from an empty database.
package neo4jtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph/neo4j"
)

// Config reads the connection from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.
func Config() (neo4j.Config, bool) {
	uri := os.Getenv("NEO4J_URI")
	return neo4j.Config{
		URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}, uri != ""
}

// Open connects to the test database, applies the schema and empties it. Without
// NEO4J_URI the test is skipped, unless STAKEGRAPH_INTEGRATION=1 demands a database (as
// `make test` and CI do), in which case it fails.
func Open(t testing.TB) *neo4j.Store {
	t.Helper()
	cfg, ok := Config()
	if !ok {
		if os.Getenv("STAKEGRAPH_INTEGRATION") == "1" {
			t.Fatal("STAKEGRAPH_INTEGRATION=1 but NEO4J_URI is not set")
		}
		t.Skip("NEO4J_URI not set: integration test skipped (make test sets it)")
	}
	s, err := neo4j.Open(cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.Wait(ctx); err != nil {
		t.Fatalf("neo4j at %s: %v", cfg.URI, err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatalf("clear: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}
