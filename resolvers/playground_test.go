package resolvers_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/seed"
)

// The playground's operators against the real Neo4j on the demo seed. Each answer is
// checked by a second computation: plain loops over the graph as exportGraph returns it,
// properties read from its JSON.

var listOf = map[string]string{
	"Nation": "nations", "Agency": "agencies", "Objective": "objectives",
	"Capability": "capabilities", "Agreement": "agreements", "Threat": "threats",
}

// exported is the model as the export shows it, read the simple way.
type exported struct {
	nodes map[string]map[string]any
	order []string // node ids, sorted
	rels  []map[string]any
}

func seeded(t *testing.T) (*api, *exported) {
	t.Helper()
	a := newAPI(t)
	demo, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	// The seed has no releasableTo and no membership with an end: give some, so that
	// every operator has values to select (the local viewer sees everything).
	for i := range demo.Nodes {
		if i%9 == 4 {
			demo.Nodes[i].ReleasableTo = []string{"GBR", "FRA"}
		}
	}
	for i := range demo.Relationships {
		if r := &demo.Relationships[i]; r.Type == graph.RelPartyTo && i%5 == 0 {
			r.ValidTo = graph.Date(fmt.Sprintf("20%02d-06-30", 27+i%9))
		}
	}
	a.load(demo)
	var doc struct {
		Nodes         []map[string]any `json:"nodes"`
		Relationships []map[string]any `json:"relationships"`
	}
	if err := json.Unmarshal([]byte(a.export()), &doc); err != nil {
		t.Fatal(err)
	}
	e := &exported{nodes: map[string]map[string]any{}, rels: doc.Relationships}
	for _, n := range doc.Nodes {
		id := n["id"].(string)
		e.nodes[id] = n
		e.order = append(e.order, id)
	}
	sort.Strings(e.order)
	return a, e
}

// holds compares a JSON property value with an operator's value, as the docs define it.
func holds(v any, present bool, op string, want any) bool {
	if op == "IS_NULL" {
		return want.(bool) == !present
	}
	if l, ok := v.([]any); ok || op == "INCLUDES" {
		return slices.Contains(l, want)
	}
	if !present {
		return false
	}
	if op == "IN" {
		return slices.Contains(want.([]any), v)
	}
	c := 0
	switch x := v.(type) {
	case float64:
		w := want.(float64)
		c = map[bool]int{true: -1, false: 0}[x < w] + map[bool]int{true: 1, false: 0}[x > w]
	case string:
		w := want.(string)
		if t1, err := time.Parse(time.RFC3339Nano, x); err == nil && len(x) > 10 {
			t2, _ := time.Parse(time.RFC3339Nano, w)
			c = t1.Compare(t2)
		} else {
			c = strings.Compare(x, w)
		}
		switch op {
		case "CONTAINS":
			return strings.Contains(x, w)
		case "STARTS_WITH":
			return strings.HasPrefix(x, w)
		case "ENDS_WITH":
			return strings.HasSuffix(x, w)
		}
	}
	switch op {
	case "EQ":
		return c == 0
	case "LT":
		return c < 0
	case "LTE":
		return c <= 0
	case "GT":
		return c > 0
	case "GTE":
		return c >= 0
	}
	panic("no operator " + op)
}

// valueFor picks a value for an operator from the model: the property of the middle one of
// the items that have it, cut for the string operators.
func valueFor(items []map[string]any, f resolvers.WhereField) (any, bool) {
	var have []any
	for _, m := range items {
		if v, ok := m[f.Prop]; ok {
			if l, ok := v.([]any); ok {
				if len(l) == 0 {
					continue
				}
				v = l[0]
			}
			have = append(have, v)
		}
	}
	if f.Op == "IS_NULL" {
		return len(have) < len(items), true // asks for whichever kind exists
	}
	if len(have) == 0 {
		return nil, false
	}
	v := have[len(have)/2]
	if s, ok := v.(string); ok && len(s) > 4 {
		switch f.Op {
		case "CONTAINS":
			v = s[1 : len(s)-2]
		case "STARTS_WITH":
			v = s[:3]
		case "ENDS_WITH":
			v = s[len(s)-3:]
		}
	}
	if f.Op == "IN" {
		return []any{v, have[0]}, true
	}
	return v, true
}

