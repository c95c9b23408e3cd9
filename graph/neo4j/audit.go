package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// Audit events are nodes labelled AuditEvent, outside the model (no Entity label), so no
// list, traversal, export or analysis sees them. Their changes are one JSON property:
// they are read whole, never queried inside.

// maxAuditChanges bounds the changes one event lists; an import of a larger document is
// recorded by its counts.
const maxAuditChanges = 10000

// state is what a write touches, read inside its transaction before and after it.
type state struct {
	nodes map[string]graph.Node
	rels  map[graph.RelKey]graph.Relationship
}

// readState reads the nodes and relationships with these ids and keys as they stand in tx.
func readState(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, keys []graph.RelKey) (state, error) {
	st := state{nodes: map[string]graph.Node{}, rels: map[graph.RelKey]graph.Relationship{}}
	if len(ids) > 0 {
		recs, err := run(ctx, tx, `MATCH (e:Entity) WHERE e.id IN $ids RETURN `+nodeRow+` AS node`, map[string]any{"ids": ids})
		if err != nil {
			return st, err
		}
		nodes, err := decodeNodes(recs)
		if err != nil {
			return st, err
		}
		for _, n := range nodes {
			st.nodes[n.ID] = n
		}
	}
	byType := map[graph.RelType][]map[string]any{}
	for _, k := range keys {
		byType[k.Type] = append(byType[k.Type], map[string]any{"from": k.From, "to": k.To})
	}
	err := eachType(byType, func(t graph.RelType, name string, batch []map[string]any) error {
		recs, err := run(ctx, tx, `UNWIND $rows AS k
MATCH (a:Entity {id: k.from})-[r:`+name+`]`+arrowOf(t)+`(b:Entity {id: k.to})
RETURN k.from, k.to, `+relMap+` AS rel`, map[string]any{"rows": batch})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			r, err := decodeRel(rec.Values[2])
			if err != nil {
				return err
			}
			// Keyed as asked: an undirected relationship may be stored the other way.
			from, _ := rec.Values[0].(string)
			to, _ := rec.Values[1].(string)
			st.rels[graph.RelKey{Type: t, From: from, To: to}] = r
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	return st, nil
}

// touching returns the keys of every relationship of the nodes with these ids.
func touching(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) ([]graph.RelKey, error) {
	recs, err := run(ctx, tx, `MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids OR b.id IN $ids
RETURN type(r) AS type, a.id AS from, b.id AS to`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	keys := make([]graph.RelKey, 0, len(recs))
	for _, rec := range recs {
		t, _ := rec.Values[0].(string)
		from, _ := rec.Values[1].(string)
		to, _ := rec.Values[2].(string)
		keys = append(keys, graph.RelKey{Type: relType(t), From: from, To: to})
	}
	return keys, nil
}

// diff lists what changed between two states of the same ids and keys.
func diff(before, after state, ids []string, keys []graph.RelKey) []graph.Change {
	var out []graph.Change
	for _, id := range ids {
		b, hadB := before.nodes[id]
		a, hasA := after.nodes[id]
		c := graph.Change{Kind: "node", ID: id}
		if hadB {
			c.Before = &graph.ChangeRecord{Node: &b}
		}
		if hasA {
			c.After = &graph.ChangeRecord{Node: &a}
		}
		if hadB || hasA {
			out = append(out, c)
		}
	}
	for _, k := range keys {
		b, hadB := before.rels[k]
		a, hasA := after.rels[k]
		c := graph.Change{Kind: "relationship", ID: k.ID()}
		if hadB {
			c.Before = &graph.ChangeRecord{Relationship: &b}
		}
		if hasA {
			c.After = &graph.ChangeRecord{Relationship: &a}
		}
		if hadB || hasA {
			out = append(out, c)
		}
	}
	return out
}

// audited runs a write with its audit record: it reads the state of ids and keys (and,
// with detach, of every relationship of ids) before and after write, and records the
// difference as action, all in tx. It returns the state after, which is what was written.
func audited(ctx context.Context, tx neo4j.ManagedTransaction, action string, ids []string, keys []graph.RelKey, detach bool, write func() error) (state, error) {
	return auditedAs(ctx, tx, graph.AuditEvent{Action: action}, ids, keys, detach, write)
}

// auditedAs is audited recording ev (its action, and the id of an import) with the changes.
func auditedAs(ctx context.Context, tx neo4j.ManagedTransaction, ev graph.AuditEvent, ids []string, keys []graph.RelKey, detach bool, write func() error) (state, error) {
	if detach {
		more, err := touching(ctx, tx, ids)
		if err != nil {
			return state{}, err
		}
		keys = append(keys, more...)
	}
	before, err := readState(ctx, tx, ids, keys)
	if err != nil {
		return state{}, err
	}
	if err := write(); err != nil {
		return state{}, err
	}
	after, err := readState(ctx, tx, ids, keys)
	if err != nil {
		return state{}, err
	}
	ev.Changes = diff(before, after, ids, keys)
	return after, record(ctx, tx, ev)
}

// record writes ev, stamped with the viewer in ctx and the time, in tx.
func record(ctx context.Context, tx neo4j.ManagedTransaction, ev graph.AuditEvent) error {
	v := graph.ViewerFrom(ctx)
	ev.At = time.Now().UTC()
	var salt [6]byte
	_, _ = rand.Read(salt[:])
	// Ids sort by time, so the newest-first page is an index range.
	ev.ID = fmt.Sprintf("%020d-%s", ev.At.UnixNano(), hex.EncodeToString(salt[:]))
	if ev.Changes == nil {
		ev.Changes = []graph.Change{}
	}
	changes, err := json.Marshal(ev.Changes)
	if err != nil {
		return err
	}
	_, err = run(ctx, tx, `CREATE (a:AuditEvent {id: $id, at: $at, subject: $subject, role: $role,
  nation: $nation, action: $action, changes: $changes, summary: $summary, importId: $importId})`, map[string]any{
		"id": ev.ID, "at": ev.At, "subject": v.Subject, "role": string(v.Role), "nation": str(v.Nation),
		"action": ev.Action, "changes": string(changes), "summary": str(ev.Summary), "importId": str(ev.ImportID),
	})
	return err
}

// Audit implements graph.Store.
func (s *Store) Audit(ctx context.Context, f graph.AuditFilter) ([]graph.AuditEvent, bool, error) {
	if !graph.ViewerFrom(ctx).SeesAll() {
		return nil, false, graph.Errorf(graph.EFORBIDDEN, "", "only administrators may read the audit trail")
	}
	params := map[string]any{"subject": str(f.Subject), "action": str(f.Action), "after": str(f.After),
		"since": nil, "limit": int64(f.First + 1), "importId": str(f.ImportID)}
	if f.Since != nil {
		params["since"] = *f.Since
	}
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, `MATCH (a:AuditEvent)
WHERE ($after IS NULL OR a.id < $after) AND ($subject IS NULL OR a.subject = $subject)
  AND ($action IS NULL OR a.action = $action) AND ($since IS NULL OR a.at >= $since)
  AND ($importId IS NULL OR a.importId = $importId)
RETURN `+auditRow+`
ORDER BY a.id DESC LIMIT $limit`, params)
		if err != nil {
			return nil, err
		}
		return decodeAudit(recs)
	})
	if err != nil {
		return nil, false, err
	}
	events := v.([]graph.AuditEvent)
	more := len(events) > f.First
	if more {
		events = events[:f.First]
	}
	return events, more, nil
}

