package resolvers_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// payloads that would do harm if any string reached Cypher as text rather than as a
// parameter, or confuse a parser on the way.
var payloads = map[string]string{
	"close and delete":  `"}) MATCH (n) DETACH DELETE n //`,
	"quote tautology":   `' OR 1=1 //`,
	"single-quote exit": `x' }) WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //`,
	"backtick label":    "`Nation`) DETACH DELETE n //",
	"parameter name":    "$id",
	"regex":             ".*",
	"nul":               "\u0000",
	"long":              strings.Repeat("A", 100000),
	"unicode":           "Ünïcødé 能力 🚀 \u202egnirts",
	"backslashes":       `\\"\u0027\n`,
}

// Every string argument of the API, the payload passed as the variable $s.
var reads = map[string]string{
	"node":                     `query($s: ID!) { node(id: $s) { id } }`,
	"nodes":                    `query($s: ID!) { nodes(ids: [$s, "nation:AAA"]) { id } }`,
	"search":                   `query($s: String!) { search(text: $s) { ... on Node { id } } }`,
	"nations filter":           `query($s: String) { nations(filter: {ids: [$s], nameContains: $s, region: $s}) { totalCount nodes { id } } }`,
	"nations nameContains":     `query($s: String) { nations(filter: {nameContains: $s}) { totalCount } }`,
	"nations region":           `query($s: String) { nations(filter: {region: $s}) { totalCount } }`,
	"agencies nameContains":    `query($s: String) { agencies(filter: {nameContains: $s, ids: [$s]}) { totalCount } }`,
	"objectives nameContains":  `query($s: String) { objectives(filter: {nameContains: $s}) { totalCount } }`,
	"capabilities category":    `query($s: String) { capabilities(filter: {nameContains: $s, category: $s}) { totalCount } }`,
	"agreements nameContains":  `query($s: String) { agreements(filter: {nameContains: $s}) { totalCount } }`,
	"threats nameContains":     `query($s: String) { threats(filter: {nameContains: $s}) { totalCount } }`,
	"cursor":                   `query($s: String) { nations(after: $s) { totalCount } }`,
	"nation id":                `query($s: ID) { nation(id: $s) { id } }`,
	"nation code":              `query($s: String) { nation(code: $s) { id } }`,
	"agency":                   `query($s: ID!) { agency(id: $s) { id } }`,
	"objective":                `query($s: ID!) { objective(id: $s) { id } }`,
	"capability":               `query($s: ID!) { capability(id: $s) { id } }`,
	"agreement":                `query($s: ID!) { agreement(id: $s) { id } }`,
	"threat":                   `query($s: ID!) { threat(id: $s) { id } }`,
	"overlap":                  `query($s: ID!) { overlap(a: $s, b: "nation:AAA") { score } }`,
	"partners":                 `query($s: ID!) { partners(of: $s) { score } }`,
	"gaps objective":           `query($s: ID) { gaps(objective: $s) { kind } }`,
	"gaps stakeholder":         `query($s: ID) { gaps(stakeholder: $s) { kind } }`,
	"cutSets":                  `query($s: ID) { cutSets(objective: $s) { achievable } }`,
	"view stakeholder":         `query($s: ID) { singlePointsOfFailure(view: {stakeholder: $s}) { achievable } }`,
	"hangingOn":                `query($s: ID) { hangingOn(event: $s) { event { id } } }`,
	"resilience":               `query($s: ID!) { resilience(objective: $s) { probability } }`,
	"whatIf":                   `query($s: ID!) { whatIf(down: [$s]) { down { id } } }`,
	"impact":                   `query($s: ID!) { impact(id: $s) { node { id } } }`,
	"asOf":                     `query($s: Date) { brokers(asOf: $s) { bridges { a { id } } } }`,
	"deleteNodes":              `mutation($s: ID!) { deleteNodes(ids: [$s]) { deleted } }`,
	"deleteRelationships":      `mutation($s: ID!) { deleteRelationships(keys: [{type: PURSUES, from: $s, to: "obj:defend"}]) { deleted } }`,
	"upsertRelationships ends": `mutation($s: ID!) { upsertRelationships(input: [{type: PURSUES, from: $s, to: $s, priority: 3}]) { id } }`,
	"import label":             `mutation($s: String!) { importGraph(document: {version: 1, nodes: [{label: $s, id: "t:x", name: "X"}]}) { nodes } }`,
}

