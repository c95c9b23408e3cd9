package neo4j

import (
	"context"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// filterWhere is shared by the page and count statements of FindNodes; each absent filter
// is a null parameter that matches everything.
var filterWhere = visible("e") + `
  AND ($ids IS NULL OR e.id IN $ids)
  AND ($q IS NULL OR e.nameLower CONTAINS $q)
  AND ($kind IS NULL OR e.kind = $kind)
  AND ($domain IS NULL OR e.domain = $domain)
  AND ($region IS NULL OR e.region = $region)
  AND ($code IS NULL OR e.code = $code)
  AND ($category IS NULL OR e.category = $category)`

// FindNodes implements graph.Store. Pages are keyset pages over the unique id: a cursor is
// the last id seen, so a page costs an index seek whatever its position.
func (s *Store) FindNodes(ctx context.Context, f graph.NodeFilter) (*graph.NodePage, error) {
	label := entity
	if f.Label != "" {
		var err error
		if label, err = labelName(f.Label); err != nil {
			return nil, err
		}
	}
	params := map[string]any{"code": str(f.Code),
		"ids": nil, "q": nil, "kind": str(f.Kind), "domain": str(f.Domain),
		"region": str(f.Region), "category": str(f.Category),
		"after": str(f.After), "limit": int64(f.First + 1),
	}
	if f.IDs != nil {
		params["ids"] = f.IDs
	}
	if q := strings.TrimSpace(f.NameContains); q != "" {
		params["q"] = strings.ToLower(q)
	}
	page := `MATCH (e:` + label + `) WHERE ($after IS NULL OR e.id > $after) AND ` + filterWhere + `
RETURN ` + nodeRow + ` AS node ORDER BY e.id LIMIT $limit`
	count := `MATCH (e:` + label + `) WHERE ` + filterWhere + ` RETURN count(e) AS total`
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, page, params)
		if err != nil {
			return nil, err
		}
		out := &graph.NodePage{}
		if out.Nodes, err = decodeNodes(recs); err != nil {
			return nil, err
		}
		if len(out.Nodes) > f.First {
			out.Nodes, out.HasNextPage = out.Nodes[:f.First], true
		}
		recs, err = run(ctx, tx, count, params)
		if err != nil {
			return nil, err
		}
		total, err := recordValue[int64](recs[0], "total")
		out.TotalCount = int(total)
		return out, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*graph.NodePage), nil
}

// NodesByID implements graph.Store.
func (s *Store) NodesByID(ctx context.Context, ids []string) (map[string]graph.Node, error) {
	out := make(map[string]graph.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	_, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids AND `+visible("e")+` RETURN `+nodeRow+` AS node`,
			map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		nodes, err := decodeNodes(recs)
		for _, n := range nodes {
			out[n.ID] = n
		}
		return nil, err
	})
	return out, err
}

// UpsertNodes implements graph.Store.
func (s *Store) UpsertNodes(ctx context.Context, nodes []graph.Node) ([]graph.Node, error) {
	for i := range nodes {
		if err := graph.ValidateNode(&nodes[i], fieldOf("input", i, len(nodes))); err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
		nodes[i].UpdatedAt = nil // the server stamps writes made through the API
	}
	v, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return audited(ctx, tx, "upsertNodes", ids, nil, false, func() error {
			return writeNodes(ctx, tx, nodes, false, func(i int) string { return fieldOf("input", i, len(nodes)) })
		})
	})
	if err != nil {
		return nil, err
	}
	// The nodes as written (read back in the write's own transaction, for its audit record).
	written := v.(state).nodes
	out := make([]graph.Node, len(ids))
	for i, id := range ids {
		out[i] = written[id]
	}
	return out, nil
}

// writeNodes checks nodes against what is stored (label changes, nation codes) and writes
// them with one UNWIND per label. fresh says that none of them can exist yet (see Import),
// so they are created instead of merged. field names node i in errors.
func writeNodes(ctx context.Context, tx neo4j.ManagedTransaction, nodes []graph.Node, fresh bool, field func(i int) string) error {
	ids := make([]string, len(nodes))
	var codes []string
	for i, n := range nodes {
		ids[i] = n.ID
		if n.Code != "" {
			codes = append(codes, n.Code)
		}
	}
	// Unfiltered on purpose: a write must never replace a node its writer cannot see.
	recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS label, `+visible("e")+` AS visible, e.code AS code`, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	stored := make(map[string]graph.Label, len(recs))
	storedCode := map[string]string{}
	hidden := map[string]bool{}
	for _, rec := range recs {
		id, _ := rec.Values[0].(string)
		l, _ := rec.Values[1].(string)
		stored[id] = graph.Label(l)
		if vis, _ := rec.Values[2].(bool); !vis {
			hidden[id] = true
		}
		storedCode[id], _ = rec.Values[3].(string)
	}
	seesAll := graph.ViewerFrom(ctx).SeesAll()
	for i, n := range nodes {
		if hidden[n.ID] {
			return graph.Errorf(graph.ECONFLICT, field(i)+".id", "id %q cannot be used; choose another", n.ID)
		}
		if l, ok := stored[n.ID]; ok && l != n.Label {
			return graph.Errorf(graph.ECONFLICT, field(i)+".id",
				"id %q already names a %s; delete it first to reuse the id for a %s", n.ID, l, n.Label)
		}
		// Codes are unique and few (17,576 three-letter codes): if a writer who does not see
		// everything could try codes, a clash would reveal every hidden nation. So only
		// someone who sees every nation may bring a code into use — whether or not it is
		// taken, the answer is the same.
		if n.Label == graph.LabelNation && !seesAll && storedCode[n.ID] != n.Code {
			return graph.Errorf(graph.EFORBIDDEN, field(i)+".code",
				"only an administrator can create a nation or change its code (codes are unique across nations you may not see)")
		}
	}
	if len(codes) > 0 {
		recs, err := run(ctx, tx, `MATCH (e:Nation) WHERE e.code IN $codes RETURN e.code AS code, e.id AS id`,
			map[string]any{"codes": codes})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			code, _ := rec.Values[0].(string)
			id, _ := rec.Values[1].(string)
			for i, n := range nodes {
				if n.Code == code && n.ID != id && !slices.Contains(ids, id) {
					// The other nation may be hidden from the writer: do not name it.
					return graph.Errorf(graph.ECONFLICT, field(i)+".code",
						"nation code %q is already used by another nation", code)
				}
			}
		}
	}
	byLabel := map[graph.Label][]int{}
	for i := range nodes {
		byLabel[nodes[i].Label] = append(byLabel[nodes[i].Label], i)
	}
	for _, l := range graph.Labels {
		if len(byLabel[l]) == 0 {
			continue
		}
		label, err := labelName(l)
		if err != nil {
			return err
		}
		cypher := `UNWIND $rows AS n MERGE (e:Entity {id: n.id}) SET e:` + label + ` ` + setNode
		if fresh {
			// The graph was emptied in this transaction and the document has no duplicate
			// ids: nothing to merge with.
			cypher = `UNWIND $rows AS n CREATE (e:Entity:` + label + ` {id: n.id}) ` + setNode
		}
		// Parameters are built per batch, so a large import never holds them all.
		for chunk := range chunks(byLabel[l]) {
			rows := make([]map[string]any, len(chunk))
			for j, i := range chunk {
				rows[j] = nodeParams(&nodes[i])
			}
			if _, err := run(ctx, tx, cypher, map[string]any{"rows": rows}); err != nil {
				return err
			}
		}
	}
	return nil
}