// auditRow projects audit event a into the columns decodeAudit reads.
const auditRow = `a.id, a.at, a.subject, a.role, a.nation, a.action, a.changes, a.summary, a.importId`

// decodeAudit reads records of auditRow.
func decodeAudit(recs []*neo4j.Record) ([]graph.AuditEvent, error) {
	out := make([]graph.AuditEvent, 0, len(recs))
	for _, rec := range recs {
		row := rec.Values
		ev := graph.AuditEvent{}
		ev.ID, _ = row[0].(string)
		if t, ok := row[1].(time.Time); ok {
			ev.At = t.UTC()
		}
		ev.Subject, _ = row[2].(string)
		role, _ := row[3].(string)
		ev.Role = graph.Role(role)
		ev.Nation, _ = row[4].(string)
		ev.Action, _ = row[5].(string)
		changes, _ := row[6].(string)
		if err := json.Unmarshal([]byte(changes), &ev.Changes); err != nil {
			return nil, fmt.Errorf("audit event %s: %w", ev.ID, err)
		}
		ev.Summary, _ = row[7].(string)
		ev.ImportID, _ = row[8].(string)
		out = append(out, ev)
	}
	return out, nil
}

// restoreAudit writes the events of a backup that the trail lacks (by id), leaving those
// it has as they are: a restore adds to the history and never rewrites it. It returns
// how many it wrote.
func restoreAudit(ctx context.Context, tx neo4j.ManagedTransaction, events []graph.AuditEvent) (int, error) {
	ids := make([]string, len(events))
	for i, ev := range events {
		ids[i] = ev.ID
	}
	have := map[string]bool{}
	for chunk := range chunks(ids) {
		recs, err := run(ctx, tx, `MATCH (a:AuditEvent) WHERE a.id IN $ids RETURN a.id`, map[string]any{"ids": chunk})
		if err != nil {
			return 0, err
		}
		for _, rec := range recs {
			id, _ := rec.Values[0].(string)
			have[id] = true
		}
	}
	var rows []map[string]any
	for _, ev := range events {
		if have[ev.ID] {
			continue
		}
		if ev.Changes == nil {
			ev.Changes = []graph.Change{}
		}
		changes, err := json.Marshal(ev.Changes)
		if err != nil {
			return 0, err
		}
		rows = append(rows, map[string]any{"id": ev.ID, "at": ev.At.UTC(), "subject": ev.Subject, "role": string(ev.Role),
			"nation": str(ev.Nation), "action": ev.Action, "changes": string(changes), "summary": str(ev.Summary),
			"importId": str(ev.ImportID)})
	}
	for chunk := range chunks(rows) {
		if _, err := run(ctx, tx, `UNWIND $rows AS e
CREATE (a:AuditEvent {id: e.id, at: e.at, subject: e.subject, role: e.role, nation: e.nation,
  action: e.action, changes: e.changes, summary: e.summary, importId: e.importId})`, map[string]any{"rows": chunk}); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}
