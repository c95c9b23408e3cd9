package graph

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a saved view.
const (
	MaxViewNameChars  = 200  // SavedView.Name
	MaxViewStateBytes = 4096 // SavedView.State: an explorer URL's query string
)

// SavedView is a named explorer view: the query string of the explorer's URL, kept in the
// database outside the model (not a node of the graph, not exported, not analysed).
type SavedView struct {
	ID    string // made by the store
	Name  string // 1..MaxViewNameChars characters, at least one visible
	State string // the explorer's URL query string, without "?"; may be empty
	// Author is the subject who saved it; Nation the author's nation (empty for none).
	Author string
	Nation string
	// AuthorSeesAll is true when an administrator saved it: the view may then name what
	// no nation's viewers may see, so only administrators see it.
	AuthorSeesAll bool
	CreatedAt     time.Time
	// GraphVersion is Store.Version when the view was saved: the explorer notes a view
	// saved on an older model.
	GraphVersion string
	// ModelChanged is true when the graph version differs now from GraphVersion.
	ModelChanged bool
	// Deletable is true when the viewer who read it may delete it (DeletableBy).
	Deletable bool
}

// DeletableBy reports whether v may delete the saved view: its author or an administrator.
func (s *SavedView) DeletableBy(v *Viewer) bool { return v.SeesAll() || s.Author == v.Subject }

// VisibleTo reports whether v may see the saved view: administrators see every view,
// others the views saved by non-administrators of their own nation (a view may reveal
// what its author's nation sees).
func (s *SavedView) VisibleTo(v *Viewer) bool {
	if v.SeesAll() {
		return true
	}
	return !s.AuthorSeesAll && s.Nation == v.Nation
}

// ValidateView checks a view's name and state before it is saved; the error names the
// argument (name or state).
func ValidateView(name, state string) error {
	if err := validName(name, "name", MaxViewNameChars); err != nil {
		return err
	}
	if len(state) > MaxViewStateBytes {
		return Errorf(EINVALID, "state", "is %d bytes long, more than %d", len(state), MaxViewStateBytes)
	}
	if !utf8.ValidString(state) {
		return Errorf(EINVALID, "state", "is not valid UTF-8")
	}
	// A query string is printable without spaces (they are escaped as + or %20); anything
	// else is not one the explorer wrote.
	for i, r := range state {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) {
			return Errorf(EINVALID, "state", "has %s at byte %d; a URL query string is printable characters without spaces", describeRune(r), i)
		}
	}
	return nil
}