// batchSize bounds the rows sent in one UNWIND, so large imports stream in pieces while
// staying in one transaction.
const batchSize = 5000

// chunks splits rows into UNWIND batches.
func chunks[T any](rows []T) iter.Seq[[]T] { return slices.Chunk(rows, batchSize) }

// eachType calls fn with the Cypher name of each relationship type that has rows, in a
// fixed order, and with those rows in UNWIND batches.
func eachType(byType map[graph.RelType][]map[string]any, fn func(t graph.RelType, name string, batch []map[string]any) error) error {
	for _, t := range graph.RelTypes {
		if len(byType[t]) == 0 {
			continue
		}
		name, err := relName(t)
		if err != nil {
			return err
		}
		for batch := range chunks(byType[t]) {
			if err := fn(t, name, batch); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteNodes implements graph.Store.
func (s *Store) DeleteNodes(ctx context.Context, ids []string) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		// hiddenRels: deleting the node would delete relationships the viewer cannot see
		// (to nodes hidden from them), changing what others see without this viewer knowing.
		recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids AND `+visible("e")+`
RETURN e.id AS id, EXISTS { MATCH (e)--(o:Entity) WHERE NOT `+visible("o")+` } AS hiddenRels`,
			map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		have := map[string]bool{}
		guarded := map[string]bool{}
		for _, rec := range recs {
			id, _ := rec.Values[0].(string)
			have[id] = true
			guarded[id], _ = rec.Values[1].(bool)
		}
		for i, id := range ids {
			if !have[id] {
				return nil, graph.Errorf(graph.EINVALID, fieldOf("ids", i, len(ids)), "no node with id %q", id)
			}
		}
		for i, id := range ids {
			if guarded[id] {
				return nil, graph.Errorf(graph.EFORBIDDEN, fieldOf("ids", i, len(ids)),
					"node %q has relationships to nodes you may not see, which deleting it would delete too; ask an administrator to delete it", id)
			}
		}
		return audited(ctx, tx, "deleteNodes", ids, nil, true, func() error {
			_, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids AND `+visible("e")+` DETACH DELETE e`, map[string]any{"ids": ids})
			return err
		})
	})
	return err
}

// fieldOf names element i of the list argument name, or the argument itself when it has
// one element (a single-node mutation reports "input.code", not "input[0].code").
func fieldOf(name string, i, n int) string {
	if n == 1 {
		return name
	}
	return name + "[" + strconv.Itoa(i) + "]"
}
