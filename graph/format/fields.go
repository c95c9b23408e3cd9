// Package format writes the model in the formats other tools open — CSV files for
// spreadsheets, GraphML (yEd, networkx) and GEXF (Gephi) — and reads CSV back. It is pure
// Go over graph.Document; JSON, the interchange format itself, belongs to package graph.
// docs/interchange.md describes every format.
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// The formats export writes; import reads JSON and CSV.
const (
	JSON    = "json"
	CSV     = "csv"
	GraphML = "graphml"
	GEXF    = "gexf"
)

// Formats lists every export format.
var Formats = []string{JSON, CSV, GraphML, GEXF}

// kind of a field's value, which decides how it is written and parsed and which attribute
// type GraphML and GEXF declare for it.
type kind int

const (
	text   kind = iota
	number      // a float64
	integer
	list // of strings, written joined with ";"
	stamp
)

// nodeField is one property of a node as the formats carry it: its interchange name, and
// how to read it from and write it to a graph.Node as text ("" is absent).
type nodeField struct {
	name string
	kind kind
	get  func(*graph.Node) string
	set  func(*graph.Node, string) error
}

// relField is the same for a relationship.
type relField struct {
	name string
	kind kind
	get  func(*graph.Relationship) string
	set  func(*graph.Relationship, string) error
}

func str(p func(*graph.Node) *string) nodeField {
	return nodeField{kind: text,
		get: func(n *graph.Node) string { return *p(n) },
		set: func(n *graph.Node, s string) error { *p(n) = s; return nil }}
}

func date(p func(*graph.Node) *graph.Date) nodeField {
	return nodeField{kind: text,
		get: func(n *graph.Node) string { return string(*p(n)) },
		set: func(n *graph.Node, s string) error { *p(n) = graph.Date(s); return nil }}
}

func float(p func(*graph.Node) **float64) nodeField {
	return nodeField{kind: number,
		get: func(n *graph.Node) string { return formatFloat(*p(n)) },
		set: func(n *graph.Node, s string) (err error) { *p(n), err = parseFloat(s); return err }}
}

func named(name string, f nodeField) nodeField { f.name = name; return f }

// commonFields are the properties every node may carry, after its own.
var commonFields = []nodeField{
	named("description", str(func(n *graph.Node) *string { return &n.Description })),
	named("source", str(func(n *graph.Node) *string { return &n.Source })),
	named("confidence", float(func(n *graph.Node) **float64 { return &n.Confidence })),
	named("reliability", float(func(n *graph.Node) **float64 { return &n.Reliability })),
	{name: "releasableTo", kind: list,
		get: func(n *graph.Node) string { return strings.Join(n.ReleasableTo, ";") },
		set: func(n *graph.Node, s string) error { n.ReleasableTo = splitList(s); return nil }},
	{name: "updatedAt", kind: stamp,
		get: func(n *graph.Node) string {
			if n.UpdatedAt == nil {
				return ""
			}
			// The same text JSON writes, so that CSV and JSON round trips agree.
			return n.UpdatedAt.Format(time.RFC3339Nano)
		},
		set: func(n *graph.Node, s string) error {
			if s == "" {
				n.UpdatedAt = nil
				return nil
			}
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			n.UpdatedAt = &t
			return nil
		}},
}

var (
	idField   = named("id", str(func(n *graph.Node) *string { return &n.ID }))
	nameField = named("name", str(func(n *graph.Node) *string { return &n.Name }))
	kindField = named("kind", str(func(n *graph.Node) *string { return &n.Kind }))
)

// ownFields are each label's own properties (docs/interchange.md, "Nodes").
var ownFields = map[graph.Label][]nodeField{
	graph.LabelNation: {
		named("code", str(func(n *graph.Node) *string { return &n.Code })),
		named("region", str(func(n *graph.Node) *string { return &n.Region })),
	},
	graph.LabelAgency:    {kindField},
	graph.LabelObjective: {named("domain", str(func(n *graph.Node) *string { return &n.Domain }))},
	graph.LabelCapability: {
		named("category", str(func(n *graph.Node) *string { return &n.Category })),
	},
	graph.LabelAgreement: {
		kindField,
		named("signed", date(func(n *graph.Node) *graph.Date { return &n.Signed })),
		named("expires", date(func(n *graph.Node) *graph.Date { return &n.Expires })),
	},
	graph.LabelThreat: {kindField},
}

// nodeFields are the columns of a label's CSV file: id, name, its own fields, then the
// common ones.
func nodeFields(l graph.Label) []nodeField {
	out := []nodeField{idField, nameField}
	out = append(out, ownFields[l]...)
	return append(out, commonFields...)
}

// allNodeFields is every node property once, for GraphML and GEXF, whose attributes are
// declared for the whole graph: name, the labels' own fields in label order, the common ones.
func allNodeFields() []nodeField {
	out := []nodeField{nameField}
	seen := map[string]bool{}
	for _, l := range graph.Labels {
		for _, f := range ownFields[l] {
			if !seen[f.name] {
				seen[f.name] = true
				out = append(out, f)
			}
		}
	}
	return append(out, commonFields...)
}

func rstr(name string, p func(*graph.Relationship) *string) relField {
	return relField{name: name, kind: text,
		get: func(r *graph.Relationship) string { return *p(r) },
		set: func(r *graph.Relationship, s string) error { *p(r) = s; return nil }}
}

func rdate(name string, p func(*graph.Relationship) *graph.Date) relField {
	return relField{name: name, kind: text,
		get: func(r *graph.Relationship) string { return string(*p(r)) },
		set: func(r *graph.Relationship, s string) error { *p(r) = graph.Date(s); return nil }}
}

func rfloat(name string, p func(*graph.Relationship) **float64) relField {
	return relField{name: name, kind: number,
		get: func(r *graph.Relationship) string { return formatFloat(*p(r)) },
		set: func(r *graph.Relationship, s string) (err error) { *p(r), err = parseFloat(s); return err }}
}

// relFields are the columns of relationships.csv after type, from and to: every
// relationship property, those that belong to one type first (docs/interchange.md,
// "Relationships").
var relFields = []relField{
	{name: "priority", kind: integer,
		get: func(r *graph.Relationship) string {
			if r.Priority == 0 {
				return ""
			}
			return strconv.Itoa(r.Priority)
		},
		set: func(r *graph.Relationship, s string) error {
			if s == "" {
				r.Priority = 0
				return nil
			}
			p, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("%q is not an integer", s)
			}
			r.Priority = p
			return nil
		}},
	rdate("validFrom", func(r *graph.Relationship) *graph.Date { return &r.ValidFrom }),
	rdate("validTo", func(r *graph.Relationship) *graph.Date { return &r.ValidTo }),
	rfloat("capacity", func(r *graph.Relationship) **float64 { return &r.Capacity }),
	rstr("role", func(r *graph.Relationship) *string { return &r.Role }),
	rstr("mechanism", func(r *graph.Relationship) *string { return &r.Mechanism }),
	rstr("source", func(r *graph.Relationship) *string { return &r.Source }),
	rfloat("confidence", func(r *graph.Relationship) **float64 { return &r.Confidence }),
}

// formatFloat writes the shortest text that parses back to the same float64.
func formatFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

func parseFloat(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		// JSON cannot carry NaN or infinities, and no field of the model takes them.
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return &f, nil
}

// splitList reads "GBR; USA" as [GBR USA]; an empty cell is no list.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}
