package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// Saved views are nodes labelled SavedView, outside the model (no Entity label), so no
// list, traversal, snapshot, export or analysis sees them. They are written with commit,
// not write: saving a view does not change the graph version, so it does not invalidate
// every replica's snapshot.

// viewVisible is graph.SavedView.VisibleTo in Cypher, for the view bound to sv.
const viewVisible = `($seeAll OR (NOT sv.authorSeesAll AND sv.nation = $nation))`

const viewRow = `{id: sv.id, name: sv.name, state: sv.state, author: sv.author, nation: sv.nation,
  authorSeesAll: sv.authorSeesAll, createdAt: sv.createdAt, graphVersion: sv.graphVersion,
  modelChanged: sv.graphVersion <> coalesce(g.epoch + '/' + toString(g.n), '')}`

// SaveView implements graph.Store.
func (s *Store) SaveView(ctx context.Context, name, state string) (graph.SavedView, error) {
	if err := graph.ValidateView(name, state); err != nil {
		return graph.SavedView{}, err
	}
	v := graph.ViewerFrom(ctx)
	var salt [8]byte
	_, _ = rand.Read(salt[:])
	now := time.Now().UTC()
	// Ids sort by time, so the newest-first list is an index order.
	id := fmt.Sprintf("view:%020d-%s", now.UnixNano(), hex.EncodeToString(salt[:]))
	out, err := s.commit(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		// The version is read in the same transaction, so it is the model the view was saved on.
		recs, err := run(ctx, tx, `OPTIONAL MATCH (g:GraphVersion {id: 'graph'})
CREATE (sv:SavedView {id: $id, name: $name, state: $state, author: $author, nation: $viewNation,
  authorSeesAll: $authorSeesAll, createdAt: $createdAt,
  graphVersion: coalesce(g.epoch + '/' + toString(g.n), '')})
RETURN `+viewRow+` AS view`, map[string]any{
			"id": id, "name": name, "state": state, "author": v.Subject, "viewNation": v.Nation,
			"authorSeesAll": v.SeesAll(), "createdAt": now,
		})
		if err != nil {
			return nil, err
		}
		views, err := decodeViews(ctx, recs)
		if err != nil {
			return nil, err
		}
		if len(views) != 1 {
			return nil, fmt.Errorf("neo4j: saving a view returned %d records", len(views))
		}
		return views[0], nil
	})
	if err != nil {
		return graph.SavedView{}, err
	}
	return out.(graph.SavedView), nil
}

// SavedViews implements graph.Store.
func (s *Store) SavedViews(ctx context.Context) ([]graph.SavedView, error) {
	out, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, `OPTIONAL MATCH (g:GraphVersion {id: 'graph'})
MATCH (sv:SavedView) WHERE `+viewVisible+`
RETURN `+viewRow+` AS view ORDER BY sv.id DESC`, nil)
		if err != nil {
			return nil, err
		}
		return decodeViews(ctx, recs)
	})
	if err != nil {
		return nil, err
	}
	return out.([]graph.SavedView), nil
}

// DeleteView implements graph.Store.
func (s *Store) DeleteView(ctx context.Context, id string) error {
	v := graph.ViewerFrom(ctx)
	_, err := s.commit(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, `MATCH (sv:SavedView {id: $id}) WHERE `+viewVisible+`
RETURN sv.author AS author`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "id", "no saved view %q", id)
		}
		author, _, err := neo4j.GetRecordValue[string](recs[0], "author")
		if err != nil {
			return nil, err
		}
		if sv := (graph.SavedView{Author: author}); !sv.DeletableBy(v) {
			return nil, graph.Errorf(graph.EFORBIDDEN, "id", "only its author or an administrator may delete the saved view %q", id)
		}
		_, err = run(ctx, tx, `MATCH (sv:SavedView {id: $id}) DELETE sv`, map[string]any{"id": id})
		return nil, err
	})
	return err
}

// decodeViews reads the view column of recs, as the viewer in ctx sees them.
func decodeViews(ctx context.Context, recs []*neo4j.Record) ([]graph.SavedView, error) {
	v := graph.ViewerFrom(ctx)
	out := make([]graph.SavedView, 0, len(recs))
	for _, rec := range recs {
		m, _, err := neo4j.GetRecordValue[map[string]any](rec, "view")
		if err != nil {
			return nil, err
		}
		var sv graph.SavedView
		sv.ID, _ = m["id"].(string)
		sv.Name, _ = m["name"].(string)
		sv.State, _ = m["state"].(string)
		sv.Author, _ = m["author"].(string)
		sv.Nation, _ = m["nation"].(string)
		sv.AuthorSeesAll, _ = m["authorSeesAll"].(bool)
		sv.GraphVersion, _ = m["graphVersion"].(string)
		sv.ModelChanged, _ = m["modelChanged"].(bool)
		if t, ok := m["createdAt"].(time.Time); ok {
			sv.CreatedAt = t.UTC()
		}
		sv.Deletable = sv.DeletableBy(v)
		out = append(out, sv)
	}
	return out, nil
}
