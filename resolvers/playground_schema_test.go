package resolvers

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite schema/playground.graphqls from the tables in where.go")

// TestPlaygroundSchemaIsGenerated keeps schema/playground.graphqls equal to what the
// tables of where.go describe, so that the inputs the API offers are exactly those the
// converter reads. After changing the tables: go test ./resolvers -run
// TestPlaygroundSchemaIsGenerated -update-schema && go generate ./...
func TestPlaygroundSchemaIsGenerated(t *testing.T) {
	const path = "../schema/playground.graphqls"
	want := playgroundSchema()
	if *updateSchema {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is not what where.go's tables generate: run this test with -update-schema, then go generate ./...", path)
	}
}

var opText = map[graph.Op]string{
	graph.OpEQ: "equals", graph.OpIN: "is one of", graph.OpContains: "contains (case-sensitive)",
	graph.OpStartsWith: "starts with (case-sensitive)", graph.OpEndsWith: "ends with (case-sensitive)",
	graph.OpLT: "is less than (earlier than, for dates and times)", graph.OpLTE: "is at most",
	graph.OpGT: "is greater than (later than, for dates and times)", graph.OpGTE: "is at least",
	graph.OpIncludes: "includes the nation code", graph.OpIsNull: "is absent (true) or present (false)",
}

var quantText = map[graph.Quant]string{
	graph.QuantSome: "at least one of", graph.QuantNone: "none of", graph.QuantAll: "every one of (true when there are none)",
	graph.QuantSingle: "exactly one of",
}

// aggregated are the properties the …Aggregate types summarise (snapshot.Aggregate's
// methods).
var aggregated = map[string]string{
	"confidence": "NumberAggregate", "reliability": "NumberAggregate", "capacity": "NumberAggregate",
	"priority": "NumberAggregate", "signed": "DateAggregate", "expires": "DateAggregate",
	"validFrom": "DateAggregate", "validTo": "DateAggregate",
}

func scalarType(p propSpec) string {
	switch p.kind {
	case vID:
		return "ID"
	case vEnum:
		return p.enum
	case vDate:
		return "Date"
	case vTime:
		return "String" // RFC 3339, checked by the converter so that a bad one is named clearly
	case vFloat:
		return "Float"
	case vInt:
		return "Int"
	}
	return "String"
}

