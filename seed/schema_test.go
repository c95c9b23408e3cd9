package seed

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/gen"
	"github.com/stakegraph/stakegraph/internal/oracles"
)

const schemaPath = "../docs/interchange.schema.json"

func readSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s is not JSON: %v", schemaPath, err)
	}
	return s
}

// TestSchemaEnumsMatchTheModel keeps the schema's closed sets equal to the model's, so that
// adding a kind in graph without the schema (or the reverse) fails here.
func TestSchemaEnumsMatchTheModel(t *testing.T) {
	s := readSchema(t)
	if got, want := s["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
		t.Errorf("$schema=%v, want %v", got, want)
	}
	defs, _ := s["$defs"].(map[string]any)
	strs := func(xs any) []string {
		var out []string
		for _, x := range xs.([]any) {
			out = append(out, x.(string))
		}
		return out
	}
	labels := make([]string, len(graph.Labels))
	for i, l := range graph.Labels {
		labels[i] = string(l)
	}
	relTypes := make([]string, len(graph.RelTypes))
	for i, r := range graph.RelTypes {
		relTypes[i] = string(r)
	}
	for _, c := range []struct {
		def  string
		want []string
	}{
		{"label", labels},
		{"relType", relTypes},
		{"agencyKind", graph.AgencyKinds},
		{"objectiveDomain", graph.ObjectiveDomains},
		{"agreementKind", graph.AgreementKinds},
		{"threatKind", graph.ThreatKinds},
		{"mechanism", graph.Mechanisms},
	} {
		d, ok := defs[c.def].(map[string]any)
		if !ok || d["enum"] == nil {
			t.Errorf("$defs.%s.enum is missing", c.def)
			continue
		}
		if got := strs(d["enum"]); !slices.Equal(got, c.want) {
			t.Errorf("$defs.%s.enum=%v, want %v", c.def, got, c.want)
		}
	}
	if got, want := s["properties"].(map[string]any)["version"].(map[string]any)["const"], float64(graph.DocumentVersion); got != want {
		t.Errorf("properties.version.const=%v, want %v", got, want)
	}
}

// pyJSONSchema returns a python3 that can import jsonschema (see package oracles).
func pyJSONSchema(t *testing.T) string {
	t.Helper()
	return oracles.Python(t, "jsonschema")
}

