package neo4j

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// openForTest opens the test database (neo4jtest imports this package, so it cannot serve
// the package's own tests).
func openForTest(t *testing.T) *Store {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" {
		if os.Getenv("STAKEGRAPH_INTEGRATION") == "1" {
			t.Fatal("STAKEGRAPH_INTEGRATION=1 but NEO4J_URI is not set")
		}
		t.Skip("NEO4J_URI not set: integration test skipped (make test sets it)")
	}
	s, err := Open(Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// A write whose connection Neo4j drops after its work is done and before its commit answers
// UNAVAILABLE with outcome UNKNOWN. Killed this way, Neo4j answers the commit SUCCESS
// without a bookmark and does not apply the write, and the driver reports success: the
// store must not. (The write is in fact lost here; the client cannot know that, which is
// why the outcome is UNKNOWN rather than a failure.)
func TestConnectionLostBeforeCommitIsOutcomeUnknown(t *testing.T) {
	s := openForTest(t)
	ctx, cancel := context.WithTimeout(graph.WithViewer(context.Background(), graph.LocalViewer), time.Minute)
	defer cancel()
	attempts := 0
	// commit, not write: write's last statement, the version bump, would meet the killed
	// connection itself and let the driver retry, which is safe; this tests the commit that
	// nothing after the kill gets to see.
	_, err := s.commit(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		attempts++
		if _, err := run(ctx, tx, `CREATE (:CommitProbe {at: datetime()})`, nil); err != nil {
			return nil, err
		}
		if attempts > 1 {
			return nil, nil // a retry by the driver goes through
		}
		// From another connection: kill every connection with an open transaction other than
		// the one asking, which is this transaction's.
		res, err := neo4j.ExecuteQuery(ctx, s.driver, `SHOW TRANSACTIONS YIELD connectionId, currentQuery
WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN collect(connectionId) AS ids`, nil,
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db))
		if err != nil {
			return nil, err
		}
		ids, _, err := neo4j.GetRecordValue[[]any](res.Records[0], "ids")
		if err != nil || len(ids) == 0 {
			t.Fatalf("no connection to kill: %v %v", ids, err)
		}
		for _, id := range ids {
			if _, err := neo4j.ExecuteQuery(ctx, s.driver, `CALL dbms.killConnection($id)`, map[string]any{"id": id},
				neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db)); err != nil {
				return nil, err
			}
		}
		// Killing is asynchronous: wait until Neo4j no longer lists the connection.
		for {
			res, err := neo4j.ExecuteQuery(ctx, s.driver, `CALL dbms.listConnections() YIELD connectionId
WHERE connectionId IN $ids RETURN count(*) AS n`, map[string]any{"ids": ids},
				neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db))
			if err != nil {
				return nil, err
			}
			if n, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "n"); n == 0 {
				return nil, nil
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Code != graph.EUNAVAILABLE || ge.Outcome != graph.OutcomeUnknown {
		t.Fatalf("err=%v (%+v) after %d attempts, want UNAVAILABLE with outcome UNKNOWN", err, ge, attempts)
	}
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		_, err := run(ctx, tx, `MATCH (p:CommitProbe) DELETE p`, nil)
		return nil, err
	})
	if err != nil {
		t.Fatalf("cleaning up: %v", err)
	}
}
