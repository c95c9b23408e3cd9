package neo4j

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

// Snapshot implements graph.Store. It is built for size and speed: nodes come as rows of
// their properties, relationships — a million in a large model — as one string each of
// their common properties, grouped by start node so the driver handles a tenth of the
// rows; the rarer properties (capacity, role, mechanism, source, confidence) travel in a
// list beside the string only where a relationship has one. The two halves are read by
// two read transactions at once, so Neo4j and the decoding use both cores; a write
// committed between their starts can leave a relationship whose end the node half lacks,
// which is dropped (a snapshot is a reading of the graph at about one moment, not a lock
// on it; package snapshot labels it with the version read before either half).
func (s *Store) Snapshot(ctx context.Context) (*graph.Document, error) {
	var (
		wg         sync.WaitGroup
		nodes      []graph.Node
		out        []outgoing
		nErr, rErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		nodes, nErr = s.snapshotNodes(ctx)
	}()
	go func() {
		defer wg.Done()
		out, rErr = s.snapshotRels(ctx)
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
	total := 0
	for _, o := range out {
		total += len(o.rows)
	}
	doc.Relationships = make([]graph.Relationship, 0, total)
	for _, o := range out {
		from, ok := ids[o.from]
		if !ok {
			continue
		}
		for _, x := range o.rows {
			r, toID, ok := parseRelRow(x)
			if !ok {
				continue
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

// parseRelRow reads one relationship row, "TYPE|priority|validFrom|validTo|endId": one
// string per relationship is the cheapest shape for the driver to decode, and the end id
// comes last so it may contain the separator. A relationship with rarer properties comes
// as [row, capacity, role, mechanism, source, confidence].
func parseRelRow(x any) (graph.Relationship, string, bool) {
	var rare []any
	if l, ok := x.([]any); ok && len(l) == 6 {
		x, rare = l[0], l[1:]
	}
	row, ok := x.(string)
	if !ok {
		return graph.Relationship{}, "", false
	}
	typ, row, _ := strings.Cut(row, "|")
	prio, row, _ := strings.Cut(row, "|")
	from, row, _ := strings.Cut(row, "|")
	to, end, ok := strings.Cut(row, "|")
	if !ok {
		return graph.Relationship{}, "", false
	}
	r := graph.Relationship{Type: relType(typ), ValidFrom: graph.Date(from), ValidTo: graph.Date(to)}
	if prio != "" {
		r.Priority, _ = strconv.Atoi(prio)
	}
	if rare != nil {
		r.Capacity = number(rare[0])
		r.Role, _ = rare[1].(string)
		r.Mechanism, _ = rare[2].(string)
		r.Source, _ = rare[3].(string)
		r.Confidence = number(rare[4])
	}
	return r, end, true
}

// outgoing is one start node's relationships as the snapshot reads them.
type outgoing struct {
	from string
	rows []any
}

func (s *Store) snapshotNodes(ctx context.Context) ([]graph.Node, error) {
	var nodes []graph.Node
	err := s.stream(ctx, `MATCH (e:Entity) WHERE `+visible("e")+` RETURN `+nodeRow+` AS node`, func(row []any) error {
		n, err := decodeNode(row[0])
		nodes = append(nodes, n)
		return err
	})
	return nodes, err
}

func (s *Store) snapshotRels(ctx context.Context) ([]outgoing, error) {
	var out []outgoing
	err := s.stream(ctx, `MATCH (a:Entity)-[r]->(b:Entity) WHERE `+visible("a")+` AND `+visible("b")+`
WITH a, r, type(r) + '|' + coalesce(toString(r.priority), '') + '|' +
  coalesce(toString(r.validFrom), '') + '|' + coalesce(toString(r.validTo), '') + '|' + b.id AS row
WITH a, collect(CASE WHEN r.capacity IS NULL AND r.role IS NULL AND r.mechanism IS NULL
    AND r.source IS NULL AND r.confidence IS NULL THEN row
  ELSE [row, r.capacity, r.role, r.mechanism, r.source, r.confidence] END) AS out
RETURN a.id, out`, func(row []any) error {
		from, _ := row[0].(string)
		rows, _ := row[1].([]any)
		out = append(out, outgoing{from: from, rows: rows})
		return nil
	})
	return out, err
}

// stream runs one read statement in its own transaction, fetching all records in one
// batch, and hands each row to fn as it arrives.
func (s *Store) stream(ctx context.Context, cypher string, fn func(row []any) error) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.db, AccessMode: neo4j.AccessModeRead, FetchSize: neo4j.FetchAll,
	})
	defer sess.Close(ctx)
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		countRoundTrip(ctx)
		res, err := tx.Run(ctx, cypher, withViewer(ctx, nil))
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