// literal writes a value as a GraphQL literal: JSON, with enums bare.
func literal(v any, enum bool) string {
	if _, isBool := v.(bool); enum && !isBool {
		if l, ok := v.([]any); ok {
			var parts []string
			for _, x := range l {
				parts = append(parts, x.(string))
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		return v.(string)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// farOf lists, for node id, the far ends (and relationship objects) of its relationships
// of a traversal.
func (e *exported) farOf(id string, r resolvers.WhereRel) [][2]map[string]any {
	var out [][2]map[string]any
	for _, rel := range e.rels {
		if rel["type"] != string(r.Rel) {
			continue
		}
		var far string
		if rel["from"] == id && (r.Dir == graph.Outgoing || r.Dir == graph.Both) {
			far = rel["to"].(string)
		} else if rel["to"] == id && (r.Dir == graph.Incoming || r.Dir == graph.Both) {
			far = rel["from"].(string)
		} else {
			continue
		}
		if r.Far != "" && e.nodes[far]["label"] != string(r.Far) {
			continue
		}
		out = append(out, [2]map[string]any{e.nodes[far], rel})
	}
	return out
}

func (e *exported) ofType(typ string) []map[string]any {
	var out []map[string]any
	for _, id := range e.order {
		if e.nodes[id]["label"] == typ {
			out = append(out, e.nodes[id])
		}
	}
	return out
}

func idsOf(ms []map[string]any) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m["id"].(string))
	}
	return out
}

// listIDs asks a root list with a where literal and returns its ids and totalCount.
func listIDs(t *testing.T, a *api, typ, where string) ([]string, int) {
	t.Helper()
	var d struct {
		L struct {
			TotalCount int
			Nodes      []struct{ ID string }
		}
	}
	a.ok(fmt.Sprintf(`{ l: %s(where: %s, first: 500) { totalCount nodes { id } } }`, listOf[typ], where), nil, &d)
	out := []string{}
	for _, n := range d.L.Nodes {
		out = append(out, n.ID)
	}
	return out, d.L.TotalCount
}

func TestEveryWhereOperatorOnTheSeed(t *testing.T) {
	a, e := seeded(t)
	checked := 0
	for _, f := range resolvers.WhereFields() {
		if f.Type == "Stakeholder" {
			continue // the same properties as Nation's and Agency's; used through the views' ends below
		}
		t.Run(f.Type+"."+f.Field, func(t *testing.T) {
			var where string
			var want []string
			if !f.Edge {
				items := e.ofType(f.Type)
				v, ok := valueFor(items, f)
				if !ok {
					t.Skipf("no %s has %s in the seed", f.Type, f.Prop)
				}
				where = fmt.Sprintf("{%s: %s}", f.Field, literal(v, f.Kind == "enum"))
				for _, m := range items {
					x, present := m[f.Prop]
					if holds(x, present, f.Op, v) {
						want = append(want, m["id"].(string))
					}
				}
			} else {
				// A relationship's property, through a node type that reaches it.
				var r resolvers.WhereRel
				var v any
				ok := false
				for _, x := range resolvers.WhereRels() {
					if x.View != f.Type {
						continue
					}
					var rels []map[string]any
					for _, m := range e.ofType(x.Type) {
						for _, fr := range e.farOf(m["id"].(string), x) {
							rels = append(rels, fr[1])
						}
					}
					if v, ok = valueFor(rels, f); ok {
						r = x
						break
					}
				}
				if !ok {
					t.Skipf("no %s has %s in the seed", f.Type, f.Prop)
				}
				where = fmt.Sprintf("{%s_SOME: {%s: %s}}", r.Field, f.Field, literal(v, f.Kind == "enum"))
				f.Type = r.Type
				for _, m := range e.ofType(r.Type) {
					for _, fr := range e.farOf(m["id"].(string), r) {
						x, present := fr[1][f.Prop]
						if holds(x, present, f.Op, v) {
							want = append(want, m["id"].(string))
							break
						}
					}
				}
			}
			got, total := listIDs(t, a, f.Type, where)
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) || total != len(want) {
				t.Fatalf("where %s: got %v (totalCount %d), want %v", where, got, total, want)
			}
			checked++
		})
	}
	if checked < 380 {
		t.Fatalf("only %d operators were checked on the seed", checked)
	}
}

