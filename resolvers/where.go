package resolvers

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/snapshot"
)

// The playground's inputs: `where`, `orderBy` and cursors. The GraphQL input types
// (schema/playground.graphqls) are generated from the tables below by
// TestPlaygroundSchemaIsGenerated, and bound to plain maps (gqlgen.yml), so that one
// converter, driven by the same tables, turns every kind's `where` into a graph.Cond. An
// input key names a property and an operator from these tables; nothing of the input is
// ever more than a value compared in Go (graph/snapshot/where.go).

// valueKind is how a property is typed in the API and which operators it takes.
type valueKind int

const (
	vID valueKind = iota
	vString
	vEnum
	vDate
	vTime
	vFloat
	vInt
	vList
)

// propSpec is one scalar property of a where input.
type propSpec struct {
	field    string // the GraphQL field (and the graph.Prop)
	kind     valueKind
	enum     string // vEnum: the GraphQL enum
	nullable bool   // absent values exist: IS_NULL is offered
}

// relSpec is one traversal of a node type: the relationship it follows and what it shows.
type relSpec struct {
	field string
	rel   graph.RelType
	dir   graph.Direction
	far   graph.Label // empty: stakeholders (nations and agencies)
	view  string      // the relationship view's type (Provision…), empty for a node list
	one   bool        // at most one (Agency.nation)
}

// endSpec is a where field that applies another where to an end of a relationship view,
// or narrows a stakeholder to one label.
type endSpec struct {
	field string
	where string // the where input applied
	end   string // "from", "to", "other" or "label"
	label graph.Label
}

// whereSpec is one where input type.
type whereSpec struct {
	typ   string // the object type it selects (Nation, Provision…)
	label graph.Label
	props []propSpec
	rels  []relSpec
	ends  []endSpec
	edge  bool // it selects relationships
}

var (
	nodeProps = []propSpec{
		{"id", vID, "", false}, {"name", vString, "", false}, {"description", vString, "", true},
		{"source", vString, "", true}, {"confidence", vFloat, "", true},
		{"releasableTo", vList, "", true}, {"updatedAt", vTime, "", true},
	}
	reliability = propSpec{"reliability", vFloat, "", true}
	relProps    = []propSpec{{"source", vString, "", true}, {"confidence", vFloat, "", true}}
	validity    = []propSpec{{"validFrom", vDate, "", true}, {"validTo", vDate, "", true}}

	stakeholderRels = []relSpec{
		{"pursues", graph.RelPursues, graph.Outgoing, graph.LabelObjective, "Pursuit", false},
		{"provides", graph.RelProvides, graph.Outgoing, graph.LabelCapability, "Provision", false},
		{"partyTo", graph.RelPartyTo, graph.Outgoing, graph.LabelAgreement, "Membership", false},
	}
)

func with(ps []propSpec, more ...propSpec) []propSpec {
	return append(append([]propSpec{}, ps...), more...)
}

func rels(rs ...relSpec) []relSpec { return rs }

