package graph

import (
	"strings"
	"testing"
)

func TestSavedViewVisibleTo(t *testing.T) {
	byAAA := &SavedView{Author: "alice", Nation: "AAA"}
	byAdmin := &SavedView{Author: "root", AuthorSeesAll: true}
	byNone := &SavedView{Author: "nobody"}
	cases := []struct {
		outcome string
		view    *SavedView
		viewer  *Viewer
		want    bool
	}{
		{"same nation sees it", byAAA, &Viewer{Subject: "carol", Role: RoleViewer, Nation: "AAA"}, true},
		{"another nation does not", byAAA, &Viewer{Subject: "bob", Role: RoleEditor, Nation: "BBB"}, false},
		{"no nation does not", byAAA, &Viewer{Subject: "x", Role: RoleViewer}, false},
		{"an administrator sees it", byAAA, LocalViewer, true},
		{"an administrator's view is hidden from a nation", byAdmin, &Viewer{Subject: "carol", Role: RoleEditor, Nation: "AAA"}, false},
		{"an administrator's view is hidden from the nationless", byAdmin, &Viewer{Subject: "x", Role: RoleViewer}, false},
		{"an administrator's view is seen by administrators", byAdmin, LocalViewer, true},
		{"a nationless view is seen by the nationless", byNone, &Viewer{Subject: "y", Role: RoleViewer}, true},
		{"a nationless view is hidden from a nation", byNone, &Viewer{Subject: "carol", Role: RoleViewer, Nation: "AAA"}, false},
	}
	for _, c := range cases {
		t.Run(c.outcome, func(t *testing.T) {
			if got := c.view.VisibleTo(c.viewer); got != c.want {
				t.Fatalf("VisibleTo=%v, want %v", got, c.want)
			}
		})
	}
	if !byAAA.DeletableBy(&Viewer{Subject: "alice", Role: RoleAnalyst, Nation: "AAA"}) || byAAA.DeletableBy(&Viewer{Subject: "carol", Role: RoleAnalyst, Nation: "AAA"}) {
		t.Fatal("DeletableBy: the author may delete, another analyst may not")
	}
}

func TestValidateView(t *testing.T) {
	for _, c := range []struct{ outcome, name, state, field string }{
		{"ok", "Gaps", "overlay=gaps&sel=nation%3APOL", ""},
		{"ok with an empty state", "Everything", "", ""},
		{"zero-width name", "\u200b", "", "name"},
		{"hangul filler name", "\u3164", "", "name"},
		{"name of 201 characters", strings.Repeat("é", MaxViewNameChars+1), "", "name"},
		{"invalid UTF-8 state", "ok", "a=\xff", "state"},
		{"right-to-left override in state", "ok", "a=\u202e", "state"},
		{"state over 4096 bytes", "ok", strings.Repeat("é", MaxViewStateBytes/2+1), "state"},
	} {
		t.Run(c.outcome, func(t *testing.T) {
			err := ValidateView(c.name, c.state)
			if c.field == "" {
				if err != nil {
					t.Fatalf("ValidateView: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != c.field {
				t.Fatalf("ValidateView=%v (code %s, field %q), want %s on %s", err, ErrorCode(err), ErrorField(err), EINVALID, c.field)
			}
		})
	}
}