func TestEveryRelationshipConditionOnTheSeed(t *testing.T) {
	a, e := seeded(t)
	// The inner condition splits the related items in two, so that every quantifier has
	// both outcomes to tell apart.
	inner := func(r resolvers.WhereRel) (string, func(far, rel map[string]any) bool) {
		switch r.View {
		case "":
			return `{name_CONTAINS: "a"}`, func(far, _ map[string]any) bool { return strings.Contains(far["name"].(string), "a") }
		case "Coordination":
			return `{agency: {name_CONTAINS: "a"}}`, func(far, _ map[string]any) bool { return strings.Contains(far["name"].(string), "a") }
		}
		end := map[string]string{"Pursuit": "stakeholder", "Provision": "provider", "Membership": "party"}[r.View]
		return fmt.Sprintf(`{%s: {id_STARTS_WITH: "nation:"}}`, end),
			func(_, rel map[string]any) bool { return strings.HasPrefix(rel["from"].(string), "nation:") }
	}
	for _, r := range resolvers.WhereRels() {
		cond, match := inner(r)
		for _, q := range []string{"SOME", "NONE", "ALL", "SINGLE", "COUNT_GT", "COUNT_EQ"} {
			t.Run(r.Type+"."+r.Field+"_"+q, func(t *testing.T) {
				where := fmt.Sprintf("{%s_%s: %s}", r.Field, q, cond)
				if strings.HasPrefix(q, "COUNT") {
					where = fmt.Sprintf("{%s_%s: 1}", r.Field, q)
				}
				want := []string{}
				for _, m := range e.ofType(r.Type) {
					total, hits := 0, 0
					for _, fr := range e.farOf(m["id"].(string), r) {
						total++
						if match(fr[0], fr[1]) {
							hits++
						}
					}
					ok := map[string]bool{"SOME": hits > 0, "NONE": hits == 0, "ALL": hits == total,
						"SINGLE": hits == 1, "COUNT_GT": total > 1, "COUNT_EQ": total == 1}[q]
					if ok {
						want = append(want, m["id"].(string))
					}
				}
				got, _ := listIDs(t, a, r.Type, where)
				if !slices.Equal(got, want) {
					t.Fatalf("where %s: got %v, want %v", where, got, want)
				}
			})
		}
	}
}

