package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// Snapshot implements graph.Store. It is built for size: nodes come with every property
// (analysis results show them), but relationships — a million in a large model — come as
// flat rows of only what the analyses read, streamed in one batch, with their ids shared
// with the nodes' instead of copied.
func (s *Store) Snapshot(ctx context.Context) (*graph.Document, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName: s.db, AccessMode: neo4j.AccessModeRead, FetchSize: neo4j.FetchAll,
	})
	defer sess.Close(ctx)
	v, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		doc := &graph.Document{Version: graph.DocumentVersion}
		graph.CountRoundTrip(ctx)
		// One row per node with its outgoing relationships as nested lists: a tenth of the
		// rows of one per relationship, and far less per-row work in the driver.
		res, err := tx.Run(ctx, `MATCH (e:Entity) WHERE `+visible("e")+` RETURN `+nodeMap+` AS node,
  [(e)-[r]->(b:Entity) WHERE `+visible("b")+` | [type(r), b.id, r.priority, toString(r.validFrom), toString(r.validTo)]] AS out`,
			withViewer(ctx, nil))
		if err != nil {
			return nil, err
		}
		type pending struct {
			from string
			rows []any
		}
		var outs []pending
		ids := map[string]string{}
		for res.Next(ctx) {
			row := res.Record().Values
			n, err := decodeNode(row[0])
			if err != nil {
				return nil, err
			}
			ids[n.ID] = n.ID
			doc.Nodes = append(doc.Nodes, n)
			if rows, _ := row[1].([]any); len(rows) > 0 {
				outs = append(outs, pending{from: n.ID, rows: rows})
			}
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		total := 0
		for _, o := range outs {
			total += len(o.rows)
		}
		doc.Relationships = make([]graph.Relationship, 0, total)
		for _, o := range outs {
			for _, x := range o.rows {
				row, _ := x.([]any)
				if len(row) != 5 {
					continue
				}
				typ, _ := row[0].(string)
				to, _ := row[1].(string)
				r := graph.Relationship{Type: relType(typ), From: o.from, To: ids[to]}
				if p, ok := row[2].(int64); ok {
					r.Priority = int(p)
				}
				if d, ok := row[3].(string); ok {
					r.ValidFrom = graph.Date(d)
				}
				if d, ok := row[4].(string); ok {
					r.ValidTo = graph.Date(d)
				}
				doc.Relationships = append(doc.Relationships, r)
			}
		}
		return doc, nil
	})
	if err != nil {
		return nil, mapError(ctx, err)
	}
	return v.(*graph.Document), nil
}

// relType returns the constant for a type name read from the database, so a million
// relationships share eight strings.
func relType(name string) graph.RelType {
	for _, t := range graph.RelTypes {
		if string(t) == name {
			return t
		}
	}
	return graph.RelType(name)
}
