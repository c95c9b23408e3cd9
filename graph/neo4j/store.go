// Package neo4j implements graph.Store over Neo4j with the official Go driver (v5).
// All Cypher of the project lives here. Labels and relationship types are spliced into
// statements only from the fixed switches in cypher.go; every value is a parameter.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

// Config says which Neo4j to use.
type Config struct {
	URI      string // bolt://, neo4j:// (routing: clusters, Aura), with +s/+ssc variants
	User     string
	Password string
	Database string // always named; "neo4j" when empty
}

// Store is a graph.Store over one Neo4j database.
type Store struct {
	driver neo4j.DriverWithContext
	db     string
}

var _ graph.Store = (*Store)(nil)

// Open creates the driver. It does not wait for the server: call Wait for that.
func Open(cfg Config) (*Store, error) {
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	d, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = 50
		// Waiting for a free connection under load is normal; the request deadline bounds it.
		c.ConnectionAcquisitionTimeout = 30 * time.Second
		// A server that is down refuses at once, but the driver retries a failed transaction
		// (for a cluster's leader switch) with backoff until this passes: with its default of
		// 30 s every request made while Neo4j was down waited for its deadline and answered
		// TIMEOUT. One second fails them in about 2 s with UNAVAILABLE, and still covers a
		// transient conflict or a routing change.
		c.MaxTransactionRetryTime = time.Second
		// An unreachable host (no refusal, packets dropped) is given up on after this.
		c.SocketConnectTimeout = 3 * time.Second
	})
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "NEO4J_URI", "cannot use Neo4j at %q: %v", cfg.URI, err)
	}
	return &Store{driver: d, db: cfg.Database}, nil
}

// Close releases the driver's connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ping reports whether the database answers now. EUNAVAILABLE when it does not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return graph.Errorf(graph.EUNAVAILABLE, "", "Neo4j does not answer: %v", err)
	}
	return nil
}

// Wait blocks until the database answers, retrying with exponential backoff (capped at
// 5 s) and logging each failure, or until ctx ends.
func (s *Store) Wait(ctx context.Context) error {
	delay := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.Ping(ctx)
		if err == nil {
			return nil
		}
		zerolog.Ctx(ctx).Warn().Err(err).Int("attempt", attempt).Dur("retry_in", delay).Msg("waiting for Neo4j")
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up waiting for Neo4j: %w", err)
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// read runs fn in a read transaction with read access mode, so a cluster can route it to
// a follower.
func (s *Store) read(ctx context.Context, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	v, err := sess.ExecuteRead(ctx, fn)
	return v, mapError(ctx, err)
}

// write runs fn in one write transaction: everything it does commits, or nothing — or,
// when the connection is lost while it commits, an error with Outcome OutcomeUnknown. The
// transaction also bumps the graph version, so every replica's snapshot cache sees that
// the graph changed.
func (s *Store) write(ctx context.Context, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	// The bump comes last, so the version node is locked only while the transaction commits.
	return s.commit(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		v, err := fn(tx)
		if err == nil {
			_, err = run(ctx, tx, bumpVersion, nil)
		}
		return v, err
	})
}

// commit runs fn in one write transaction and reports the outcome as write says.
func (s *Store) commit(ctx context.Context, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	// Set when the last attempt's work is done and only its commit remains: a connection
	// lost after that may have lost the answer, not the write.
	committing := false
	v, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		committing = false
		v, err := fn(tx)
		committing = err == nil
		return v, err
	})
	if err == nil && len(sess.LastBookmarks()) == 0 {
		// Neo4j answers a commit with a bookmark naming the transaction. A commit answered
		// without one confirms nothing: seen when the connection is killed under the
		// transaction (dbms.killConnection), where Neo4j answers SUCCESS {} and the write
		// is not applied, yet the driver reports success.
		err = errUnconfirmedCommit
	}
	return v, mapWriteError(ctx, err, committing)
}

// errUnconfirmedCommit is a commit that Neo4j answered without confirming it.
var errUnconfirmedCommit = errors.New("Neo4j answered the commit without a bookmark")

