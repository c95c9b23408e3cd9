package neo4j

import (
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
)

// Every node carries the label Entity besides its own, so one uniqueness constraint makes
// ids unique across the whole graph and every lookup by id uses one index.
const entity = "Entity"

// labelName is the only way a label enters Cypher text: a fixed switch, never input.
func labelName(l graph.Label) (string, error) {
	switch l {
	case graph.LabelNation:
		return "Nation", nil
	case graph.LabelAgency:
		return "Agency", nil
	case graph.LabelObjective:
		return "Objective", nil
	case graph.LabelCapability:
		return "Capability", nil
	case graph.LabelAgreement:
		return "Agreement", nil
	case graph.LabelThreat:
		return "Threat", nil
	}
	return "", graph.Errorf(graph.EINVALID, "label", "unknown label %q", l)
}

// relName is the only way a relationship type enters Cypher text.
func relName(t graph.RelType) (string, error) {
	switch t {
	case graph.RelPartOf:
		return "PART_OF", nil
	case graph.RelPursues:
		return "PURSUES", nil
	case graph.RelRequires:
		return "REQUIRES", nil
	case graph.RelProvides:
		return "PROVIDES", nil
	case graph.RelDependsOn:
		return "DEPENDS_ON", nil
	case graph.RelPartyTo:
		return "PARTY_TO", nil
	case graph.RelGoverns:
		return "GOVERNS", nil
	case graph.RelCoordinatesWith:
		return "COORDINATES_WITH", nil
	case graph.RelAddresses:
		return "ADDRESSES", nil
	case graph.RelConflictsWith:
		return "CONFLICTS_WITH", nil
	}
	return "", graph.Errorf(graph.EINVALID, "type", "unknown relationship type %q", t)
}

// nodeRowOf projects the node bound to v (a constant of this package) into a list that
// decodeNode reads by position: a list costs the driver far less than a map of the same
// values, which counts when a snapshot reads a hundred thousand nodes. Dates travel as
// ISO strings.
func nodeRowOf(v string) string {
	return fmt.Sprintf(`[%[1]s.id, [l IN labels(%[1]s) WHERE l <> 'Entity'][0], %[1]s.name,
  %[1]s.description, %[1]s.source, %[1]s.confidence, %[1]s.releasableTo, %[1]s.reliability,
  %[1]s.updatedAt, %[1]s.code, %[1]s.region, %[1]s.kind, %[1]s.domain, %[1]s.category,
  toString(%[1]s.signed), toString(%[1]s.expires)]`, v)
}

// nodeRow projects node e.
var nodeRow = nodeRowOf("e")

// relMap projects relationship r between a and b into a map that decodeRel reads.
const relMap = `{type: type(r), from: a.id, to: b.id, priority: r.priority,
  validFrom: toString(r.validFrom), validTo: toString(r.validTo), capacity: r.capacity,
  role: r.role, mechanism: r.mechanism, source: r.source, confidence: r.confidence}`

// nodeParams is the parameter map written for n; absent properties are null so that SET
// removes them (an upsert replaces the whole node).
func nodeParams(n *graph.Node) map[string]any {
	var updated any
	if n.UpdatedAt != nil {
		updated = *n.UpdatedAt
	}
	return map[string]any{
		"id": n.ID, "name": n.Name, "nameLower": lowerName(n.Name),
		"description": str(n.Description), "source": str(n.Source),
		"confidence": fptr(n.Confidence), "reliability": fptr(n.Reliability),
		"releasableTo": list(n.ReleasableTo), "updatedAt": updated,
		"code": str(n.Code), "region": str(n.Region), "kind": str(n.Kind),
		"domain": str(n.Domain), "category": str(n.Category),
		"signed": str(string(n.Signed)), "expires": str(string(n.Expires)),
	}
}

// setNode assigns every property of n from the parameter map row n (see nodeParams).
const setNode = `SET e.name = n.name, e.nameLower = n.nameLower, e.description = n.description,
  e.source = n.source, e.confidence = n.confidence, e.reliability = n.reliability,
  e.releasableTo = n.releasableTo, e.updatedAt = coalesce(n.updatedAt, datetime()),
  e.code = n.code, e.region = n.region, e.kind = n.kind, e.domain = n.domain,
  e.category = n.category, e.signed = date(n.signed), e.expires = date(n.expires)`

// relParams is the parameter map written for r.
func relParams(r *graph.Relationship) map[string]any {
	var prio any
	if r.Priority != 0 {
		prio = int64(r.Priority)
	}
	return map[string]any{
		"from": r.From, "to": r.To, "priority": prio,
		"validFrom": str(string(r.ValidFrom)), "validTo": str(string(r.ValidTo)),
		"capacity": fptr(r.Capacity), "role": str(r.Role), "mechanism": str(r.Mechanism),
		"source": str(r.Source), "confidence": fptr(r.Confidence),
	}
}

