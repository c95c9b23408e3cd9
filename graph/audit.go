package graph

import "time"

// AuditEvent records one write: who made it, when, and what changed. The store writes it
// in the same transaction as the change, so a change and its record stand or fall together.
type AuditEvent struct {
	ID      string    `json:"id"` // sortable by time
	At      time.Time `json:"at"`
	Subject string    `json:"subject"`
	Role    Role      `json:"role"`
	Nation  string    `json:"nation,omitempty"`
	Action  string    `json:"action"` // upsertNodes, deleteNodes, upsertRelationships, deleteRelationships, import
	Changes []Change  `json:"changes"`
	// Summary describes changes too many to list (an import of a large document).
	Summary string `json:"summary,omitempty"`
	// ImportID is the id of the import this event records (ImportOptions.ID).
	ImportID string `json:"importId,omitempty"`
}

// Change is one node or relationship before and after a write; Before is nil for a
// creation, After for a deletion.
type Change struct {
	Kind   string        `json:"kind"` // "node" or "relationship"
	ID     string        `json:"id"`   // a node id, or a relationship id (TYPE:from->to)
	Before *ChangeRecord `json:"before,omitempty"`
	After  *ChangeRecord `json:"after,omitempty"`
}

// ChangeRecord is the state of a node or relationship on one side of a change.
type ChangeRecord struct {
	Node         *Node         `json:"node,omitempty"`
	Relationship *Relationship `json:"relationship,omitempty"`
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Subject string
	Action  string
	Since   *time.Time
	First   int    // page size
	After   string // keyset cursor: the id of the last event of the previous page
	// ImportID selects the event of the import with this id.
	ImportID string
}