// mapWriteError is mapError for a write transaction: a failure while committing (the
// connection lost, or the deadline passed) leaves the outcome unknown, and says so.
func mapWriteError(ctx context.Context, err error, committing bool) error {
	if err == nil || !committing {
		return mapError(ctx, err)
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	code := ""
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		code = graph.ETIMEOUT
	case connectivity(err), errors.Is(err, errUnconfirmedCommit):
		code = graph.EUNAVAILABLE
	default:
		// The database answered the commit with an error: nothing was written.
		return mapError(ctx, err)
	}
	return &graph.Error{Code: code, Outcome: graph.OutcomeUnknown, Message: "the connection to Neo4j was lost while the write was " +
		"being committed, so it may or may not have been applied; check before retrying (the audit trail records every applied " +
		"write; an import can be looked up by its importId), or retry an upsert, which is safe to repeat"}
}

// connectivity reports whether err is the driver failing to reach Neo4j, directly or as the
// last of the attempts it retried.
func connectivity(err error) bool {
	var ce *neo4j.ConnectivityError
	if errors.As(err, &ce) {
		return true
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return connectivity(limit.Errors[len(limit.Errors)-1])
	}
	// A Neo4j too busy to take a connection answers the Bolt handshake with no version,
	// which the driver reports as an untyped error (seen under 200 concurrent clients).
	return strings.Contains(err.Error(), "did not accept any of the requested Bolt versions")
}

// The graph version lives on one node outside the model. Its epoch, drawn when the node is
// created, keeps a version from repeating should the node ever be deleted and made again.
const (
	bumpVersion = `MERGE (v:GraphVersion {id: 'graph'})
ON CREATE SET v.epoch = randomUUID(), v.n = 0
SET v.n = v.n + 1`
	readVersion = `OPTIONAL MATCH (v:GraphVersion {id: 'graph'}) RETURN v.epoch + '/' + toString(v.n) AS version`
)

// Version implements graph.Store.
func (s *Store) Version(ctx context.Context) (string, error) {
	countRoundTrip(ctx)
	res, err := neo4j.ExecuteQuery(ctx, s.driver, readVersion, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return "", mapError(ctx, err)
	}
	if len(res.Records) != 1 {
		return "", fmt.Errorf("neo4j: the version query returned %d records", len(res.Records))
	}
	v, _, err := neo4j.GetRecordValue[string](res.Records[0], "version")
	return v, err
}

// run sends one statement and collects its records, counting the round trip. Every
// statement gets the viewer's parameters, which visible() reads.
func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	countRoundTrip(ctx)
	res, err := tx.Run(ctx, cypher, withViewer(ctx, params))
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// countRoundTrip counts one statement sent to Neo4j, in the request's count (its
// extensions.roundTrips) and in the process's (stakegraph_neo4j_round_trips_total). Every
// statement sent goes through it.
func countRoundTrip(ctx context.Context) {
	graph.CountRoundTrip(ctx)
	metrics.Neo4jRoundTrips.Inc()
}

// mapError turns driver errors into coded graph errors; coded errors pass through.
func mapError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	kind := "other"
	defer func() { metrics.Neo4jErrors.WithLabelValues(kind).Inc() }()
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		kind = "timeout"
		return graph.Errorf(graph.ETIMEOUT, "", "the request ran past its deadline and was cancelled")
	}
	if connectivity(err) {
		return graph.Errorf(graph.EUNAVAILABLE, "", "Neo4j is unavailable: %v", err)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case strings.Contains(ne.Code, "ConstraintValidationFailed"):
			kind = "conflict"
			return graph.Errorf(graph.ECONFLICT, "", "the write breaks a uniqueness rule: %s", ne.Msg)
		case strings.Contains(ne.Code, "TransactionTimedOut"), strings.Contains(ne.Code, "Terminated"):
			kind = "timeout"
			return graph.Errorf(graph.ETIMEOUT, "", "the request ran past its deadline and was cancelled")
		}
	}
	return fmt.Errorf("neo4j: %w", err)
}

// visible is the releasability predicate for the node bound to v (a constant of this
// package): a node exists for the viewer when its releasableTo is empty or names the
// viewer's nation, or the viewer sees all. Enforced in every read, so nothing hidden
// reaches a list, a count, a traversal, an error or an analysis.
func visible(v string) string {
	return fmt.Sprintf("($seeAll OR %[1]s.releasableTo IS NULL OR $nation IN %[1]s.releasableTo)", v)
}

// withViewer adds the viewer's parameters for visible() to params.
func withViewer(ctx context.Context, params map[string]any) map[string]any {
	v := graph.ViewerFrom(ctx)
	out := make(map[string]any, len(params)+2)
	for k, x := range params {
		out[k] = x
	}
	out["seeAll"] = v.SeesAll()
	out["nation"] = v.Nation
	return out
}
