package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// Import implements graph.Store: the document is validated as a whole (its relationships
// may join its own nodes or stored ones), then written in one transaction in UNWIND
// batches whose parameters are built one batch at a time, so memory beyond the document
// stays bounded by the batch size. Nodes in the document replace stored nodes with the
// same id; updatedAt is kept from the document when present so that export → import
// reproduces the graph. With replace the graph is emptied first in the same transaction;
// as the validated document has no duplicate ids or relationships, every node and
// relationship is then new and is created rather than merged, which writes the same graph
// without looking for one to merge with. The audit event carries the import's id and a
// digest of what was imported, by which a retry is recognised.
func (s *Store) Import(ctx context.Context, doc *graph.Document, opts graph.ImportOptions) (graph.ImportResult, error) {
	replace := opts.Replace
	id := opts.ID
	if id == "" {
		id = graph.NewImportID()
	} else if err := graph.ValidateImportID(id); err != nil {
		return graph.ImportResult{}, err
	}
	digest, err := importDigest(doc, replace)
	if err != nil {
		return graph.ImportResult{}, err
	}
	repeated := false
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		repeated = false
		recs, err := run(ctx, tx, `MATCH (a:AuditEvent {importId: $id}) RETURN a.importDigest, a.at`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			if d, _ := recs[0].Values[0].(string); d != digest {
				return nil, graph.Errorf(graph.ECONFLICT, "importId", "import id %q was used at %v for a different document (or replace setting); choose another id", id, recs[0].Values[1])
			}
			repeated = true // applied before: the retry of an import whose answer was lost
			return nil, nil
		}
		if replace {
			if _, err := run(ctx, tx, `MATCH (e:Entity) DETACH DELETE e`, nil); err != nil {
				return nil, err
			}
		}
		// Endpoints may be stored nodes: look up those the document does not define.
		inDoc := make(map[string]bool, len(doc.Nodes))
		for _, n := range doc.Nodes {
			inDoc[n.ID] = true
		}
		var outside []string
		for _, id := range endpointIDs(doc.Relationships) {
			if !inDoc[id] {
				outside = append(outside, id)
			}
		}
		stored, err := labelsOf(ctx, tx, outside)
		if err != nil {
			return nil, err
		}
		if err := graph.ValidateDocument(doc, stored); err != nil {
			return nil, err
		}
		write := func() error {
			if err := writeNodes(ctx, tx, doc.Nodes, replace, func(i int) string { return fmt.Sprintf("nodes[%d]", i) }); err != nil {
				return err
			}
			return writeRels(ctx, tx, doc.Relationships, replace, func(i int) string { return fmt.Sprintf("relationships[%d]", i) })
		}
		if replace || len(doc.Nodes)+len(doc.Relationships) > maxAuditChanges || len(doc.Audit) > 0 {
			// Too much to list, or a restore: the record says what the document held.
			if err := write(); err != nil {
				return nil, err
			}
			summary := fmt.Sprintf("imported %d nodes and %d relationships (replace: %t)", len(doc.Nodes), len(doc.Relationships), replace)
			if len(doc.Audit) > 0 {
				restored, err := restoreAudit(ctx, tx, doc.Audit)
				if err != nil {
					return nil, err
				}
				summary += fmt.Sprintf("; restored %d of the backup's %d audit events (the trail had the others)", restored, len(doc.Audit))
			}
			if err := record(ctx, tx, graph.AuditEvent{Action: "import", ImportID: id, Summary: summary}); err != nil {
				return nil, err
			}
			return nil, setDigest(ctx, tx, id, digest)
		}
		ids := make([]string, len(doc.Nodes))
		for i, n := range doc.Nodes {
			ids[i] = n.ID
		}
		keys := make([]graph.RelKey, len(doc.Relationships))
		for i := range doc.Relationships {
			keys[i] = doc.Relationships[i].Key()
		}
		if _, err := auditedAs(ctx, tx, graph.AuditEvent{Action: "import", ImportID: id}, ids, keys, false, write); err != nil {
			return nil, err
		}
		return nil, setDigest(ctx, tx, id, digest)
	})
	if err != nil {
		var ge *graph.Error
		if errors.As(err, &ge) && ge.Outcome == graph.OutcomeUnknown {
			ge.Message += fmt.Sprintf(" (this import's id: %s; auditTrail(importId:) finds it if it was applied, and importing again with the same id is safe)", id)
		}
		return graph.ImportResult{ImportID: id}, err
	}
	return graph.ImportResult{Nodes: len(doc.Nodes), Relationships: len(doc.Relationships), ImportID: id, Repeated: repeated}, nil
}

// importDigest identifies what an import writes: the document as the store encodes it,
// and whether it replaces the graph.
func importDigest(doc *graph.Document, replace bool) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "replace=%t\n", replace)
	if err := json.NewEncoder(h).Encode(doc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// setDigest stores the digest of import id on its audit event, for a retry to compare.
func setDigest(ctx context.Context, tx neo4j.ManagedTransaction, id, digest string) error {
	_, err := run(ctx, tx, `MATCH (a:AuditEvent {importId: $id}) SET a.importDigest = $digest`, map[string]any{"id": id, "digest": digest})
	return err
}

// Export implements graph.Store: two statements, nodes by id and relationships by type
// and endpoints, so two exports of the same graph are byte-identical.
func (s *Store) Export(ctx context.Context) (*graph.Document, error) {
	return s.export(ctx, false)
}

// Backup is Export with the whole audit trail, oldest first, read in the same transaction
// so that the trail and the model match. Only administrators may read the trail: others
// get EFORBIDDEN.
func (s *Store) Backup(ctx context.Context) (*graph.Document, error) {
	if !graph.ViewerFrom(ctx).SeesAll() {
		return nil, graph.Errorf(graph.EFORBIDDEN, "", "only administrators may read the audit trail")
	}
	return s.export(ctx, true)
}

func (s *Store) export(ctx context.Context, withAudit bool) (*graph.Document, error) {
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		doc := &graph.Document{Version: graph.DocumentVersion, Nodes: []graph.Node{}, Relationships: []graph.Relationship{}}
		recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE `+visible("e")+` RETURN `+nodeRow+` AS node ORDER BY e.id`, nil)
		if err != nil {
			return nil, err
		}
		if doc.Nodes, err = decodeNodes(recs); err != nil {
			return nil, err
		}
		recs, err = run(ctx, tx, `MATCH (a:Entity)-[r]->(b:Entity) WHERE `+visible("a")+` AND `+visible("b")+`
RETURN `+relMap+` AS rel ORDER BY type(r), a.id, b.id`, nil)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			r, err := decodeRel(rec.Values[0])
			if err != nil {
				return nil, err
			}
			doc.Relationships = append(doc.Relationships, r)
		}
		if withAudit {
			recs, err = run(ctx, tx, `MATCH (a:AuditEvent) RETURN `+auditRow+` ORDER BY a.id`, nil)
			if err != nil {
				return nil, err
			}
			if doc.Audit, err = decodeAudit(recs); err != nil {
				return nil, err
			}
		}
		return doc, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*graph.Document), nil
}

// Clear deletes the whole graph, the audit trail and the saved views, for tests that start
// from nothing.
func (s *Store) Clear(ctx context.Context) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		_, err := run(ctx, tx, `MATCH (e) WHERE e:Entity OR e:AuditEvent OR e:SavedView DETACH DELETE e`, nil)
		return nil, err
	})
	return err
}