// relCreateParams is the parameter row for creating r: its endpoints and, in p, only the
// properties it has, with dates as Neo4j dates, so that createRelProps writes exactly what
// setRel would on a new relationship and sends nothing for the many relationships without
// properties.
func relCreateParams(r *graph.Relationship) (map[string]any, error) {
	p := map[string]any{}
	if r.Priority != 0 {
		p["priority"] = int64(r.Priority)
	}
	for _, d := range [...]struct {
		key string
		val graph.Date
	}{{"validFrom", r.ValidFrom}, {"validTo", r.ValidTo}} {
		if d.val == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, string(d.val))
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, d.key, "%q is not a date (YYYY-MM-DD)", d.val)
		}
		p[d.key] = neo4j.DateOf(t)
	}
	if r.Capacity != nil {
		p["capacity"] = *r.Capacity
	}
	if r.Confidence != nil {
		p["confidence"] = *r.Confidence
	}
	if r.Role != "" {
		p["role"] = r.Role
	}
	if r.Mechanism != "" {
		p["mechanism"] = r.Mechanism
	}
	if r.Source != "" {
		p["source"] = r.Source
	}
	return map[string]any{"from": r.From, "to": r.To, "p": p}, nil
}

// createRelProps is the property map of a relationship created from the parameter row r
// (see relCreateParams): an absent key reads as null, which CREATE does not store.
const createRelProps = `{priority: r.p.priority, validFrom: r.p.validFrom, validTo: r.p.validTo,
  capacity: r.p.capacity, role: r.p.role, mechanism: r.p.mechanism, source: r.p.source,
  confidence: r.p.confidence}`

// setRel assigns every property of relationship x from the parameter row r.
const setRel = `SET x.priority = r.priority, x.validFrom = date(r.validFrom),
  x.validTo = date(r.validTo), x.capacity = r.capacity, x.role = r.role,
  x.mechanism = r.mechanism, x.source = r.source, x.confidence = r.confidence`

func decodeNode(v any) (graph.Node, error) {
	row, ok := v.([]any)
	if !ok || len(row) != 16 {
		return graph.Node{}, fmt.Errorf("node: unexpected value %T", v)
	}
	text := func(i int) string { s, _ := row[i].(string); return s }
	n := graph.Node{
		ID: text(0), Label: graph.Label(text(1)), Name: text(2), Description: text(3), Source: text(4),
		Confidence: number(row[5]), ReleasableTo: texts(row[6]), Reliability: number(row[7]),
		Code: text(9), Region: text(10), Kind: text(11), Domain: text(12), Category: text(13),
		Signed: graph.Date(text(14)), Expires: graph.Date(text(15)),
	}
	if t, ok := row[8].(time.Time); ok {
		t = t.UTC()
		n.UpdatedAt = &t
	}
	return n, nil
}

// decodeNodes decodes the node maps in the first column of recs.
func decodeNodes(recs []*neo4j.Record) ([]graph.Node, error) {
	out := make([]graph.Node, 0, len(recs))
	for _, rec := range recs {
		n, err := decodeNode(rec.Values[0])
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// arrowOf is the relationship pattern's arrow for t: undirected types match either way.
func arrowOf(t graph.RelType) string {
	if t.Undirected() {
		return "-"
	}
	return "->"
}

func decodeRel(v any) (graph.Relationship, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return graph.Relationship{}, fmt.Errorf("relationship: unexpected value %T", v)
	}
	r := graph.Relationship{
		Type: graph.RelType(getStr(m, "type")), From: getStr(m, "from"), To: getStr(m, "to"),
		ValidFrom: graph.Date(getStr(m, "validFrom")), ValidTo: graph.Date(getStr(m, "validTo")),
		Capacity: getFloat(m, "capacity"), Role: getStr(m, "role"), Mechanism: getStr(m, "mechanism"),
		Source: getStr(m, "source"), Confidence: getFloat(m, "confidence"),
	}
	if p, ok := m["priority"].(int64); ok {
		r.Priority = int(p)
	}
	return r, nil
}

// recordValue reads key of rec as a T, failing on absence or a wrong type.
func recordValue[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, isNil, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, err
	}
	if isNil {
		return v, fmt.Errorf("record key %q is null", key)
	}
	return v, nil
}

func getStr(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func getFloat(m map[string]any, k string) *float64 { return number(m[k]) }

// number reads a Neo4j number as a float, nil when absent.
func number(x any) *float64 {
	switch v := x.(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

// texts reads a Neo4j list of strings, nil when absent or empty.
func texts(x any) []string {
	l, _ := x.([]any)
	var out []string
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func fptr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func list(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return l
}
