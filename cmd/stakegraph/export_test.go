package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"testing"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/format"
)

// getExport fetches path with token as bearer (none when empty).
func getExport(t *testing.T, url, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// visibleTo is the part of doc a viewer may see: the releasable nodes and the
// relationships between them.
func visibleTo(doc *graph.Document, v *graph.Viewer) (nodes, rels map[string]bool) {
	nodes, rels = map[string]bool{}, map[string]bool{}
	for i := range doc.Nodes {
		if v.CanSee(&doc.Nodes[i]) {
			nodes[doc.Nodes[i].ID] = true
		}
	}
	for _, r := range doc.Relationships {
		if nodes[r.From] && nodes[r.To] {
			rels[r.Key().ID()] = true
		}
	}
	return nodes, rels
}

func TestHTTPExportsAreFilteredForTheViewer(t *testing.T) {
	a, err := auth.New(auth.Config{HS256Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := seededServer(t, &Main{Auth: a})
	// The seed restricts one agreement to the Five Eyes; an objective only France may see,
	// with a relationship, tells every viewer apart.
	local := graph.WithViewer(context.Background(), graph.LocalViewer)
	if _, err := m.Store.UpsertNodes(local, []graph.Node{{Label: graph.LabelObjective, ID: "obj:fra-only", Name: "French eyes only", Domain: "OTHER", ReleasableTo: []string{"FRA"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.UpsertRelationships(local, []graph.Relationship{{Type: graph.RelPursues, From: "nation:FRA", To: "obj:fra-only", Priority: 3}}); err != nil {
		t.Fatal(err)
	}
	demo, err := m.Store.Export(local)
	if err != nil {
		t.Fatal(err)
	}
	viewers := map[string]*graph.Viewer{
		jwtFor("vera", "viewer", "GBR"):  {Role: graph.RoleViewer, Nation: "GBR"},
		jwtFor("fred", "analyst", "FRA"): {Role: graph.RoleAnalyst, Nation: "FRA"},
		jwtFor("ada", "admin", ""):       {Role: graph.RoleAdmin},
	}
	var seen []map[string]bool
	for token, v := range viewers {
		wantNodes, wantRels := visibleTo(demo, v)
		for _, other := range seen {
			if mapsEqual(other, wantNodes) {
				t.Fatalf("the seed releases the same nodes to %s %s as to another viewer: the test would not see a filter missing", v.Role, v.Nation)
			}
		}
		seen = append(seen, wantNodes)

		resp, body := getExport(t, m.URL(), "/export.json", token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: /export.json = %d: %s", v.Role, v.Nation, resp.StatusCode, body)
		}
		doc, err := graph.DecodeDocument(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		gotNodes, gotRels := map[string]bool{}, map[string]bool{}
		for _, n := range doc.Nodes {
			gotNodes[n.ID] = true
		}
		for _, r := range doc.Relationships {
			gotRels[r.Key().ID()] = true
		}
		if !mapsEqual(gotNodes, wantNodes) || !mapsEqual(gotRels, wantRels) {
			t.Fatalf("%s %s: /export.json has %d nodes and %d relationships, the seed releases %d and %d",
				v.Role, v.Nation, len(gotNodes), len(gotRels), len(wantNodes), len(wantRels))
		}

		resp, body = getExport(t, m.URL(), "/export.csv", token)
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/zip" {
			t.Fatalf("/export.csv = %d %s", resp.StatusCode, ct)
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		fromCSV, err := format.ReadCSV(zr)
		if err != nil {
			t.Fatal(err)
		}
		if len(fromCSV.Nodes) != len(wantNodes) || len(fromCSV.Relationships) != len(wantRels) {
			t.Fatalf("%s %s: /export.csv has %d nodes and %d relationships, want %d and %d",
				v.Role, v.Nation, len(fromCSV.Nodes), len(fromCSV.Relationships), len(wantNodes), len(wantRels))
		}

		for path, elems := range map[string][2]string{"/export.graphml": {"node", "edge"}, "/export.gexf": {"node", "edge"}} {
			resp, body := getExport(t, m.URL(), path, token)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d", path, resp.StatusCode)
			}
			n, e := countElements(t, body, elems[0]), countElements(t, body, elems[1])
			if n != len(wantNodes) || e != len(wantRels) {
				t.Fatalf("%s %s: %s has %d nodes and %d edges, want %d and %d", v.Role, v.Nation, path, n, e, len(wantNodes), len(wantRels))
			}
		}
	}

	resp, body := getExport(t, m.URL(), "/export.json", "")
	var refusal struct {
		Errors []struct{ Extensions map[string]any }
	}
	_ = json.Unmarshal(body, &refusal)
	if resp.StatusCode != http.StatusUnauthorized || len(refusal.Errors) == 0 || refusal.Errors[0].Extensions["code"] != graph.EUNAUTHENTICATED {
		t.Fatalf("/export.json without a token = %d %s, want 401 UNAUTHENTICATED", resp.StatusCode, body)
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// countElements counts the XML elements named local in doc.
func countElements(t *testing.T, doc []byte, local string) int {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Local == local {
			n++
		}
	}
}