// whereSpecs lists every where input, node types first.
var whereSpecs = []*whereSpec{
	{typ: "Nation", label: graph.LabelNation,
		props: with(nodeProps, reliability, propSpec{"code", vString, "", false}, propSpec{"region", vString, "", true}),
		rels: append(rels(relSpec{"agencies", graph.RelPartOf, graph.Incoming, graph.LabelAgency, "", false}),
			stakeholderRels...)},
	{typ: "Agency", label: graph.LabelAgency,
		props: with(nodeProps, reliability, propSpec{"kind", vEnum, "AgencyKind", false}),
		rels: append(rels(relSpec{"nation", graph.RelPartOf, graph.Outgoing, graph.LabelNation, "", true},
			relSpec{"coordinatesWith", graph.RelCoordinatesWith, graph.Both, graph.LabelAgency, "Coordination", false}),
			stakeholderRels...)},
	{typ: "Objective", label: graph.LabelObjective,
		props: with(nodeProps, propSpec{"domain", vEnum, "ObjectiveDomain", false}),
		rels: rels(relSpec{"pursuedBy", graph.RelPursues, graph.Incoming, "", "Pursuit", false},
			relSpec{"requires", graph.RelRequires, graph.Outgoing, graph.LabelCapability, "", false},
			relSpec{"addresses", graph.RelAddresses, graph.Outgoing, graph.LabelThreat, "", false},
			relSpec{"conflictsWith", graph.RelConflictsWith, graph.Both, graph.LabelObjective, "", false})},
	{typ: "Capability", label: graph.LabelCapability,
		props: with(nodeProps, propSpec{"category", vString, "", true}),
		rels: rels(relSpec{"providers", graph.RelProvides, graph.Incoming, "", "Provision", false},
			relSpec{"dependsOn", graph.RelDependsOn, graph.Outgoing, graph.LabelCapability, "", false},
			relSpec{"dependents", graph.RelDependsOn, graph.Incoming, graph.LabelCapability, "", false},
			relSpec{"requiredBy", graph.RelRequires, graph.Incoming, graph.LabelObjective, "", false},
			relSpec{"governedBy", graph.RelGoverns, graph.Incoming, graph.LabelAgreement, "", false})},
	{typ: "Agreement", label: graph.LabelAgreement,
		props: with(nodeProps, reliability, propSpec{"kind", vEnum, "AgreementKind", false},
			propSpec{"signed", vDate, "", true}, propSpec{"expires", vDate, "", true}),
		rels: rels(relSpec{"parties", graph.RelPartyTo, graph.Incoming, "", "Membership", false},
			relSpec{"governs", graph.RelGoverns, graph.Outgoing, graph.LabelCapability, "", false})},
	{typ: "Threat", label: graph.LabelThreat,
		props: with(nodeProps, propSpec{"kind", vEnum, "ThreatKind", false}),
		rels:  rels(relSpec{"addressedBy", graph.RelAddresses, graph.Incoming, graph.LabelObjective, "", false})},
	{typ: "Stakeholder", props: with(nodeProps, reliability),
		ends: []endSpec{{"nation", "NationWhere", "label", graph.LabelNation}, {"agency", "AgencyWhere", "label", graph.LabelAgency}}},
	{typ: "Pursuit", edge: true, props: with([]propSpec{{"priority", vInt, "", false}}, relProps...),
		ends: []endSpec{{"stakeholder", "StakeholderWhere", "from", ""}, {"objective", "ObjectiveWhere", "to", ""}}},
	{typ: "Provision", edge: true, props: with(validity, with([]propSpec{{"capacity", vFloat, "", true}}, relProps...)...),
		ends: []endSpec{{"provider", "StakeholderWhere", "from", ""}, {"capability", "CapabilityWhere", "to", ""}}},
	{typ: "Membership", edge: true, props: with(validity, with([]propSpec{{"role", vString, "", true}}, relProps...)...),
		ends: []endSpec{{"party", "StakeholderWhere", "from", ""}, {"agreement", "AgreementWhere", "to", ""}}},
	{typ: "Coordination", edge: true, props: with([]propSpec{{"mechanism", vEnum, "Mechanism", true}}, relProps...),
		ends: []endSpec{{"agency", "AgencyWhere", "other", ""}}},
}

// whereByType finds a where input's spec by its GraphQL name (NationWhere).
var whereByType = func() map[string]*whereSpec {
	m := map[string]*whereSpec{}
	for _, s := range whereSpecs {
		m[s.typ+"Where"] = s
	}
	return m
}()

// relWhere is the where input a relationship condition of r takes.
func (r relSpec) whereType() string {
	switch {
	case r.view != "":
		return r.view + "Where"
	case r.far == "":
		return "StakeholderWhere"
	}
	return string(r.far) + "Where"
}

// operators are the operators a property of each kind takes, in schema order.
func (p propSpec) operators() []graph.Op {
	var ops []graph.Op
	switch p.kind {
	case vID, vString:
		ops = []graph.Op{graph.OpEQ, graph.OpIN, graph.OpContains, graph.OpStartsWith, graph.OpEndsWith}
	case vEnum:
		ops = []graph.Op{graph.OpEQ, graph.OpIN}
	case vDate, vFloat, vInt:
		ops = []graph.Op{graph.OpEQ, graph.OpIN, graph.OpLT, graph.OpLTE, graph.OpGT, graph.OpGTE}
	case vTime:
		ops = []graph.Op{graph.OpEQ, graph.OpLT, graph.OpLTE, graph.OpGT, graph.OpGTE}
	case vList:
		ops = []graph.Op{graph.OpIncludes}
	}
	if p.nullable {
		ops = append(ops, graph.OpIsNull)
	}
	return ops
}

// quants are the relationship quantifiers, in schema order.
var quants = []graph.Quant{graph.QuantSome, graph.QuantNone, graph.QuantAll, graph.QuantSingle}

// countOps are the operators on a relationship count (field_COUNT_GT).
var countOps = []graph.Op{graph.OpEQ, graph.OpLT, graph.OpLTE, graph.OpGT, graph.OpGTE}