func playgroundSchema() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Generated from the tables of resolvers/where.go by TestPlaygroundSchemaIsGenerated")
	w("# (go test ./resolvers -run TestPlaygroundSchemaIsGenerated -update-schema); do not edit.")
	w("# The playground: where, orderBy and aggregates on every list and traversal (docs/playground.md).")
	w("")
	w(`"Sort direction. Absent values sort last ascending and first descending; ties are broken by id, ascending."`)
	w("enum SortDirection {\n  \"Smallest, earliest or alphabetically first value first.\"\n  ASC\n  \"Largest, latest or alphabetically last value first.\"\n  DESC\n}")
	w("")
	w(`"A date property summarised over every item of a list (not only the page)."`)
	w("type DateAggregate {\n  \"Items that have a value.\"\n  count: Int!\n  \"The earliest value; null when no item has one.\"\n  min: Date\n  \"The latest value; null when no item has one.\"\n  max: Date\n}")
	w("")
	w(`"A number property summarised over every item of a list (not only the page)."`)
	w("type NumberAggregate {\n  \"Items that have a value.\"\n  count: Int!\n  \"The least value; null when no item has one.\"\n  min: Float\n  \"The greatest value; null when no item has one.\"\n  max: Float\n  \"The sum of the values; null when no item has one.\"\n  sum: Float\n  \"The mean of the values; null when no item has one.\"\n  average: Float\n}")
	for _, s := range whereSpecs {
		name := s.typ + "Where"
		w("")
		what := "nodes of type " + s.typ
		if s.edge {
			what = s.typ + " relationships, seen from the node they were reached from"
		}
		w(`"Conditions on %s; every condition given must hold. Evaluated in memory: nothing of it reaches Cypher."`, what)
		w("input %s {", name)
		w("  \"Every one of these holds.\"\n  AND: [%s!]", name)
		w("  \"At least one of these holds.\"\n  OR: [%s!]", name)
		w("  \"This does not hold.\"\n  NOT: %s", name)
		for _, p := range s.props {
			for _, op := range p.operators() {
				typ := scalarType(p)
				switch {
				case op == graph.OpIN:
					typ = "[" + typ + "!]"
				case op == graph.OpIsNull:
					typ = "Boolean"
				case p.kind == vList:
					typ = "String"
				}
				value := "the value"
				if op == graph.OpIN {
					value = "the values"
				}
				if p.kind == vTime && op != graph.OpIsNull {
					value += " (an RFC 3339 time)"
				}
				w("  \"%s %s %s.\"\n  %s_%s: %s", p.field, opText[op], value, p.field, op, typ)
			}
		}
		if !s.edge {
			w("  \"name contains the text, case-insensitive (as the lists' filter.nameContains).\"\n  nameContains: String")
		}
		for _, r := range s.rels {
			rw := r.whereType()
			for _, q := range quants {
				w("  \"%s the %s (that the viewer may see) match.\"\n  %s_%s: %s", capitalize(quantText[q]), r.field, r.field, q, rw)
			}
			for _, op := range countOps {
				w("  \"The number of %s (that the viewer may see) %s the value.\"\n  %s_COUNT_%s: Int", r.field, opText[op], r.field, op)
			}
		}
		for _, e := range s.ends {
			switch e.end {
			case "label":
				w("  \"The stakeholder is a %s and matches this.\"\n  %s: %s", e.label, e.field, e.where)
			case "other":
				w("  \"The %s at the other end matches this.\"\n  %s: %s", e.field, e.field, e.where)
			default:
				w("  \"The relationship's %s matches this.\"\n  %s: %s", e.field, e.field, e.where)
			}
		}
		w("}")
		if s.typ == "Stakeholder" {
			continue
		}
		w("")
		w(`"A property %s lists can be ordered by."`, s.typ)
		w("enum %sOrderField {", s.typ)
		for _, p := range s.props {
			if p.kind != vList {
				w("  \"Order by %s.\"\n  %s", p.field, enumName(p.field))
			}
		}
		w("}")
		w("")
		w(`"One key of an order of %s items."`, s.typ)
		w("input %sOrderBy {\n  \"The property.\"\n  field: %sOrderField!\n  \"The direction, ascending unless given.\"\n  direction: SortDirection = ASC\n}", s.typ, s.typ)
		w("")
		w(`"%s items summarised: every item of the list that matches, not only the page."`, s.typ)
		w("type %sAggregate {\n  \"The number of items.\"\n  count: Int!", s.typ)
		for _, p := range s.props {
			if a, ok := aggregated[p.field]; ok {
				w("  \"%s over the items.\"\n  %s: %s!", p.field, p.field, a)
			}
		}
		w("}")
		if s.edge {
			w("")
			w(`"A page of %s relationships."`, s.typ)
			w("type %sConnection {\n  \"The page's items with their cursors.\"\n  edges: [%sEdge!]!\n  \"The page's items.\"\n  nodes: [%s!]!\n  \"Where the page lies in the whole list.\"\n  pageInfo: PageInfo!\n  \"Every match, not only the page.\"\n  totalCount: Int!\n  \"Counts and bounds over every match.\"\n  aggregate: %sAggregate!\n}", s.typ, s.typ, s.typ, s.typ)
			w("")
			w(`"One %s with its cursor."`, s.typ)
			w("type %sEdge {\n  \"Pass as after or before to page from here.\"\n  cursor: String!\n  \"The relationship.\"\n  node: %s!\n}", s.typ, s.typ)
			continue
		}
		w("")
		w("extend type %sConnection {\n  \"Counts and bounds over every match, not only the page.\"\n  aggregate: %sAggregate!\n}", s.typ, s.typ)
		if len(s.rels) == 0 {
			continue
		}
		w("")
		w("extend type %s {", s.typ)
		for _, r := range s.rels {
			if r.one {
				continue
			}
			item := string(r.far)
			if r.view != "" {
				item = r.view
			}
			w("  \"%s as a connection: filtered, ordered and paged with cursors, with totalCount and aggregates.\"", r.field)
			w("  %sConnection(\n    \"Only the items that match.\"\n    where: %s\n    \"The order; by the far node's id when absent.\"\n    orderBy: [%sOrderBy!]\n    \"Page size from the start (1..500, default 50).\"\n    first: Int\n    \"Start after this cursor.\"\n    after: String\n    \"Page size from the end (1..500).\"\n    last: Int\n    \"End before this cursor.\"\n    before: String\n  ): %sConnection!", r.field, r.whereType(), item, item)
		}
		w("}")
	}
	return b.String()
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
