package format

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/seed"
)

// demo is the demo seed, which uses every label, relationship type and property.
func demo(t *testing.T) *graph.Document {
	t.Helper()
	doc, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// csvFS writes doc's CSV files into an in-memory file system.
func csvFS(t *testing.T, doc *graph.Document) fstest.MapFS {
	t.Helper()
	bufs := map[string]*bytes.Buffer{}
	if err := WriteCSV(doc, func(name string) (io.Writer, error) {
		bufs[name] = &bytes.Buffer{}
		return bufs[name], nil
	}); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, b := range bufs {
		fsys[name] = &fstest.MapFile{Data: b.Bytes()}
	}
	return fsys
}

func jsonOf(t *testing.T, doc *graph.Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, JSON, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCSVRoundTripKeepsEveryField(t *testing.T) {
	doc := demo(t)
	fsys := csvFS(t, doc)
	if got, want := len(fsys), len(CSVFiles()); got != want {
		t.Fatalf("%d files written, want %d", got, want)
	}
	back, err := ReadCSV(fsys)
	if err != nil {
		t.Fatal(err)
	}
	// The seed lists nodes by label in another order than the files do: compare sorted.
	sortDoc(doc)
	sortDoc(back.Document)
	if got, want := jsonOf(t, back.Document), jsonOf(t, doc); got != want {
		t.Fatalf("CSV round trip changed the document:\n%s", firstDiff(got, want))
	}
	// The lists really went through ";".
	if !strings.Contains(string(fsys["agreements.csv"].Data), "AUS;CAN;GBR;NZL;USA") {
		t.Fatal("agreements.csv does not join releasableTo with ';'")
	}
}

func sortDoc(d *graph.Document) {
	slices.SortFunc(d.Nodes, func(a, b graph.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Relationships, func(a, b graph.Relationship) int { return strings.Compare(a.Key().ID(), b.Key().ID()) })
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got " + la[i] + "\nwant " + lb[i]
		}
	}
	return "lengths differ"
}

func TestCSVErrorsNameFileRowAndColumn(t *testing.T) {
	nations := "id,name,code\nnation:AAA,A,AAA\nnation:BBB,B,BBB\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		field string
	}{
		{"a cell that is not a number", map[string]string{"nations.csv": "id,name,code,confidence\nnation:AAA,A,AAA,0.5\nnation:BBB,B,BBB,high\n"},
			"nations.csv row 3, column confidence"},
		{"an unknown column", map[string]string{"capabilities.csv": "id,name,domain\n"}, "capabilities.csv row 1, column domain"},
		{"a repeated column", map[string]string{"threats.csv": "id,name,kind,name\n"}, "threats.csv row 1, column name"},
		{"a short row", map[string]string{"nations.csv": "id,name,code\nnation:AAA,A\n"}, "nations.csv row 2"},
		{"an unknown file", map[string]string{"nation.csv": nations}, "nation.csv"},
		{"a priority that is not an integer", map[string]string{"nations.csv": nations,
			"relationships.csv": "type,from,to,priority\nCONFLICTS_WITH,a,b,\nPURSUES,nation:AAA,obj:x,high\n"},
			"relationships.csv row 3, column priority"},
		{"a NaN", map[string]string{"agencies.csv": "id,name,kind,reliability\nagency:a,A,CIVIL,NaN\n"}, "agencies.csv row 2, column reliability"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, s := range tc.files {
				fsys[n] = &fstest.MapFile{Data: []byte(s)}
			}
			_, err := ReadCSV(fsys)
			if got := graph.ErrorField(err); got != tc.field || graph.ErrorCode(err) != graph.EINVALID {
				t.Fatalf("error %v (field %q), want %s at %q", err, got, graph.EINVALID, tc.field)
			}
		})
	}
}

func TestCSVLocateNamesTheRowOfAValidationError(t *testing.T) {
	fsys := fstest.MapFS{
		"nations.csv":       {Data: []byte("\ufeffid,name,code,releasableTo\nnation:AAA,A,AAA,\nnation:BBB,B,BBB, GBR ; xx\n")},
		"agencies.csv":      {Data: []byte("id,name,kind\nagency:a,A,CIVIL\nagency:b,B,ARMY\n")},
		"relationships.csv": {Data: []byte("type,from,to\nPART_OF,agency:a,nation:AAA\nPART_OF,agency:a,nation:CCC\n")},
	}
	d, err := ReadCSV(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Nodes[1].ReleasableTo; len(got) != 2 || got[0] != "GBR" {
		t.Fatalf("releasableTo %q, want the two trimmed codes", got)
	}
	err = d.Locate(graph.ValidateDocument(d.Document, nil))
	if got, want := graph.ErrorField(err), "nations.csv row 3, column releasableTo[1]"; got != want {
		t.Fatalf("error %v at %q, want %q", err, got, want)
	}
	d.Nodes[1].ReleasableTo = nil
	err = d.Locate(graph.ValidateDocument(d.Document, nil))
	if got, want := graph.ErrorField(err), "agencies.csv row 3, column kind"; got != want {
		t.Fatalf("error %v at %q, want %q", err, got, want)
	}
	d.Nodes[3].Kind = "CIVIL"
	err = d.Locate(graph.ValidateDocument(d.Document, nil))
	if got, want := graph.ErrorField(err), "relationships.csv row 3, column to"; got != want {
		t.Fatalf("error %v at %q, want %q", err, got, want)
	}
}

func TestWriteRefusesAnUnknownFormat(t *testing.T) {
	err := Write(io.Discard, "xlsx", demo(t))
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Fatalf("xlsx: %v, want %s", err, graph.EINVALID)
	}
	var b bytes.Buffer
	if err := Write(&b, JSON, demo(t)); err != nil || !json.Valid(b.Bytes()) {
		t.Fatalf("json: %v", err)
	}
}