// Bounds on one where input, so that a condition cannot make a request's work unbounded:
// the number of conditions in it (each operator, AND/OR/NOT member and relationship
// condition counts one), the depth of nested relationship conditions, and a value list.
const (
	maxWhereTerms = 200
	maxWhereDepth = 4
	maxInValues   = 500
	maxWhereText  = 1000
)

// whereConverter turns one where argument into a graph.Cond, counting its terms.
type whereConverter struct {
	terms int
}

// toCond converts the where argument v (a map, as gqlgen passes inputs bound to maps) of
// type typ at path into a condition.
func toCond(typ string, v any, path string) (*graph.Cond, error) {
	if v == nil {
		return nil, nil
	}
	var c whereConverter
	return c.cond(typ, v, path, 0)
}

func (w *whereConverter) cond(typ string, v any, path string, depth int) (*graph.Cond, error) {
	spec := whereByType[typ]
	m, ok := v.(map[string]any)
	if spec == nil || !ok {
		return nil, graph.Errorf(graph.EINVALID, path, "must be an input object")
	}
	c := &graph.Cond{}
	for key, x := range m {
		if x = plain(x); x == nil {
			continue
		}
		at := path + "." + key
		if w.terms++; w.terms > maxWhereTerms {
			return nil, graph.Errorf(graph.ETOOCOMPLEX, path, "a where may hold at most %d conditions", maxWhereTerms)
		}
		switch key {
		case "AND", "OR":
			list := asList(x)
			conds := make([]graph.Cond, 0, len(list))
			for i, e := range list {
				sub, err := w.cond(typ, e, fmt.Sprintf("%s[%d]", at, i), depth)
				if err != nil {
					return nil, err
				}
				if sub != nil {
					conds = append(conds, *sub)
				}
			}
			if key == "AND" {
				c.And = append(c.And, conds...)
			} else {
				c.And = append(c.And, graph.Cond{Or: conds})
			}
			continue
		case "NOT":
			sub, err := w.cond(typ, x, at, depth)
			if err != nil {
				return nil, err
			}
			c.And = append(c.And, graph.Cond{Not: sub})
			continue
		}
		if done, err := w.end(spec, c, key, x, at, depth); done || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if done, err := w.rel(spec, c, key, x, at, depth); done || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		pc, err := propCond(spec, key, x, at)
		if err != nil {
			return nil, err
		}
		c.Props = append(c.Props, *pc)
	}
	return c, nil
}

// end converts a where on an end of a relationship view, or a stakeholder's label.
func (w *whereConverter) end(spec *whereSpec, c *graph.Cond, key string, x any, at string, depth int) (bool, error) {
	for _, e := range spec.ends {
		if e.field != key {
			continue
		}
		sub, err := w.cond(e.where, x, at, depth)
		if err != nil {
			return true, err
		}
		switch e.end {
		case "from":
			c.And = append(c.And, graph.Cond{From: sub})
		case "to":
			c.And = append(c.And, graph.Cond{To: sub})
		case "other":
			c.And = append(c.And, graph.Cond{Other: sub})
		case "label":
			sub.Label = e.label
			c.And = append(c.And, *sub)
		}
		return true, nil
	}
	return false, nil
}

// rel converts a relationship condition: field_SOME…, or field_COUNT_GT….
func (w *whereConverter) rel(spec *whereSpec, c *graph.Cond, key string, x any, at string, depth int) (bool, error) {
	for _, r := range spec.rels {
		rest, ok := strings.CutPrefix(key, r.field+"_")
		if !ok {
			continue
		}
		rc := graph.RelCond{Type: r.rel, Dir: r.dir, Far: r.far, OnNode: r.view == ""}
		if op, ok := strings.CutPrefix(rest, "COUNT_"); ok {
			n, ok := toInt(x)
			if !ok || n < 0 {
				return true, graph.Errorf(graph.EINVALID, at, "must be a non-negative integer")
			}
			rc.Quant, rc.Op, rc.N = graph.QuantCount, graph.Op(op), n
			c.Rels = append(c.Rels, rc)
			return true, nil
		}
		rc.Quant = graph.Quant(rest)
		if depth+1 > maxWhereDepth {
			return true, graph.Errorf(graph.ETOOCOMPLEX, at, "relationship conditions may nest at most %d deep", maxWhereDepth)
		}
		sub, err := w.cond(r.whereType(), x, at, depth+1)
		if err != nil {
			return true, err
		}
		rc.Where = sub
		c.Rels = append(c.Rels, rc)
		return true, nil
	}
	return false, nil
}

