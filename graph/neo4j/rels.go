package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// UpsertRelationships implements graph.Store.
func (s *Store) UpsertRelationships(ctx context.Context, rels []graph.Relationship) ([]graph.Relationship, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		labels, err := labelsOf(ctx, tx, endpointIDs(rels))
		if err != nil {
			return nil, err
		}
		for i := range rels {
			r := &rels[i]
			if err := graph.ValidateRelationship(r, labels[r.From], labels[r.To], fieldOf("input", i, len(rels))); err != nil {
				return nil, err
			}
		}
		keys := make([]graph.RelKey, len(rels))
		for i := range rels {
			keys[i] = rels[i].Key()
		}
		return audited(ctx, tx, "upsertRelationships", nil, keys, false, func() error {
			return writeRels(ctx, tx, rels)
		})
	})
	if err != nil {
		return nil, err
	}
	return rels, nil
}

// writeRels writes valid relationships with one UNWIND per type. An undirected
// relationship replaces one stored in the other direction, so each pair has at most one.
func writeRels(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relationship) error {
	byType := map[graph.RelType][]map[string]any{}
	for i := range rels {
		byType[rels[i].Type] = append(byType[rels[i].Type], relParams(&rels[i]))
	}
	return eachType(byType, func(t graph.RelType, name string, batch []map[string]any) error {
		cypher := `UNWIND $rows AS r
MATCH (a:Entity {id: r.from}), (b:Entity {id: r.to})
MERGE (a)-[x:` + name + `]->(b) ` + setRel
		if t.Undirected() {
			cypher = `UNWIND $rows AS r
MATCH (a:Entity {id: r.from}), (b:Entity {id: r.to})
OPTIONAL MATCH (b)-[old:` + name + `]->(a)
DELETE old
MERGE (a)-[x:` + name + `]->(b) ` + setRel
		}
		_, err := run(ctx, tx, cypher, map[string]any{"rows": batch})
		return err
	})
}

// DeleteRelationships implements graph.Store. One statement per type deletes the whole
// batch; a key that matched nothing rolls everything back.
func (s *Store) DeleteRelationships(ctx context.Context, keys []graph.RelKey) error {
	byType := map[graph.RelType][]map[string]any{}
	for i, k := range keys {
		if !k.Type.Valid() {
			return graph.Errorf(graph.EINVALID, fieldOf("keys", i, len(keys))+".type", "unknown relationship type %q", k.Type)
		}
		byType[k.Type] = append(byType[k.Type], map[string]any{"i": int64(i), "from": k.From, "to": k.To})
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return audited(ctx, tx, "deleteRelationships", nil, keys, false, func() error {
			return deleteRels(ctx, tx, keys, byType)
		})
	})
	return err
}

// deleteRels deletes the keyed relationships, grouped by type, failing on the first key
// that matched nothing.
func deleteRels(ctx context.Context, tx neo4j.ManagedTransaction, keys []graph.RelKey, byType map[graph.RelType][]map[string]any) error {
	deleted := map[int64]bool{}
	err := eachType(byType, func(t graph.RelType, name string, batch []map[string]any) error {
		recs, err := run(ctx, tx, `UNWIND $rows AS k
MATCH (a:Entity {id: k.from})-[x:`+name+`]`+arrowOf(t)+`(b:Entity {id: k.to})
WHERE `+visible("a")+` AND `+visible("b")+`
DELETE x RETURN DISTINCT k.i AS i`, map[string]any{"rows": batch})
		for _, rec := range recs {
			i, _ := rec.Values[0].(int64)
			deleted[i] = true
		}
		return err
	})
	if err != nil {
		return err
	}
	for i, k := range keys {
		if !deleted[int64(i)] {
			return graph.Errorf(graph.EINVALID, fieldOf("keys", i, len(keys)),
				"no %s relationship from %q to %q", k.Type, k.From, k.To)
		}
	}
	return nil
}

// labelsOf reads the labels of the stored nodes among ids.
func labelsOf(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]graph.Label, error) {
	out := make(map[string]graph.Label, len(ids))
	for chunk := range chunks(ids) {
		recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids AND `+visible("e")+`
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS label`, map[string]any{"ids": chunk})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			id, ok1 := rec.Values[0].(string)
			l, ok2 := rec.Values[1].(string)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("labelsOf: unexpected record %v", rec.Values)
			}
			out[id] = graph.Label(l)
		}
	}
	return out, nil
}

func endpointIDs(rels []graph.Relationship) []string {
	seen := map[string]bool{}
	var ids []string
	for _, r := range rels {
		for _, id := range []string{r.From, r.To} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}
