package graph

import "context"

// Direction selects which relationships of a node a traversal follows.
type Direction int

// Traversal directions. Both is what undirected types (COORDINATES_WITH,
// CONFLICTS_WITH) use.
const (
	Outgoing Direction = iota
	Incoming
	Both
)

// NodeFilter selects nodes for a list query. Empty fields do not filter.
type NodeFilter struct {
	Label        Label    // empty: every label
	IDs          []string // only these ids
	NameContains string   // case-insensitive substring of name
	Kind         string   // Agency, Agreement, Threat
	Domain       string   // Objective
	Region       string   // Nation
	Code         string   // Nation
	Category     string   // Capability
	First        int      // page size, > 0
	After        string   // keyset cursor: the id of the last node of the previous page
}

// NodePage is one page of nodes ordered by id.
type NodePage struct {
	Nodes       []Node
	HasNextPage bool
	TotalCount  int
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	Nodes         int
	Relationships int
	// ImportID is the import's id in the audit trail: the one asked for, or a new one.
	ImportID string
	// Repeated is true when an import with this id and the same document had already been
	// applied: nothing was written again.
	Repeated bool
}

// ImportOptions say how to import a document.
type ImportOptions struct {
	// Replace empties the graph first, in the same transaction.
	Replace bool
	// ID names the import in the audit trail, so that a client who lost the answer (an
	// outcome UNKNOWN) can find out whether it was applied, and retry safely: an import
	// whose id was already applied to the same document is not applied again, and one
	// whose id was used for a different document is ECONFLICT. Empty means a new id.
	ID string
}

// Store keeps the model. Every method names its database; writes are transactional and
// each records an AuditEvent in its own transaction. Reads see only what is releasable to
// the viewer in ctx (graph.ViewerFrom).
// Errors carry codes: EINVALID for input that breaks the model (nothing written),
// ENOTFOUND for unknown ids where the method says so, EUNAVAILABLE when the database does
// not answer, ETIMEOUT when ctx ends first, EINTERNAL otherwise.
type Store interface {
	// FindNodes returns one page of the nodes that f selects, ordered by id.
	FindNodes(ctx context.Context, f NodeFilter) (*NodePage, error)
	// NodesByID returns the nodes with these ids, in one round trip; unknown ids are absent.
	NodesByID(ctx context.Context, ids []string) (map[string]Node, error)

	// UpsertNodes creates or replaces the nodes by id, in one transaction. A node whose id
	// exists with another label, or a nation code taken by another nation, is ECONFLICT; a
	// viewer who does not see everything creating a nation or changing its code is
	// EFORBIDDEN (whether the code is taken would reveal hidden nations).
	UpsertNodes(ctx context.Context, nodes []Node) ([]Node, error)
	// DeleteNodes deletes the nodes with these ids and their relationships; EINVALID names
	// the first unknown id, EFORBIDDEN the first node with relationships to nodes hidden
	// from the viewer, and then nothing is deleted.
	DeleteNodes(ctx context.Context, ids []string) error
	// UpsertRelationships creates or replaces relationships by (type, from, to), in one
	// transaction; unknown or wrongly labelled endpoints, and a PART_OF that would make an
	// agency part of a second nation, are EINVALID.
	UpsertRelationships(ctx context.Context, rels []Relationship) ([]Relationship, error)
	// DeleteRelationships deletes relationships by key; EINVALID names the first missing one
	// and then nothing is deleted.
	DeleteRelationships(ctx context.Context, keys []RelKey) error

	// Import writes a whole document in one transaction: all of it or, with the first error
	// and its JSON path, nothing. With opts.Replace, the graph is emptied first in the same
	// transaction. A malformed opts.ID is EINVALID (field importId); an id already used for
	// another document ECONFLICT. A document's Audit events that the trail lacks are added
	// to it (a restore); those it has are left as they are.
	Import(ctx context.Context, doc *Document, opts ImportOptions) (ImportResult, error)
	// Export reads the whole model as a document, nodes and relationships in a stable order.
	Export(ctx context.Context) (*Document, error)
	// Audit returns one page of the audit trail, newest first, and whether more follow.
	// Only administrators may read it: others get EFORBIDDEN.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEvent, bool, error)
	// Snapshot reads the whole model, every node and relationship with all its properties,
	// in no set order: what package snapshot indexes for reads and analyses.
	Snapshot(ctx context.Context) (*Document, error)
	// Version is the graph version: an opaque string that every write transaction
	// changes, read in one small round trip; empty before the first write.
	Version(ctx context.Context) (string, error)

	// SaveView stores a new saved view with name and state (ValidateView: EINVALID naming
	// name or state, and nothing written), stamped with the viewer in ctx, the time and
	// the graph version. Saved views are not the model: saving one neither changes the
	// graph version nor enters the audit trail.
	SaveView(ctx context.Context, name, state string) (SavedView, error)
	// SavedViews lists the saved views visible to the viewer in ctx (SavedView.VisibleTo),
	// newest first.
	SavedViews(ctx context.Context) ([]SavedView, error)
	// DeleteView deletes a saved view: ENOTFOUND when id names no view the viewer sees,
	// EFORBIDDEN when the viewer is neither its author nor an administrator.
	DeleteView(ctx context.Context, id string) error
}
