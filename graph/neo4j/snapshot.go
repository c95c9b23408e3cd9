package neo4j

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

// Snapshot implements graph.Store. It is built for size and speed: nodes come as rows of
// their properties; relationships — a million in a large model — as one row per start
// node holding a list of [type, end id, properties] triples, the shape that measured
// cheapest for Neo4j (one pattern comprehension per node, no string building, no per-type
// statements that each scan every node) and cheap for the driver (most relationships have
// no properties, so their map is empty). Dates are decoded by the driver, not formatted by
// Cypher. A viewer who sees everything gets statements without the releasability
// predicate. The two halves are read by two read transactions at once, so Neo4j and the
// decoding use both cores; a write committed between their starts can leave a
// relationship whose end the node half lacks, which is dropped (a snapshot is a reading of
// the graph at about one moment, not a lock on it; package snapshot labels it with the
// version read before either half).
func (s *Store) Snapshot(ctx context.Context) (*graph.Document, error) {
	var (
		wg         sync.WaitGroup
		nodes      []graph.Node
		out        []outgoing
		total      int
		nErr, rErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		nodes, nErr = s.snapshotNodes(ctx)
	}()
	go func() {
		defer wg.Done()
		out, total, rErr = s.snapshotRels(ctx)
	}()
	wg.Wait()
	if nErr != nil {
		return nil, nErr
	}
	if rErr != nil {
		return nil, rErr
	}
	metrics.SnapshotBuilds.Inc()
	doc := &graph.Document{Version: graph.DocumentVersion, Nodes: nodes}
	ids := make(map[string]string, len(nodes))
	for _, n := range nodes {
		ids[n.ID] = n.ID
	}
	doc.Relationships = make([]graph.Relationship, 0, total)
	for _, o := range out {
		from, ok := ids[o.from]
		if !ok {
			continue
		}
		for _, x := range o.rels {
			r, toID, err := decodeRelTriple(x)
			if err != nil {
				return nil, err
			}
			if r.To, ok = ids[toID]; !ok { // shares the node's string instead of keeping a copy
				continue
			}
			r.From = from
			doc.Relationships = append(doc.Relationships, r)
		}
	}
	return doc, nil
}

// decodeRelTriple reads one [type, end id, properties] item of the snapshot's relationship
// rows. A property of an unexpected type is an error rather than a silent zero, so the
// snapshot cannot drift from Export unnoticed.
func decodeRelTriple(x any) (graph.Relationship, string, error) {
	l, ok := x.([]any)
	if !ok || len(l) != 3 {
		return graph.Relationship{}, "", fmt.Errorf("snapshot: unexpected relationship item %T", x)
	}
	typ, ok1 := l[0].(string)
	end, ok2 := l[1].(string)
	props, ok3 := l[2].(map[string]any)
	if !ok1 || !ok2 || !ok3 {
		return graph.Relationship{}, "", fmt.Errorf("snapshot: unexpected relationship item %v", l)
	}
	r := graph.Relationship{Type: relType(typ)}
	for k, v := range props {
		var bad bool
		switch k {
		case "priority":
			p, ok := v.(int64)
			r.Priority, bad = int(p), !ok
		case "validFrom":
			r.ValidFrom, bad = dateOf(v)
		case "validTo":
			r.ValidTo, bad = dateOf(v)
		case "capacity":
			r.Capacity = number(v)
			bad = r.Capacity == nil
		case "confidence":
			r.Confidence = number(v)
			bad = r.Confidence == nil
		case "role":
			r.Role, ok = v.(string)
			bad = !ok
		case "mechanism":
			r.Mechanism, ok = v.(string)
			bad = !ok
		case "source":
			r.Source, ok = v.(string)
			bad = !ok
		}
		if bad {
			return graph.Relationship{}, "", fmt.Errorf("snapshot: %s relationship to %q: property %s has type %T", typ, end, k, v)
		}
	}
	return r, end, nil
}

