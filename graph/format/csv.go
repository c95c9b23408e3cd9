package format

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// csvFiles names the CSV file of each label.
var csvFiles = map[graph.Label]string{
	graph.LabelNation:     "nations.csv",
	graph.LabelAgency:     "agencies.csv",
	graph.LabelObjective:  "objectives.csv",
	graph.LabelCapability: "capabilities.csv",
	graph.LabelAgreement:  "agreements.csv",
	graph.LabelThreat:     "threats.csv",
}

// RelationshipsFile is the CSV file of every relationship.
const RelationshipsFile = "relationships.csv"

// CSVFiles lists the files of the CSV form in the order WriteCSV writes them: one per
// label, then RelationshipsFile.
func CSVFiles() []string {
	out := make([]string, 0, len(graph.Labels)+1)
	for _, l := range graph.Labels {
		out = append(out, csvFiles[l])
	}
	return append(out, RelationshipsFile)
}

// CSVHeader is the header row of file, one of CSVFiles.
func CSVHeader(file string) []string {
	for _, l := range graph.Labels {
		if csvFiles[l] == file {
			var h []string
			for _, f := range nodeFields(l) {
				h = append(h, f.name)
			}
			return h
		}
	}
	h := []string{"type", "from", "to"}
	for _, f := range relFields {
		h = append(h, f.name)
	}
	return h
}

// WriteCSV writes doc as CSVFiles, each to the writer that create returns for its name:
// a header row of interchange field names, then one row per node of the file's label (or
// per relationship) in the document's order; absent values are empty cells and lists are
// joined with ";". Every file is written, with only its header when it has no rows.
func WriteCSV(doc *graph.Document, create func(name string) (io.Writer, error)) error {
	rows := map[string][][]string{}
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		file, ok := csvFiles[n.Label]
		if !ok {
			return graph.Errorf(graph.EINVALID, fmt.Sprintf("nodes[%d].label", i), "unknown label %q", n.Label)
		}
		var row []string
		for _, f := range nodeFields(n.Label) {
			row = append(row, f.get(n))
		}
		rows[file] = append(rows[file], row)
	}
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		row := []string{string(r.Type), r.From, r.To}
		for _, f := range relFields {
			row = append(row, f.get(r))
		}
		rows[RelationshipsFile] = append(rows[RelationshipsFile], row)
	}
	for _, file := range CSVFiles() {
		w, err := create(file)
		if err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		_ = cw.Write(CSVHeader(file))
		if err := cw.WriteAll(rows[file]); err != nil { // WriteAll flushes
			return fmt.Errorf("writing %s: %w", file, err)
		}
	}
	return nil
}

// CSVDocument is a document read from CSV files. It remembers the file and row of each
// node and relationship, so that an error about the document can name them.
type CSVDocument struct {
	*graph.Document
	nodeRows, relRows []place
}

type place struct {
	file string
	row  int
}

