package resolvers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
)

type savedView struct {
	ID, Name, State, Author, Nation, GraphVersion string
	CreatedAt                                     string
	ModelChanged, Deletable                       bool
}

const viewFields = `id name state author nation createdAt graphVersion modelChanged deletable`

// as serves a's store to v.
func (a *api) as(v *graph.Viewer) *api {
	h := resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{})
	return &api{t: a.t, store: a.store, h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(graph.WithViewer(r.Context(), v)))
	})}
}

// views lists the saved views a sees.
func (a *api) views() []savedView {
	a.t.Helper()
	var out struct{ SavedViews []savedView }
	a.ok(`{ savedViews { `+viewFields+` } }`, nil, &out)
	return out.SavedViews
}

func ids(vs []savedView) string {
	var s []string
	for _, v := range vs {
		s = append(s, v.Name)
	}
	return strings.Join(s, ",")
}

func TestSavedViews(t *testing.T) {
	a := newAPI(t)
	a.ok(`mutation { upsertNation(input: {id: "nation:AAA", name: "Aland", code: "AAA"}) { id } }`, nil, nil)
	alice := a.as(&graph.Viewer{Subject: "alice", Role: graph.RoleAnalyst, Nation: "AAA"})
	carol := a.as(&graph.Viewer{Subject: "carol", Role: graph.RoleAnalyst, Nation: "AAA"})
	bob := a.as(&graph.Viewer{Subject: "bob", Role: graph.RoleAnalyst, Nation: "BBB"})
	reader := a.as(&graph.Viewer{Subject: "rita", Role: graph.RoleViewer, Nation: "AAA"})

	before, err := a.store.Version(admin)
	if err != nil {
		t.Fatal(err)
	}
	graphBefore := a.export()
	var saved struct{ SaveView savedView }
	alice.ok(`mutation($n: String!, $s: String!) { saveView(name: $n, state: $s) { `+viewFields+` } }`,
		map[string]any{"n": "Aland gaps", "s": "view=gaps&focus=nation%3AAAA"}, &saved)
	v := saved.SaveView
	if !v.Deletable || v.ID == "" || v.Name != "Aland gaps" || v.State != "view=gaps&focus=nation%3AAAA" || v.Author != "alice" ||
		v.Nation != "AAA" || v.GraphVersion != before || v.ModelChanged || v.CreatedAt == "" {
		t.Fatalf("saveView returned %+v (graph version %q)", v, before)
	}
	t.Run("outside the model", func(t *testing.T) {
		if after, _ := a.store.Version(admin); after != before {
			t.Errorf("saving a view changed the graph version from %q to %q", before, after)
		}
		if a.export() != graphBefore {
			t.Error("saving a view changed the export")
		}
	})
	t.Run("listed to its nation and administrators only", func(t *testing.T) {
		if got := ids(alice.views()); got != "Aland gaps" {
			t.Errorf("alice sees %q", got)
		}
		if got := alice.views(); len(got) != 1 || !got[0].Deletable {
			t.Errorf("alice, its author, sees %+v, want it deletable", got)
		}
		if got := carol.views(); len(got) != 1 || got[0].Name != "Aland gaps" || got[0].Deletable {
			t.Errorf("carol of the same nation sees %+v, want it and not deletable", got)
		}
		if got := a.views(); len(got) != 1 || got[0].Name != "Aland gaps" || !got[0].Deletable {
			t.Errorf("the administrator sees %+v, want it deletable", got)
		}
		if got := bob.views(); len(got) != 0 {
			t.Errorf("bob of another nation sees %+v", got)
		}
	})
	t.Run("an administrator's view is listed to administrators only", func(t *testing.T) {
		a.ok(`mutation { saveView(name: "admin's", state: "") { id } }`, nil, nil)
		if got := ids(a.views()); got != "admin's,Aland gaps" {
			t.Errorf("the administrator sees %q, want newest first", got)
		}
		if got := ids(alice.views()); got != "Aland gaps" {
			t.Errorf("alice sees %q", got)
		}
	})
	t.Run("model changed since", func(t *testing.T) {
		a.ok(`mutation { upsertNation(input: {id: "nation:AAA", name: "Åland", code: "AAA"}) { id } }`, nil, nil)
		if got := alice.views(); len(got) != 1 || !got[0].ModelChanged || got[0].GraphVersion != before {
			t.Errorf("after a write alice sees %+v, want modelChanged", got)
		}
	})
	t.Run("viewers may not save", func(t *testing.T) {
		r := reader.do(`mutation { saveView(name: "x", state: "") { id } }`, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.EFORBIDDEN {
			t.Fatalf("a viewer saved a view: %+v", r)
		}
	})
	t.Run("only the author or an administrator deletes", func(t *testing.T) {
		del := `mutation($id: ID!) { deleteView(id: $id) }`
		r := bob.do(del, map[string]any{"id": v.ID})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.ENOTFOUND {
			t.Fatalf("bob, who does not see it, deleting: %+v", r)
		}
		r = carol.do(del, map[string]any{"id": v.ID})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.EFORBIDDEN {
			t.Fatalf("carol, not the author, deleting: %+v", r)
		}
		if got := ids(alice.views()); got != "Aland gaps" {
			t.Fatalf("after refused deletes alice sees %q", got)
		}
		var out struct{ DeleteView bool }
		alice.ok(del, map[string]any{"id": v.ID}, &out)
		if !out.DeleteView {
			t.Fatal("deleteView returned false")
		}
		if got := alice.views(); len(got) != 0 {
			t.Fatalf("after deleting alice sees %+v", got)
		}
		r = alice.do(del, map[string]any{"id": v.ID})
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.ENOTFOUND {
			t.Fatalf("deleting twice: %+v", r)
		}
	})
}

func TestSaveViewRejectsBadInput(t *testing.T) {
	a := newAPI(t)
	alice := a.as(&graph.Viewer{Subject: "alice", Role: graph.RoleAnalyst, Nation: "AAA"})
	cases := []struct{ outcome, name, state, field string }{
		{"blank name", " \u200b ", "", "name"},
		{"empty name", "", "", "name"},
		{"name too long", strings.Repeat("n", graph.MaxViewNameChars+1), "", "name"},
		{"name on two lines", "a\nb", "", "name"},
		{"state with a space", "ok", "view=a b", "state"},
		{"state with a control character", "ok", "view=a\x01", "state"},
		{"state too long", "ok", "q=" + strings.Repeat("x", graph.MaxViewStateBytes), "state"},
	}
	for _, c := range cases {
		t.Run(c.outcome, func(t *testing.T) {
			r := alice.do(`mutation($n: String!, $s: String!) { saveView(name: $n, state: $s) { id } }`,
				map[string]any{"n": c.name, "s": c.state})
			if len(r.Errors) == 0 {
				t.Fatalf("saved: %s", r.Data)
			}
			e := r.Errors[0]
			if got := e.Extensions["code"]; got != graph.EINVALID {
				t.Errorf("code=%v, want %s (%s)", got, graph.EINVALID, e.Message)
			}
			if got, _ := e.Extensions["field"].(string); got != c.field {
				t.Errorf("field=%q, want %q (%s)", got, c.field, e.Message)
			}
			if got := a.views(); len(got) != 0 {
				t.Errorf("a rejected view was stored: %+v", got)
			}
		})
	}
	// The limits themselves are allowed.
	alice.ok(`mutation($n: String!, $s: String!) { saveView(name: $n, state: $s) { id } }`,
		map[string]any{"n": strings.Repeat("n", graph.MaxViewNameChars), "s": "q=" + strings.Repeat("x", graph.MaxViewStateBytes-2)}, nil)
}
