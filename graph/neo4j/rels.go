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
		field := func(i int) string { return fieldOf("input", i, len(rels)) }
		for i := range rels {
			r := &rels[i]
			if err := graph.ValidateRelationship(r, labels[r.From], labels[r.To], field(i)); err != nil {
				return nil, err
			}
		}
		if err := graph.ValidatePartOf(rels, field); err != nil {
			return nil, err
		}
		keys := make([]graph.RelKey, len(rels))
		for i := range rels {
			keys[i] = rels[i].Key()
		}
		return audited(ctx, tx, "upsertRelationships", nil, keys, false, func() error {
			return writeRels(ctx, tx, rels, false, field)
		})
	})
	if err != nil {
		return nil, err
	}
	return rels, nil
}

// writeRels writes valid relationships with one UNWIND per type, then checks that no
// agency is PART_OF more than one nation. An undirected relationship replaces one stored
// in the other direction, so each pair has at most one. fresh says that none of them can
// exist yet (see Import), so they are created instead of merged. field names relationship
// i in errors.
func writeRels(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relationship, fresh bool, field func(i int) string) error {
	if err := mergeRels(ctx, tx, rels, fresh); err != nil {
		return err
	}
	return onePartOf(ctx, tx, rels, field)
}

// mergeRels writes the relationships in UNWIND batches of batchSize per type. The
// parameters of a batch are built just before it is sent, so a million relationships
// never have their parameter maps in memory at once.
func mergeRels(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relationship, fresh bool) error {
	byType := map[graph.RelType][]int{}
	for i := range rels {
		byType[rels[i].Type] = append(byType[rels[i].Type], i)
	}
	for _, t := range graph.RelTypes {
		if len(byType[t]) == 0 {
			continue
		}
		name, err := relName(t)
		if err != nil {
			return err
		}
		cypher := `UNWIND $rows AS r
MATCH (a:Entity {id: r.from}), (b:Entity {id: r.to})
MERGE (a)-[x:` + name + `]->(b) ` + setRel
		switch {
		case fresh:
			// Nothing to merge with: the graph was emptied and the document has no
			// duplicates, so CREATE writes the same graph without searching each
			// node's relationships first. The properties go in the CREATE itself (a
			// null one is not stored): a SET after it made the planner add an Eager,
			// which holds every row of the batch before writing any property.
			cypher = `UNWIND $rows AS r
MATCH (a:Entity {id: r.from}), (b:Entity {id: r.to})
CREATE (a)-[x:` + name + ` ` + createRelProps + `]->(b)`
		case t.Undirected():
			cypher = `UNWIND $rows AS r
MATCH (a:Entity {id: r.from}), (b:Entity {id: r.to})
OPTIONAL MATCH (b)-[old:` + name + `]->(a)
DELETE old
MERGE (a)-[x:` + name + `]->(b) ` + setRel
		}
		for chunk := range chunks(byType[t]) {
			rows := make([]map[string]any, len(chunk))
			for j, i := range chunk {
				if fresh {
					rows[j], err = relCreateParams(&rels[i])
					if err != nil {
						return err
					}
				} else {
					rows[j] = relParams(&rels[i])
				}
			}
			if _, err := run(ctx, tx, cypher, map[string]any{"rows": rows}); err != nil {
				return err
			}
		}
	}
	return nil
}

// onePartOf fails when one of the agencies that rels make PART_OF a nation is now PART_OF
// two. It runs after the write, in its transaction: creating the relationship locked the
// agency, so a concurrent write of another PART_OF for it has either committed (and is
// read here) or waits for this one to end (and then finds this one).
func onePartOf(ctx context.Context, tx neo4j.ManagedTransaction, rels []graph.Relationship, field func(i int) string) error {
	var agencies []string
	for _, r := range rels {
		if r.Type == graph.RelPartOf {
			agencies = append(agencies, r.From)
		}
	}
	if len(agencies) == 0 {
		return nil
	}
	type nation struct {
		id      string
		visible bool
	}
	nations := map[string][]nation{}
	for chunk := range chunks(agencies) {
		recs, err := run(ctx, tx, `MATCH (a:Agency)-[:PART_OF]->(n:Entity) WHERE a.id IN $ids
WITH a, collect([n.id, `+visible("n")+`]) AS ns WHERE size(ns) > 1
RETURN a.id AS agency, ns`, map[string]any{"ids": chunk})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			a, _ := rec.Values[0].(string)
			ns, _ := rec.Values[1].([]any)
			for _, v := range ns {
				pair, _ := v.([]any)
				if len(pair) != 2 {
					return fmt.Errorf("onePartOf: unexpected record %v", rec.Values)
				}
				id, _ := pair[0].(string)
				vis, _ := pair[1].(bool)
				nations[a] = append(nations[a], nation{id, vis})
			}
		}
	}
	for i, r := range rels {
		if r.Type != graph.RelPartOf || nations[r.From] == nil {
			continue
		}
		for _, n := range nations[r.From] {
			if n.id == r.To {
				continue
			}
			// A nation hidden from the writer is not named.
			other := "another nation"
			if n.visible {
				other = fmt.Sprintf("%q", n.id)
			}
			return graph.Errorf(graph.EINVALID, field(i)+".to",
				"agency %q is already PART_OF %s; an agency is part of at most one nation (delete that PART_OF first)", r.From, other)
		}
	}
	return nil
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
