package graph

import (
	"context"
	"slices"
)

// Role says what a viewer may do. Each role may do everything the roles before it may.
type Role string

// The roles, weakest first (docs/security.md).
const (
	RoleViewer  Role = "viewer"  // reads and runs analyses
	RoleAnalyst Role = "analyst" // the same as viewer; kept apart for audit and policy
	RoleEditor  Role = "editor"  // also writes nodes and relationships
	RoleAdmin   Role = "admin"   // also imports, exports, deletes in bulk, reads the audit trail, sees everything
)

// Roles lists the roles, weakest first.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleEditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// AtLeast reports whether r may do what o may.
func (r Role) AtLeast(o Role) bool {
	return slices.Index(Roles, r) >= slices.Index(Roles, o) && r.Valid() && o.Valid()
}

// Viewer is who asks: the subject of a token, its role and the nation whose releasability
// markings apply to it.
type Viewer struct {
	Subject string
	Role    Role
	Nation  string // ISO 3166-1 alpha-3; releasability is judged against it
}

// SeesAll reports whether the viewer sees every node whatever its releasability (admins).
func (v *Viewer) SeesAll() bool { return v != nil && v.Role == RoleAdmin }

// CanSee reports whether n is releasable to the viewer: its releasableTo is empty or names
// the viewer's nation, or the viewer sees all.
func (v *Viewer) CanSee(n *Node) bool {
	return v.SeesAll() || len(n.ReleasableTo) == 0 || v != nil && v.Nation != "" && slices.Contains(n.ReleasableTo, v.Nation)
}

// LocalViewer is who a server without authentication serves: it may only listen on
// loopback, for one analyst exploring on their own machine, who sees everything.
var LocalViewer = &Viewer{Subject: "local", Role: RoleAdmin}

type viewerKey struct{}

// WithViewer returns ctx carrying v.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer in ctx; without one, a viewer that sees only what is
// releasable to all and may do nothing but read, so a missing viewer never widens access.
func ViewerFrom(ctx context.Context) *Viewer {
	if v, ok := ctx.Value(viewerKey{}).(*Viewer); ok && v != nil {
		return v
	}
	return &Viewer{Subject: "anonymous", Role: RoleViewer}
}