func TestOrderPagesAndAggregatesOnTheSeed(t *testing.T) {
	a, e := seeded(t)
	agreements := e.ofType("Agreement")

	t.Run("orderBy expires DESC then name, paged forward and back", func(t *testing.T) {
		want := slices.Clone(agreements)
		sort.SliceStable(want, func(i, j int) bool {
			x, xok := want[i]["expires"].(string)
			y, yok := want[j]["expires"].(string)
			if xok != yok {
				return !xok // absent first, descending
			}
			if x != y {
				return x > y
			}
			return want[i]["name"].(string) < want[j]["name"].(string)
		})
		const q = `query($after: String, $before: String, $first: Int, $last: Int) { agreements(orderBy: [{field: EXPIRES, direction: DESC}, {field: NAME}], first: $first, after: $after, last: $last, before: $before) {
			nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`
		type page struct {
			Agreements struct {
				Nodes    []struct{ ID string }
				PageInfo struct {
					HasNextPage, HasPreviousPage bool
					StartCursor, EndCursor       *string
				}
			}
		}
		var fwd []string
		vars := map[string]any{"first": 4}
		for range 100 {
			var p page
			a.ok(q, vars, &p)
			for _, n := range p.Agreements.Nodes {
				fwd = append(fwd, n.ID)
			}
			if !p.Agreements.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *p.Agreements.PageInfo.EndCursor
		}
		var bwd []string
		vars = map[string]any{"last": 3}
		for range 100 {
			var p page
			a.ok(q, vars, &p)
			var ids []string
			for _, n := range p.Agreements.Nodes {
				ids = append(ids, n.ID)
			}
			bwd = append(ids, bwd...)
			if !p.Agreements.PageInfo.HasPreviousPage {
				break
			}
			vars["before"] = *p.Agreements.PageInfo.StartCursor
		}
		if w := idsOf(want); !slices.Equal(fwd, w) || !slices.Equal(bwd, w) {
			t.Fatalf("forward %v\nbackward %v\nwant %v", fwd, bwd, w)
		}
	})

	t.Run("earliest expiry of the treaties and alliances", func(t *testing.T) {
		var d struct {
			Agreements struct {
				TotalCount int
				Aggregate  struct {
					Count   int
					Expires struct {
						Count    int
						Min, Max *string
					}
				}
			}
		}
		a.ok(`{ agreements(where: {kind_IN: [TREATY, ALLIANCE]}, first: 1) { totalCount aggregate { count expires { count min max } } } }`, nil, &d)
		n, with, lo, hi := 0, 0, "", ""
		for _, m := range agreements {
			if m["kind"] != "TREATY" && m["kind"] != "ALLIANCE" {
				continue
			}
			n++
			if x, ok := m["expires"].(string); ok {
				with++
				if lo == "" || x < lo {
					lo = x
				}
				if x > hi {
					hi = x
				}
			}
		}
		got := d.Agreements
		if got.TotalCount != n || got.Aggregate.Count != n || got.Aggregate.Expires.Count != with {
			t.Fatalf("counts %+v, want %d matches, %d with an expiry", got, n, with)
		}
		if with > 0 && (got.Aggregate.Expires.Min == nil || *got.Aggregate.Expires.Min != lo || *got.Aggregate.Expires.Max != hi) {
			t.Fatalf("expires %+v, want %s..%s", got.Aggregate.Expires, lo, hi)
		}
	})

	t.Run("a traversal connection pages both ways with its cursors", func(t *testing.T) {
		const q = `query($after: String, $before: String, $first: Int, $last: Int) { capability(id: "cap:stratcom") {
			providersConnection(orderBy: [{field: VALID_TO, direction: DESC}], first: $first, after: $after, last: $last, before: $before) {
				totalCount edges { cursor node { provider { id } validTo } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`
		type page struct {
			Capability struct {
				ProvidersConnection struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Provider struct{ ID string }
							ValidTo  *string
						}
					}
					PageInfo struct {
						HasNextPage, HasPreviousPage bool
						StartCursor, EndCursor       *string
					}
				}
			}
		}
		// The same order computed here: validTo descending, absent first, then provider id.
		type prov struct{ id, validTo string }
		var want []prov
		for _, rel := range e.rels {
			if rel["type"] == "PROVIDES" && rel["to"] == "cap:stratcom" {
				v, _ := rel["validTo"].(string)
				want = append(want, prov{rel["from"].(string), v})
			}
		}
		sort.Slice(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if (a.validTo == "") != (b.validTo == "") {
				return a.validTo == ""
			}
			if a.validTo != b.validTo {
				return a.validTo > b.validTo
			}
			return a.id < b.id
		})
		var wantIDs []string
		for _, p := range want {
			wantIDs = append(wantIDs, p.id)
		}
		walk := func(vars map[string]any, forward bool) []string {
			var out []string
			for range 50 {
				var p page
				a.ok(q, vars, &p)
				c := p.Capability.ProvidersConnection
				if c.TotalCount != len(want) {
					t.Fatalf("totalCount %d, want %d", c.TotalCount, len(want))
				}
				var ids []string
				for _, e := range c.Edges {
					ids = append(ids, e.Node.Provider.ID)
				}
				if forward {
					out = append(out, ids...)
					if !c.PageInfo.HasNextPage {
						return out
					}
					vars["after"] = *c.PageInfo.EndCursor
				} else {
					out = append(ids, out...)
					if !c.PageInfo.HasPreviousPage {
						return out
					}
					vars["before"] = *c.PageInfo.StartCursor
				}
			}
			t.Fatal("paging does not end")
			return nil
		}
		if len(want) < 4 {
			t.Fatalf("cap:stratcom has %d providers in the seed; the test wants several pages", len(want))
		}
		if got := walk(map[string]any{"first": 2}, true); !slices.Equal(got, wantIDs) {
			t.Fatalf("forward %v, want %v", got, wantIDs)
		}
		if got := walk(map[string]any{"last": 3}, false); !slices.Equal(got, wantIDs) {
			t.Fatalf("backward %v, want %v", got, wantIDs)
		}
	})

	t.Run("traversals take where, orderBy and first, and count", func(t *testing.T) {
		var d struct {
			Capabilities struct {
				Nodes []struct {
					ID                  string
					Providers           []struct{ Provider struct{ ID string } }
					First               []struct{ Provider struct{ ID string } }
					ProvidersConnection struct {
						TotalCount int
						Aggregate  struct{ Capacity struct{ Count int } }
					}
				}
			}
		}
		a.ok(`{ capabilities(first: 500) { nodes { id
			providers { provider { id } }
			first: providers(where: {provider: {nation: {}}}, orderBy: [{field: VALID_TO, direction: DESC}], first: 1) { provider { id } }
			providersConnection(where: {provider: {nation: {}}}) { totalCount aggregate { capacity { count } } } } } }`, nil, &d)
		checked := 0
		for _, c := range d.Capabilities.Nodes {
			var nations []string
			for _, rel := range e.rels {
				if rel["type"] == "PROVIDES" && rel["to"] == c.ID && strings.HasPrefix(rel["from"].(string), "nation:") {
					nations = append(nations, rel["from"].(string))
				}
			}
			if c.ProvidersConnection.TotalCount != len(nations) || len(c.First) != min(1, len(nations)) {
				t.Fatalf("%s: %d nation providers, first %v, want %d", c.ID, c.ProvidersConnection.TotalCount, c.First, len(nations))
			}
			var all []string
			for _, p := range c.Providers {
				all = append(all, p.Provider.ID)
			}
			for _, n := range nations {
				if !slices.Contains(all, n) {
					t.Fatalf("%s: the unfiltered providers miss %s", c.ID, n)
				}
			}
			checked += len(nations)
		}
		if checked == 0 {
			t.Fatal("no capability has a nation provider in the seed: the test checks nothing")
		}
	})
}