// ReadCSV reads the CSV files at the top of fsys (a directory, or a zip archive's
// zip.Reader): those of CSVFiles that are present, in that order. A file of another name
// ending in .csv is an error rather than being skipped, so that a misspelt name cannot drop
// a kind unnoticed. Cells that do not parse are EINVALID errors naming the file, row and
// column; the model's rules are left to graph.ValidateDocument (CSVDocument.Locate names
// the place of its errors).
func ReadCSV(fsys fs.FS) (*CSVDocument, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	known := CSVFiles()
	present := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(name), ".csv") {
			continue
		}
		if !slices.Contains(known, name) {
			return nil, graph.Errorf(graph.EINVALID, name, "unknown CSV file (want some of %s)", strings.Join(known, ", "))
		}
		present[name] = true
	}
	if len(present) == 0 {
		return nil, graph.Errorf(graph.EINVALID, "", "no CSV files found (want some of %s)", strings.Join(known, ", "))
	}
	d := &CSVDocument{Document: &graph.Document{Version: graph.DocumentVersion, Nodes: []graph.Node{}, Relationships: []graph.Relationship{}}}
	for _, l := range graph.Labels {
		file := csvFiles[l]
		if !present[file] {
			continue
		}
		fields := nodeFields(l)
		err := readCSVFile(fsys, file, len(fields), func(h string) (int, bool) {
			i := slices.IndexFunc(fields, func(f nodeField) bool { return f.name == h })
			return i, i >= 0
		}, func(line int, cols []int, rec []string) error {
			n := graph.Node{Label: l}
			for i, c := range cols {
				if err := fields[c].set(&n, rec[i]); err != nil {
					return cellError(file, line, fields[c].name, err)
				}
			}
			d.Nodes = append(d.Nodes, n)
			d.nodeRows = append(d.nodeRows, place{file, line})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if present[RelationshipsFile] {
		header := CSVHeader(RelationshipsFile)
		err := readCSVFile(fsys, RelationshipsFile, len(header), func(h string) (int, bool) {
			i := slices.Index(header, h)
			return i, i >= 0
		}, func(line int, cols []int, rec []string) error {
			var r graph.Relationship
			for i, c := range cols {
				switch c {
				case 0:
					r.Type = graph.RelType(rec[i])
				case 1:
					r.From = rec[i]
				case 2:
					r.To = rec[i]
				default:
					if err := relFields[c-3].set(&r, rec[i]); err != nil {
						return cellError(RelationshipsFile, line, header[c], err)
					}
				}
			}
			d.Relationships = append(d.Relationships, r)
			d.relRows = append(d.relRows, place{RelationshipsFile, line})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// readCSVFile reads file's header, maps each column with column (refusing unknown and
// repeated names), and passes every further record to row with its line number.
func readCSVFile(fsys fs.FS, file string, width int, column func(string) (int, bool), row func(line int, cols []int, rec []string) error) error {
	f, err := fsys.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil // an empty file holds nothing
	}
	if err != nil {
		return csvError(file, err)
	}
	cols := make([]int, len(header))
	seen := make(map[int]bool, width)
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // the byte order mark spreadsheets write
		}
		h = strings.TrimSpace(h)
		c, ok := column(h)
		switch {
		case !ok:
			return graph.Errorf(graph.EINVALID, place{file, 1}.column(h), "unknown column (%s has %s)", file, strings.Join(CSVHeader(file), ", "))
		case seen[c]:
			return graph.Errorf(graph.EINVALID, place{file, 1}.column(h), "the column is repeated")
		}
		seen[c] = true
		cols[i] = c
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		if err := row(line, cols, rec); err != nil {
			return err
		}
	}
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
		return graph.Errorf(graph.EINVALID, place{file, pe.StartLine}.String(), "the row has another number of cells than the header")
	}
	if errors.As(err, &pe) {
		return graph.Errorf(graph.EINVALID, place{file, pe.Line}.column(strconv.Itoa(pe.Column)), "%v", pe.Err)
	}
	return graph.Errorf(graph.EINVALID, file, "%v", err)
}

func cellError(file string, line int, column string, err error) error {
	return graph.Errorf(graph.EINVALID, place{file, line}.column(column), "%v", err)
}

func (p place) String() string { return p.file + " row " + strconv.Itoa(p.row) }

func (p place) column(c string) string { return p.String() + ", column " + c }

// documentPath is a field of a document as graph.ValidateDocument names it.
var documentPath = regexp.MustCompile(`^(nodes|relationships)\[(\d+)\]\.?(.*)$`)

// Locate renames the field of a coded error about the document ("nodes[3].kind",
// "relationships[7].to") to the file, row and column it came from ("agencies.csv row 4,
// column kind"); other errors are returned as they are.
func (d *CSVDocument) Locate(err error) error {
	var e *graph.Error
	if !errors.As(err, &e) {
		return err
	}
	m := documentPath.FindStringSubmatch(e.Field)
	if m == nil {
		return err
	}
	i, _ := strconv.Atoi(m[2])
	places := d.nodeRows
	if m[1] == "relationships" {
		places = d.relRows
	}
	if i >= len(places) {
		return err
	}
	field := places[i].String()
	if m[3] != "" {
		field = places[i].column(m[3])
	}
	return &graph.Error{Code: e.Code, Field: field, Message: e.Message}
}