// propCond converts one property operator (name_CONTAINS) with its value.
func propCond(spec *whereSpec, key string, x any, at string) (*graph.PropCond, error) {
	for _, p := range spec.props {
		rest, ok := strings.CutPrefix(key, p.field+"_")
		if !ok {
			continue
		}
		op := graph.Op(rest)
		pc := &graph.PropCond{Prop: graph.Prop(p.field), Op: op}
		if op == graph.OpIsNull {
			b, ok := x.(bool)
			if !ok {
				return nil, graph.Errorf(graph.EINVALID, at, "must be true or false")
			}
			pc.Bool = b
			return pc, nil
		}
		values := []any{x}
		if op == graph.OpIN {
			values = asList(x)
			if len(values) > maxInValues {
				return nil, graph.Errorf(graph.EINVALID, at, "may list at most %d values", maxInValues)
			}
		}
		for _, v := range values {
			if err := addValue(pc, p, v, at); err != nil {
				return nil, err
			}
		}
		return pc, nil
	}
	if key == "nameContains" {
		s, ok := x.(string)
		if !ok {
			return nil, graph.Errorf(graph.EINVALID, at, "must be a string")
		}
		return &graph.PropCond{Prop: graph.PropName, Op: graph.OpContainsFold, Strings: []string{s}}, nil
	}
	return nil, graph.Errorf(graph.EINVALID, at, "%s is not a condition of %sWhere", key, spec.typ)
}

// addValue checks one value against the property's type and appends it to pc.
func addValue(pc *graph.PropCond, p propSpec, v any, at string) error {
	switch p.kind {
	case vFloat, vInt:
		f, ok := toFloat(v)
		if !ok || p.kind == vInt && f != math.Trunc(f) {
			return graph.Errorf(graph.EINVALID, at, "must be a number")
		}
		pc.Numbers = append(pc.Numbers, f)
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return graph.Errorf(graph.EINVALID, at, "must be a string")
	}
	if len(s) > maxWhereText {
		return graph.Errorf(graph.EINVALID, at, "may be at most %d bytes", maxWhereText)
	}
	switch p.kind {
	case vDate:
		if _, err := graph.ParseDate(s); err != nil {
			return graph.Errorf(graph.EINVALID, at, "%v", err)
		}
	case vTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return graph.Errorf(graph.EINVALID, at, "%q is not an RFC 3339 time", s)
		}
		s = graph.TimeKey(t)
	}
	pc.Strings = append(pc.Strings, s)
	return nil
}

// plain turns a value as gqlgen unmarshals an input field (pointers to scalars, typed
// lists) into the plain values the converter reads: strings, numbers, bools, []any and
// maps; nil for an absent value.
func plain(v any) any {
	switch x := v.(type) {
	case *string:
		if x != nil {
			return *x
		}
	case *int:
		if x != nil {
			return int64(*x)
		}
	case *float64:
		if x != nil {
			return *x
		}
	case *bool:
		if x != nil {
			return *x
		}
	case *graph.Date:
		if x != nil {
			return string(*x)
		}
	case *time.Time:
		if x != nil {
			return x.Format(time.RFC3339Nano)
		}
	case []string:
		return toAnys(x)
	case []graph.Date:
		return toAnys(x)
	case []float64:
		return toAnys(x)
	case []int:
		return toAnys(x)
	case []map[string]any:
		return toAnys(x)
	case string, int64, int, float64, bool, map[string]any, []any, json.Number:
		return x
	}
	return nil
}

func toAnys[T any](l []T) []any {
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = plain(any(&l[i]))
		if out[i] == nil {
			out[i] = x
		}
	}
	return out
}

