package graph_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stakegraph/stakegraph/graph"
)

// The fuzz targets below run their seeds (f.Add and testdata/fuzz/<Name>/) on every
// `go test`; `make fuzz` explores beyond them for a few seconds each.

// invalid checks that err, when there is one, is a coded input error naming a field, and
// that its message reads as prose rather than Go internals.
func invalid(t *testing.T, err error, needField bool) {
	t.Helper()
	if err == nil {
		return
	}
	var e *graph.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *graph.Error", err, err)
	}
	if e.Code != graph.EINVALID {
		t.Fatalf("code %s, want %s: %v", e.Code, graph.EINVALID, err)
	}
	if needField && e.Field == "" {
		t.Fatalf("error names no field: %v", err)
	}
	for _, leak := range []string{"struct {", "json.RawMessage", "graph.", "reflect", "<nil>", "2006-01-02"} {
		if strings.Contains(e.Message, leak) {
			t.Fatalf("message %q shows Go internals (%q)", e.Message, leak)
		}
	}
}

func optional(set bool, v float64) *float64 {
	if !set {
		return nil
	}
	return &v
}

func FuzzValidateNode(f *testing.F) {
	f.Add("Nation", "nation:AAA", "Aland", "AAA", "Europe", "", "", "", "", "", true, 0.5, true, 0.9, "AAA,BBB")
	f.Add("Agency", "agency:x", "X", "", "", "MILITARY", "", "", "", "", false, 0.0, false, 0.0, "")
	f.Add("Agreement", "agr:x", "X", "", "", "TREATY", "", "", "2024-02-29", "2023-01-01", true, 1.5, false, 0.0, "")
	f.Add("Objective", " ", "", "", "", "", "LAND", "", "", "", false, 0.0, true, -0.1, "aaa")
	f.Add("Capability", "cap:x", "X", "AAA", "", "", "", "enabler", "", "", false, 0.0, false, 0.0, "")
	f.Fuzz(func(t *testing.T, label, id, name, code, region, kind, domain, category, signed, expires string,
		hasConf bool, conf float64, hasRel bool, rel float64, releasable string) {
		n := &graph.Node{Label: graph.Label(label), ID: id, Name: name, Code: code, Region: region, Kind: kind,
			Domain: domain, Category: category, Signed: graph.Date(signed), Expires: graph.Date(expires),
			Confidence: optional(hasConf, conf), Reliability: optional(hasRel, rel)}
		if releasable != "" {
			n.ReleasableTo = strings.Split(releasable, ",")
		}
		err := graph.ValidateNode(n, "")
		invalid(t, err, true)
		if err != nil {
			return
		}
		// What passes keeps the model's promises.
		unprintable := func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsGraphic(r) }
		if !n.Label.Valid() || n.ID == "" || strings.ContainsFunc(n.ID, unprintable) ||
			!strings.ContainsFunc(n.Name, func(r rune) bool { return !unprintable(r) }) ||
			utf8.RuneCountInString(n.Name) > graph.MaxNameChars {
			t.Fatalf("accepted %+v", n)
		}
		for _, p := range []*float64{n.Confidence, n.Reliability} {
			if p != nil && !(*p >= 0 && *p <= 1) {
				t.Fatalf("accepted a value outside 0..1: %+v", n)
			}
		}
	})
}

func FuzzValidateRelationship(f *testing.F) {
	f.Add("PURSUES", "nation:AAA", "obj:x", "Nation", "Objective", 3, "", "", false, 0.0, "", "", false, 0.0)
	f.Add("PROVIDES", "agency:x", "cap:x", "Agency", "Capability", 0, "2020-01-01", "2019-01-01", true, -1.0, "", "", true, 0.5)
	f.Add("COORDINATES_WITH", "agency:x", "agency:x", "Agency", "Agency", 0, "", "", false, 0.0, "", "FAX", false, 0.0)
	f.Add("PARTY_TO", "nation:AAA", "agr:x", "Nation", "", 0, "2020-02-30", "", false, 0.0, "founder", "", false, 0.0)
	f.Add("NOPE", "", "", "", "", 9, "", "", false, 0.0, "", "", true, 2.0)
	f.Fuzz(func(t *testing.T, typ, from, to, fromLabel, toLabel string, priority int, validFrom, validTo string,
		hasCap bool, capacity float64, role, mechanism string, hasConf bool, conf float64) {
		r := &graph.Relationship{Type: graph.RelType(typ), From: from, To: to, Priority: priority,
			ValidFrom: graph.Date(validFrom), ValidTo: graph.Date(validTo), Capacity: optional(hasCap, capacity),
			Role: role, Mechanism: mechanism, Confidence: optional(hasConf, conf)}
		err := graph.ValidateRelationship(r, graph.Label(fromLabel), graph.Label(toLabel), "")
		invalid(t, err, true)
		if err == nil && (r.From == r.To || r.Confidence != nil && !(*r.Confidence >= 0 && *r.Confidence <= 1)) {
			t.Fatalf("accepted %+v", r)
		}
	})
}

// path is the grammar of a field an import error may name: a top-level key, or an element
// of nodes or relationships and, optionally, one of its keys.
var path = regexp.MustCompile(`^(` + ident + `|` + quoted + `|(nodes|relationships)\[\d+\](\.` + ident + `|` + quoted + `)?` +
	`|audit\[\d+\](\.` + ident + `)*(` + quoted + `)?)$`)

// A key in a path: an identifier after a dot, or any other name quoted in brackets.
const ident, quoted = `[A-Za-z_][A-Za-z0-9_]*`, `\[".*"\]`

func FuzzDecodeDocument(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"nodes":[{"label":"Nation","id":"nation:AAA","name":"Aland","code":"AAA"}],"relationships":[]}`,
		`{"version":1,"nodes":[{"label":"Threat","id":"t","name":"T","kind":"CYBER","colour":"red"}]}`,
		`{"version":"1"}`, `[]`, `null`, ``, `{} {}`, `{"nodes":[1]}`, `{"relationships":[{"priority":"high"}]}`,
		`{"version":1,"nodes":[],"relationships":[],"audit":[{"id":"1-a","at":"2026-01-01T00:00:00Z","subject":"s","role":"admin","action":"import","changes":[{"kind":"node","id":"x","after":{"node":{"label":"Threat","id":"x","name":"X"}}}]}]}`,
		`{"audit":[{"changes":[{"before":{"node":{"priority":"x"}}}]}]}`, `{"audit":[{"at":"yesterday"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := graph.DecodeDocument(bytes.NewReader(data))
		invalid(t, err, false)
		if err != nil {
			if field := graph.ErrorField(err); field != "" && !path.MatchString(field) {
				t.Fatalf("field %q is not a JSON path: %v", field, err)
			}
			return
		}
		// A decoded document is what import validates next: that must hold too.
		err = graph.ValidateDocument(doc, nil)
		invalid(t, err, true)
	})
}