// Odd input through every string operator reaches only Go comparisons: it selects what a
// plain comparison selects (here nothing) and changes nothing; bad values get a clear
// error naming the field.
func TestPlaygroundInputIsInertAndErrorsAreClear(t *testing.T) {
	a, _ := seeded(t)
	probes := []string{
		`' OR 1=1 //`, `"}) MATCH (n) DETACH DELETE n //`, "`x` RETURN 1 UNION MATCH (n) RETURN n",
		`\u0000`, `$where`, `%`, `.*`, `é𝄞`,
	}
	before := a.export()
	n := 0
	for _, f := range resolvers.WhereFields() {
		if f.Kind != "string" && f.Kind != "id" || f.Op == "IS_NULL" || f.Type == "Stakeholder" {
			continue
		}
		for _, p := range probes {
			v := any(p)
			if f.Op == "IN" {
				v = []any{p}
			}
			where := fmt.Sprintf("{%s: $v}", f.Field)
			typ := listOf[f.Type]
			if f.Edge {
				continue // the edge views' strings: below, through one traversal each
			}
			var d struct{ L struct{ TotalCount int } }
			a.ok(fmt.Sprintf(`query($v: %s) { l: %s(where: %s) { totalCount } }`, gqlType(f), typ, where), map[string]any{"v": v}, &d)
			if d.L.TotalCount != 0 {
				t.Fatalf("%s %s %q selected %d nodes", f.Type, f.Field, p, d.L.TotalCount)
			}
			n++
		}
	}
	// The relationship views' strings, through the first traversal that shows each view.
	for _, f := range resolvers.WhereFields() {
		if !f.Edge || f.Kind != "string" || f.Op == "IS_NULL" {
			continue
		}
		var r resolvers.WhereRel
		for _, x := range resolvers.WhereRels() {
			if x.View == f.Type {
				r = x
				break
			}
		}
		for _, p := range probes {
			v := any(p)
			if f.Op == "IN" {
				v = []any{p}
			}
			var d struct{ L struct{ TotalCount int } }
			a.ok(fmt.Sprintf(`query($v: %s) { l: %s(where: {%s_SOME: {%s: $v}}) { totalCount } }`, gqlType(f), listOf[r.Type], r.Field, f.Field), map[string]any{"v": v}, &d)
			if d.L.TotalCount != 0 {
				t.Fatalf("%s.%s %s %q selected %d", r.Type, r.Field, f.Field, p, d.L.TotalCount)
			}
			n++
		}
	}
	if a.export() != before {
		t.Fatal("a query changed the graph")
	}
	if n < 300 {
		t.Fatalf("only %d probes ran", n)
	}
	for _, c := range []struct{ query, code, field string }{
		{`{ agreements(where: {expires_LT: "2028-13-01"}) { totalCount } }`, "BAD_USER_INPUT", "where.expires_LT"},
		{`{ nations(where: {updatedAt_GT: "yesterday"}) { totalCount } }`, "BAD_USER_INPUT", "where.updatedAt_GT"},
		{`{ nations(where: {name_CONTAINS: "` + strings.Repeat("x", 1001) + `"}) { totalCount } }`, "BAD_USER_INPUT", "where.name_CONTAINS"},
		{`{ nations(where: {AND: [{agencies_SOME: {partyTo_SOME: {agreement: {parties_SOME: {party: {nation: {agencies_SOME: {coordinatesWith_SOME: {}}}}}}}}}]}) { totalCount } }`, "TOO_COMPLEX", "where"},
		{`{ nations(first: 2, last: 2) { totalCount } }`, "BAD_USER_INPUT", "last"},
		{`{ nations(last: 0) { totalCount } }`, "BAD_USER_INPUT", "last"},
		{`{ nations(orderBy: [{field: NAME}], after: "aWQ6bmF0aW9uOlVTQQ") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{`{ nations(orderBy: [{field: NAME}], before: "not a cursor") { totalCount } }`, "BAD_USER_INPUT", "before"},
	} {
		t.Run(c.field+" "+c.code, func(t *testing.T) {
			a := *a
			a.t = t
			a.fails(c.query, nil, c.code, c.field)
		})
	}
	// A cursor made for one order is refused by another.
	var d struct {
		Nations struct{ PageInfo struct{ EndCursor string } }
	}
	a.ok(`{ nations(orderBy: [{field: NAME}], first: 1) { pageInfo { endCursor } } }`, nil, &d)
	a.fails(`query($c: String) { nations(orderBy: [{field: CODE}], after: $c) { totalCount } }`, map[string]any{"c": d.Nations.PageInfo.EndCursor}, "BAD_USER_INPUT", "after")
}

func gqlType(f resolvers.WhereField) string {
	t := "String"
	if f.Kind == "id" {
		t = "ID"
	}
	if f.Op == "IN" {
		return "[" + t + "!]"
	}
	return t
}

// The cost estimate knows about where and about first on traversals: a relationship
// condition costs fan-out times its own condition, and a traversal asked with first is
// counted by it.
func TestComplexityKnowsFiltersAndTraversalFirst(t *testing.T) {
	a := newAPI(t)
	a.load(nested(3))
	a.h = asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: a.store}, resolvers.Options{MaxComplexity: 50}))
	for _, c := range []struct {
		name, query string
		refused     bool
	}{
		// 1 + 10×(nodes 1 + agencies (1 + 5×id)) = 71 with the fan-out of 5.
		{"traversal without first", `{ nations(first: 10) { nodes { agencies { id } } } }`, true},
		// 1 + 10×(1 + (1 + 1×1)) = 31.
		{"traversal with first: 1", `{ nations(first: 10) { nodes { agencies(first: 1) { id } } } }`, false},
		{"connection traversal with first: 20", `{ nations(first: 10) { nodes { agenciesConnection(first: 20) { nodes { id } } } } }`, true},
		{"connection traversal with last: 1", `{ nations(first: 10) { nodes { agenciesConnection(last: 1) { totalCount } } } }`, false},
		// 11 for the page; agencies_SOME 5×(1 + provides_SOME 5×1) = 30: 41.
		{"two nested relationship conditions", `{ nations(first: 5, where: {agencies_SOME: {provides_SOME: {}}}) { nodes { id } } }`, false},
		// One level more: agencies_SOME 5×(1 + 5×(1 + 5)) = 155.
		{"three nested relationship conditions", `{ nations(first: 5, where: {agencies_SOME: {provides_SOME: {capability: {requiredBy_SOME: {}}}}}) { nodes { id } } }`, true},
		{"the same nesting inside a traversal", `{ nations(first: 2) { nodes { agencies(first: 1, where: {provides_SOME: {capability: {requiredBy_SOME: {pursuedBy_SOME: {}}}}}) { id } } } }`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := a.do(c.query, nil)
			refused := len(r.Errors) > 0 && r.Errors[0].Extensions["code"] == resolvers.CodeComplexity
			if refused != c.refused {
				t.Fatalf("refused=%v, want %v: %+v", refused, c.refused, r.Errors)
			}
			if !refused && len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
		})
	}
}

// A filtered, ordered, aggregated query costs the round trips of any read: the version,
// and nothing more once the snapshot is cached — conditions never reach Neo4j.
func TestFiltersCostNoRoundTrips(t *testing.T) {
	a, _ := seeded(t)
	a.ok(`{ nations(first: 1) { totalCount } }`, nil, nil) // caches the snapshot
	r := a.ok(`{ capabilities(where: {requiredBy_SOME: {domain_EQ: MARITIME}, providers_ALL: {provider: {agency: {nation_SOME: {region_EQ: "Europe"}}}}}, orderBy: [{field: NAME, direction: DESC}], last: 5) {
		totalCount aggregate { confidence { max } } nodes { providersConnection(where: {validTo_IS_NULL: true}) { totalCount } requiredBy(first: 2, orderBy: [{field: NAME}]) { id } } } }`, nil, nil)
	base := a.ok(`{ nations(first: 1) { totalCount } }`, nil, nil)
	if got, want := r.Extensions["roundTrips"], base.Extensions["roundTrips"]; got != want || got == nil {
		t.Fatalf("roundTrips=%v for a filtered query, %v for a plain one", got, want)
	}
}