// Writes that may store the payload: it must come back verbatim, and deleting it must
// leave the graph as it was.
var writes = map[string]string{
	"upsert node strings":  `mutation($s: ID!) { upsertCapability(input: {id: $s, name: $s, category: $s, description: $s, source: $s}) { id } }`,
	"import strings":       `mutation($s: String!) { importGraph(document: {version: 1, nodes: [{label: "Threat", id: $s, name: $s, kind: "CYBER", description: $s, source: $s}]}) { nodes } }`,
	"relationship strings": `mutation($s: String!) { upsertRelationships(input: [{type: PARTY_TO, from: "nation:AAA", to: "agr:pact", role: $s, source: $s}]) { id } }`,
}

func TestCypherInjectionIsInert(t *testing.T) {
	a := newAPI(t)
	seedSmall(a)
	a.ok(`mutation { upsertRelationships(input: [{type: PURSUES, from: "nation:AAA", to: "obj:defend", priority: 3}]) { id } }`, nil, nil)
	before := a.export()
	probes := 0
	normal := func(t *testing.T, r response) {
		t.Helper()
		for _, e := range r.Errors {
			if c := e.Extensions["code"]; c != graph.EINVALID && c != graph.ENOTFOUND {
				t.Fatalf("answered %v: %s", c, e.Message)
			}
		}
	}
	for pname, p := range payloads {
		vars := map[string]any{"s": p}
		for qname, q := range reads {
			t.Run(qname+"/"+pname, func(t *testing.T) {
				a.t = t
				probes++
				normal(t, a.do(q, vars))
				if a.export() != before {
					t.Fatal("the graph changed")
				}
			})
		}
		for qname, q := range writes {
			t.Run(qname+"/"+pname, func(t *testing.T) {
				a.t = t
				probes++
				r := a.do(q, vars)
				normal(t, r)
				if len(r.Errors) > 0 {
					if a.export() != before {
						t.Fatal("a refused write changed the graph")
					}
					return
				}
				if strings.HasPrefix(qname, "relationship") {
					var out struct {
						Agreement struct {
							Parties []struct{ Role, Source string }
						}
					}
					a.ok(`{ agreement(id: "agr:pact") { parties { role source } } }`, nil, &out)
					if ps := out.Agreement.Parties; len(ps) != 1 || ps[0].Role != p || ps[0].Source != p {
						t.Fatalf("stored %+v, want the payload verbatim", ps)
					}
					a.ok(`mutation { deleteRelationships(keys: [{type: PARTY_TO, from: "nation:AAA", to: "agr:pact"}]) { deleted } }`, nil, nil)
				} else {
					var out struct {
						Node *struct{ ID, Name, Description string }
					}
					a.ok(`query($s: ID!) { node(id: $s) { id name description } }`, vars, &out)
					if out.Node == nil || out.Node.ID != p || out.Node.Name != p || out.Node.Description != p {
						t.Fatalf("read back %s, want the payload verbatim", mustJSON(out.Node))
					}
					a.ok(`mutation($s: ID!) { deleteNodes(ids: [$s]) { deleted } }`, vars, nil)
				}
				if a.export() != before {
					t.Fatal("writing and deleting the payload changed the rest of the graph")
				}
			})
		}
	}
	t.Logf("%d injection probes, graph unchanged", probes)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		b = append(b[:300], "…"...)
	}
	return string(b)
}