// dateOf formats a date property as the ISO calendar date Export returns (Cypher's
// toString of a date); bad is true when v is not a date.
func dateOf(v any) (d graph.Date, bad bool) {
	t, ok := v.(neo4j.Date)
	if !ok {
		return "", true
	}
	return graph.Date(t.Time().Format(time.DateOnly)), false
}

// outgoing is one start node's relationships as the snapshot reads them.
type outgoing struct {
	from string
	rels []any
}

// nodesPerRecord is how many node rows the snapshot's node statement puts in one record.
// The driver's cost is mostly per record (each message is read under a context with a
// timer of its own), not per value: on the large model, 100,000 one-node records cost the
// driver 0.6 s of CPU, the same rows in 50 records 0.1 s, and Neo4j no more.
const nodesPerRecord = 2000

func (s *Store) snapshotNodes(ctx context.Context) ([]graph.Node, error) {
	match := `MATCH (e:Entity)`
	if !graph.ViewerFrom(ctx).SeesAll() {
		match = `MATCH (e:Entity) WHERE ` + visible("e")
	}
	// Collecting is eager, but the node half is small beside the relationships, which
	// stream meanwhile in their own transaction.
	cypher := match + ` WITH collect(` + nodeRow + `) AS rows
UNWIND range(0, size(rows) - 1, $perRecord) AS i RETURN rows[i..i + $perRecord]`
	var nodes []graph.Node
	err := s.stream(ctx, cypher, map[string]any{"perRecord": int64(nodesPerRecord)}, func(row []any) error {
		rows, ok := row[0].([]any)
		if !ok {
			return fmt.Errorf("snapshot: unexpected node record %T", row[0])
		}
		for _, r := range rows {
			n, err := decodeNode(r)
			if err != nil {
				return err
			}
			nodes = append(nodes, n)
		}
		return nil
	})
	return nodes, err
}

// snapshotRels reads every relationship between visible nodes, grouped by start node, and
// how many there are.
func (s *Store) snapshotRels(ctx context.Context) ([]outgoing, int, error) {
	cypher := `MATCH (a:Entity) WITH a, [(a)-[r]->(b:Entity) | [type(r), b.id, properties(r)]] AS out
WHERE size(out) > 0 RETURN a.id, out`
	if !graph.ViewerFrom(ctx).SeesAll() {
		cypher = `MATCH (a:Entity) WHERE ` + visible("a") + `
WITH a, [(a)-[r]->(b:Entity) WHERE ` + visible("b") + ` | [type(r), b.id, properties(r)]] AS out
WHERE size(out) > 0 RETURN a.id, out`
	}
	var (
		out   []outgoing
		total int
	)
	err := s.stream(ctx, cypher, nil, func(row []any) error {
		from, ok1 := row[0].(string)
		rels, ok2 := row[1].([]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("snapshot: unexpected relationship row %v", row)
		}
		out = append(out, outgoing{from: from, rels: rels})
		total += len(rels)
		return nil
	})
	return out, total, err
}

// stream runs one read statement with params in its own transaction, fetching all records
// in one batch, and hands each row to fn as it arrives.
func (s *Store) stream(ctx context.Context, cypher string, params map[string]any, fn func(row []any) error) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.db, AccessMode: neo4j.AccessModeRead, FetchSize: neo4j.FetchAll,
	})
	defer sess.Close(ctx)
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		countRoundTrip(ctx)
		res, err := tx.Run(ctx, cypher, withViewer(ctx, params))
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			if err := fn(res.Record().Values); err != nil {
				return nil, err
			}
		}
		return nil, res.Err()
	})
	return mapError(ctx, err)
}

// relType returns the constant for a type name read from the database, so a million
// relationships share ten strings.
func relType(name string) graph.RelType {
	for _, t := range graph.RelTypes {
		if string(t) == name {
			return t
		}
	}
	return graph.RelType(name)
}
