package format

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/oracles"
)

// readBack writes the demo in format and reads it back with networkx.
func readBack(t *testing.T, format string, doc *graph.Document) (nodes map[string]map[string]any, edges map[string]map[string]any) {
	t.Helper()
	py := oracles.Python(t, "networkx")
	path := filepath.Join(t.TempDir(), "demo."+format)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(f, format, doc); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/read_graph.py", format, path).Output()
	if err != nil {
		t.Fatalf("networkx could not read the %s: %v\n%s", format, err, stderrOf(err))
	}
	var g struct {
		Directed bool
		Nodes    map[string]map[string]any
		Edges    []struct {
			Source, Target string
			Data           map[string]any
		}
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	if !g.Directed {
		t.Fatalf("networkx reads the %s as undirected", format)
	}
	edges = map[string]map[string]any{}
	for _, e := range g.Edges {
		edges[e.Source+"->"+e.Target] = e.Data
	}
	return g.Nodes, edges
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// wantValue is what networkx should read for a field written as s: a number for the
// numeric kinds, the text otherwise.
func wantValue(t *testing.T, k kind, s string) any {
	t.Helper()
	if k == number || k == integer {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	return s
}

func TestGraphFormatsReadBackWithNetworkx(t *testing.T) {
	doc := demo(t)
	for _, format := range []string{GraphML, GEXF} {
		t.Run(format, func(t *testing.T) {
			nodes, edges := readBack(t, format, doc)
			if got, want := len(nodes), len(doc.Nodes); got != want {
				t.Fatalf("networkx reads %d nodes, the document has %d", got, want)
			}
			if got, want := len(edges), len(doc.Relationships); got != want {
				t.Fatalf("networkx reads %d edges, the document has %d", got, want)
			}
			checked := 0
			for i := range doc.Nodes {
				n := &doc.Nodes[i]
				got := nodes[n.ID]
				if got == nil {
					t.Fatalf("node %s is missing", n.ID)
				}
				if got[typeAttr] != string(n.Label) {
					t.Fatalf("node %s: type %v, want %s", n.ID, got[typeAttr], n.Label)
				}
				for _, f := range allNodeFields() {
					if v := f.get(n); v != "" {
						if got[f.name] != wantValue(t, f.kind, v) {
							t.Fatalf("node %s: %s = %#v, want %q", n.ID, f.name, got[f.name], v)
						}
						checked++
					} else if _, ok := got[f.name]; ok {
						t.Fatalf("node %s: %s = %#v, but it is absent", n.ID, f.name, got[f.name])
					}
				}
				if format == GEXF && got["label"] != n.Name {
					t.Fatalf("node %s: GEXF label %v, want its name %q", n.ID, got["label"], n.Name)
				}
			}
			for i := range doc.Relationships {
				r := &doc.Relationships[i]
				got := edges[r.From+"->"+r.To]
				if got == nil || got[typeAttr] != string(r.Type) {
					t.Fatalf("edge %s: %v", r.Key().ID(), got)
				}
				for _, f := range relFields {
					if v := f.get(r); v != "" {
						if got[f.name] != wantValue(t, f.kind, v) {
							t.Fatalf("edge %s: %s = %#v, want %q", r.Key().ID(), f.name, got[f.name], v)
						}
						checked++
					}
				}
			}
			t.Logf("%s: %d nodes, %d edges, %d property values compared", format, len(nodes), len(edges), checked)
		})
	}
}