// schemaErrors validates each document against the schema with python3-jsonschema and
// returns, per document, its first error ("" when valid).
func schemaErrors(t *testing.T, docs []json.RawMessage) []string {
	t.Helper()
	py := pyJSONSchema(t)
	const script = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.Draft202012Validator
cls.check_schema(schema)
v = cls(schema, format_checker=cls.FORMAT_CHECKER)
out = []
for doc in json.load(sys.stdin):
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    out.append("" if not errs else "%s: %s" % ("/".join(map(str, errs[0].absolute_path)), errs[0].message))
json.dump(out, sys.stdout)
`
	in, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script, schemaPath)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("jsonschema: %v\n%s", err, stderr.String())
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("jsonschema output %q: %v", b, err)
	}
	return out
}

// TestDocumentsMatchTheSchema checks the demo and a generated model, which between them
// use every label, relationship type and property.
func TestDocumentsMatchTheSchema(t *testing.T) {
	t.Parallel() // each runs python3
	cfg := gen.Small()
	cfg.Seed = 1
	generated, err := json.Marshal(gen.Generate(cfg))
	if err != nil {
		t.Fatal(err)
	}
	got := schemaErrors(t, []json.RawMessage{demoJSON, generated})
	if got[0] != "" {
		t.Errorf("demo.json does not match %s: %s", schemaPath, got[0])
	}
	if got[1] != "" {
		t.Errorf("a generated small model does not match %s: %s", schemaPath, got[1])
	}
}

// TestSchemaRejectsWhatValidationRejects feeds broken documents to both the schema and
// graph.ValidateDocument: each rule the schema can express must reject in both.
func TestSchemaRejectsWhatValidationRejects(t *testing.T) {
	t.Parallel() // each runs python3
	const valid = `{"version":1,"nodes":[
 {"label":"Nation","id":"nation:USA","name":"United States","code":"USA","region":"North America"},
 {"label":"Agency","id":"agency:usa-dod","name":"DoD","kind":"MILITARY","reliability":0.99},
 {"label":"Agency","id":"agency:usa-state","name":"State","kind":"DIPLOMATIC"},
 {"label":"Objective","id":"obj:o","name":"O","domain":"AIR"},
 {"label":"Capability","id":"cap:c","name":"C","category":"enabler"},
 {"label":"Capability","id":"cap:d","name":"D"},
 {"label":"Agreement","id":"agr:a","name":"A","kind":"MOU","signed":"2020-01-01","expires":"2027-01-01"},
 {"label":"Threat","id":"threat:t","name":"T","kind":"HYBRID"}],
"relationships":[
 {"type":"PART_OF","from":"agency:usa-dod","to":"nation:USA"},
 {"type":"PURSUES","from":"nation:USA","to":"obj:o","priority":5},
 {"type":"REQUIRES","from":"obj:o","to":"cap:c"},
 {"type":"PROVIDES","from":"agency:usa-dod","to":"cap:c","validFrom":"2020-01-01","validTo":"2030-01-01","capacity":3},
 {"type":"DEPENDS_ON","from":"cap:c","to":"cap:d"},
 {"type":"PARTY_TO","from":"nation:USA","to":"agr:a","role":"party"},
 {"type":"GOVERNS","from":"agr:a","to":"cap:c"},
 {"type":"COORDINATES_WITH","from":"agency:usa-dod","to":"agency:usa-state","mechanism":"COMMITTEE"},
 {"type":"ADDRESSES","from":"obj:o","to":"threat:t","source":"s","confidence":0.5}]}`
	mutate := func(f func(d map[string]any)) json.RawMessage {
		var d map[string]any
		if err := json.Unmarshal([]byte(valid), &d); err != nil {
			t.Fatal(err)
		}
		f(d)
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	node := func(d map[string]any, i int) map[string]any { return d["nodes"].([]any)[i].(map[string]any) }
	rel := func(d map[string]any, i int) map[string]any { return d["relationships"].([]any)[i].(map[string]any) }
	cases := []struct {
		name string
		doc  json.RawMessage
	}{
		{"valid", json.RawMessage(valid)},
		{"valid backup with an audit trail", mutate(func(d map[string]any) { d["audit"] = auditTrail() })},
		{"audit event without id", mutate(func(d map[string]any) {
			ev := auditTrail()
			delete(ev[0].(map[string]any), "id")
			d["audit"] = ev
		})},
		{"audit event with an unknown field", mutate(func(d map[string]any) {
			ev := auditTrail()
			ev[0].(map[string]any)["ip"] = "10.0.0.1"
			d["audit"] = ev
		})},
		{"wrong version", mutate(func(d map[string]any) { d["version"] = 2 })},
		{"unknown label", mutate(func(d map[string]any) { node(d, 3)["label"] = "Goal" })},
		{"nation without code", mutate(func(d map[string]any) { delete(node(d, 0), "code") })},
		{"lower-case code", mutate(func(d map[string]any) { node(d, 0)["code"] = "usa" })},
		{"blank name", mutate(func(d map[string]any) { node(d, 1)["name"] = "  " })},
		{"agency kind of a threat", mutate(func(d map[string]any) { node(d, 1)["kind"] = "HYBRID" })},
		{"objective without domain", mutate(func(d map[string]any) { delete(node(d, 3), "domain") })},
		{"domain on a capability", mutate(func(d map[string]any) { node(d, 4)["domain"] = "AIR" })},
		{"expires not a date", mutate(func(d map[string]any) { node(d, 6)["expires"] = "2027-02-30" })},
		{"reliability above 1", mutate(func(d map[string]any) { node(d, 1)["reliability"] = 1.5 })},
		{"releasableTo not a code", mutate(func(d map[string]any) { node(d, 0)["releasableTo"] = []string{"US"} })},
		{"unknown node field", mutate(func(d map[string]any) { node(d, 0)["population"] = 1 })},
		{"unknown relationship type", mutate(func(d map[string]any) { rel(d, 2)["type"] = "NEEDS" })},
		{"PURSUES without priority", mutate(func(d map[string]any) { delete(rel(d, 1), "priority") })},
		{"priority 6", mutate(func(d map[string]any) { rel(d, 1)["priority"] = 6 })},
		{"priority on REQUIRES", mutate(func(d map[string]any) { rel(d, 2)["priority"] = 3 })},
		{"negative capacity", mutate(func(d map[string]any) { rel(d, 3)["capacity"] = -1 })},
		{"validTo on GOVERNS", mutate(func(d map[string]any) { rel(d, 6)["validTo"] = "2030-01-01" })},
		{"role on PROVIDES", mutate(func(d map[string]any) { rel(d, 3)["role"] = "lead" })},
		{"unknown mechanism", mutate(func(d map[string]any) { rel(d, 7)["mechanism"] = "TREATY" })},
		{"confidence below 0", mutate(func(d map[string]any) { rel(d, 8)["confidence"] = -0.1 })},
		{"id with a space", mutate(func(d map[string]any) { node(d, 4)["id"] = "cap:c c" })},
		{"id with NUL", mutate(func(d map[string]any) { node(d, 5)["id"] = "cap:\x00" })},
		{"id with a right-to-left override", mutate(func(d map[string]any) { node(d, 5)["id"] = "cap:\u202ed" })},
		{"id over 200 characters", mutate(func(d map[string]any) { node(d, 5)["id"] = strings.Repeat("d", 201) })},
		{"name a lone zero-width space", mutate(func(d map[string]any) { node(d, 3)["name"] = "\u200b" })},
		{"name over 1,000 characters", mutate(func(d map[string]any) { node(d, 3)["name"] = strings.Repeat("n", 1001) })},
		{"name with a tab", mutate(func(d map[string]any) { node(d, 3)["name"] = "a\tb" })},
		{"description over 100 KiB", mutate(func(d map[string]any) { node(d, 3)["description"] = strings.Repeat("d", 102401) })},
		{"description with NUL", mutate(func(d map[string]any) { node(d, 3)["description"] = "a\x00b" })},
		{"source over 2,000 characters", mutate(func(d map[string]any) { node(d, 3)["source"] = strings.Repeat("s", 2001) })},
		{"region over 200 characters", mutate(func(d map[string]any) { node(d, 0)["region"] = strings.Repeat("r", 201) })},
		{"role over 200 characters", mutate(func(d map[string]any) { rel(d, 5)["role"] = strings.Repeat("r", 201) })},
		{"relationship source with a control character", mutate(func(d map[string]any) { rel(d, 8)["source"] = "s\x1b" })},
	}
	docs := make([]json.RawMessage, len(cases))
	for i, c := range cases {
		docs[i] = c.doc
	}
	got := schemaErrors(t, docs)
	for i, c := range cases {
		doc, err := decode(c.doc)
		if err == nil {
			err = graph.ValidateDocument(doc, nil)
		}
		wantValid := c.name == "valid" || strings.HasPrefix(c.name, "valid backup")
		if (err == nil) != wantValid {
			t.Errorf("%s: ValidateDocument error %v, want valid=%v", c.name, err, wantValid)
		}
		if (got[i] == "") != wantValid {
			t.Errorf("%s: schema error %q, want valid=%v", c.name, got[i], wantValid)
		}
	}
}

// TestInterchangeExampleIsValid keeps the example in docs/interchange.md importable.
func TestInterchangeExampleIsValid(t *testing.T) {
	t.Parallel() // each runs python3
	md, err := os.ReadFile("../docs/interchange.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(md, []byte("```json\n"))
	example, _, ok2 := bytes.Cut(rest, []byte("```"))
	if !ok || !ok2 {
		t.Fatal("docs/interchange.md has no ```json example")
	}
	doc, err := decode(example)
	if err != nil {
		t.Fatal(err)
	}
	if err := graph.ValidateDocument(doc, nil); err != nil {
		t.Fatalf("the example does not validate: %v", err)
	}
	if got := schemaErrors(t, []json.RawMessage{example}); got[0] != "" {
		t.Fatalf("the example does not match the schema: %s", got[0])
	}
}

// auditTrail is a backup's trail of one event, as `stakegraph export -audit` writes it.
func auditTrail() []any {
	return []any{map[string]any{"id": "01764460800000000000-0a1b2c3d4e5f", "at": "2026-11-30T00:00:00Z",
		"subject": "ed", "role": "editor", "nation": "GBR", "action": "upsertNodes",
		"changes": []any{map[string]any{"kind": "node", "id": "threat:t",
			"after": map[string]any{"node": map[string]any{"label": "Threat", "id": "threat:t", "name": "T", "kind": "HYBRID"}}}}}}
}