// asList is a list input value; GraphQL lets a single value stand for a list of one.
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// toOrder converts an orderBy argument (a list of {field, direction} maps) of a where
// type's object into graph orders, with the order's signature for cursors.
func toOrder(typ string, v []map[string]any) ([]graph.Order, string, error) {
	spec := whereByType[typ+"Where"]
	var out []graph.Order
	var sig []string
	for i, o := range v {
		at := fmt.Sprintf("orderBy[%d]", i)
		f, _ := plain(o["field"]).(string)
		p, ok := orderProp(spec, f)
		if !ok {
			return nil, "", graph.Errorf(graph.EINVALID, at+".field", "%q is not a field %s can be ordered by", f, typ)
		}
		d, _ := plain(o["direction"]).(string)
		if d != "" && d != "ASC" && d != "DESC" {
			return nil, "", graph.Errorf(graph.EINVALID, at+".direction", "direction must be ASC or DESC")
		}
		out = append(out, graph.Order{Prop: p, Desc: d == "DESC"})
		sig = append(sig, string(p)+":"+cmpOr(d, "ASC"))
	}
	if len(out) > 5 {
		return nil, "", graph.Errorf(graph.EINVALID, "orderBy", "at most 5 order keys")
	}
	return out, strings.Join(sig, ","), nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// orderProp finds the property an order field (NAME, VALID_TO) names.
func orderProp(spec *whereSpec, field string) (graph.Prop, bool) {
	for _, p := range spec.props {
		if p.kind != vList && enumName(p.field) == field {
			return graph.Prop(p.field), true
		}
	}
	return "", false
}

// enumName is a field name as an enum value: validTo → VALID_TO.
func enumName(field string) string {
	var b strings.Builder
	for i, r := range field {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// Cursors. Lists in their default order (by id) keep the original cursor, "id:" and the
// id; an ordered list's cursor carries its order's signature and the sort tuple (the keys,
// then the ids that break ties), so that the next page starts after it even when the node
// has changed or gone since.
type orderedCursor struct {
	Order string `json:"o"`
	Key   []any  `json:"k"`
}

func encodeKeyCursor(sig string, key []any, plainID bool) string {
	if plainID {
		return encodeCursor(key[0].(string))
	}
	b, _ := json.Marshal(orderedCursor{Order: sig, Key: key})
	return base64.RawURLEncoding.EncodeToString(append([]byte("k:"), b...))
}

// decodeKeyCursor reads a cursor for a list ordered by sig whose sort tuples have n
// elements; arg names the argument (after, before) in errors.
func decodeKeyCursor(arg string, c *string, sig string, n int, plainID bool) ([]any, error) {
	if c == nil || *c == "" {
		return nil, nil
	}
	if plainID {
		id, err := decodeCursor(*c)
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, arg, "malformed cursor %q: pass a cursor of this list", *c)
		}
		return []any{id}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*c)
	var oc orderedCursor
	if err != nil || len(b) < 2 || string(b[:2]) != "k:" || json.Unmarshal(b[2:], &oc) != nil {
		return nil, graph.Errorf(graph.EINVALID, arg, "malformed cursor %q: pass a cursor of this list", *c)
	}
	if oc.Order != sig || len(oc.Key) != n {
		return nil, graph.Errorf(graph.EINVALID, arg, "the cursor was made for another orderBy; pass a cursor of this list")
	}
	for _, k := range oc.Key {
		switch k.(type) {
		case nil, string, float64:
		default:
			return nil, graph.Errorf(graph.EINVALID, arg, "malformed cursor %q", *c)
		}
	}
	return oc.Key, nil
}

// pageArgs are a list's paging arguments.
type pageArgs struct {
	orderBy       []map[string]any
	first, last   *int
	after, before *string
	all           bool // without first or last: every item, not a default page
}

// toPage checks paging arguments for a list of typ (Nation, Provision) and turns them
// into a snapshot page; ties is the number of ids that end a sort tuple; plainID says
// the list keeps the plain id cursor in its default order. The default page is
// defaultPage items; first and last are 1..maxPage, and not both.
func toPage(typ string, a pageArgs, ties int, plainID bool) (snapshot.Page, string, error) {
	order, sig, err := toOrder(typ, a.orderBy)
	if err != nil {
		return snapshot.Page{}, "", err
	}
	plain := plainID && len(order) == 0
	p := snapshot.Page{OrderBy: order}
	switch {
	case a.first != nil && a.last != nil:
		return p, "", graph.Errorf(graph.EINVALID, "last", "give first or last, not both")
	case a.last != nil:
		if *a.last < 1 || *a.last > maxPage {
			return p, "", graph.Errorf(graph.EINVALID, "last", "last must be between 1 and %d, got %d", maxPage, *a.last)
		}
		p.Last = *a.last
	case a.first != nil:
		if *a.first < 1 || *a.first > maxPage {
			return p, "", graph.Errorf(graph.EINVALID, "first", "first must be between 1 and %d, got %d", maxPage, *a.first)
		}
		p.First = *a.first
	case !a.all:
		p.First = defaultPage
	}
	if p.After, err = decodeKeyCursor("after", a.after, sig, len(order)+ties, plain); err != nil {
		return p, "", err
	}
	if p.Before, err = decodeKeyCursor("before", a.before, sig, len(order)+ties, plain); err != nil {
		return p, "", err
	}
	if plain {
		sig = ""
	}
	return p, sig, nil
}
