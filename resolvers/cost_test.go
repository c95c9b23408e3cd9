package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"

	"github.com/stakegraph/stakegraph/resolvers/generated"
)

// costSchema is the schema the handler estimates costs with.
func costSchema() fanOutSchema {
	cfg := generated.Config{Resolvers: &Resolver{}, Directives: directives(), Complexity: complexity(defaultListFanOut)}
	return fanOutSchema{generated.NewExecutableSchema(cfg), defaultListFanOut}
}

// fragmentChain is {nations(first:1){nodes{...Fn}}} where F0 selects id and each Fi spreads
// F(i-1) twice: about 40 bytes a link, and 2^n ids once expanded.
func fragmentChain(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ nations(first: 1) { nodes { ...F%d } } }\nfragment F0 on Nation { id }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Nation { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// FragmentChain is fragmentChain for the tests outside the package.
var FragmentChain = fragmentChain

func walk(t *testing.T, es fanOutSchema, query string, vars map[string]any, deadline time.Time) (*costWalker, int) {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), query, nil)
	if errs != nil {
		t.Fatalf("query does not validate: %v\n%s", errs, query)
	}
	w := &costWalker{es: es, schema: es.Schema(), vars: vars, fragments: map[string]int{}, ctx: context.Background(), deadline: deadline}
	return w, w.selectionSet(doc.Operations[0].SelectionSet)
}

// The memoised walk must price every query exactly as gqlgen's complexity.Calculate,
// which the handler used before: only its running time changes.
func TestCostIsGqlgensComplexity(t *testing.T) {
	es := costSchema()
	queries := []struct {
		query string
		vars  map[string]any
	}{
		{`{ nations(first: 10) { nodes { agencies { id } } } }`, nil},
		{`{ nations(first: 200) { nodes { code agencies { name provides { capacity capability { name dependsOn { id } } } } } } }`, nil},
		{`query($n: Int) { nations(first: $n) { totalCount nodes { id } } }`, map[string]any{"n": 37}},
		{`{ a: nations(first: 500) { nodes { id } } b: agencies { nodes { ...A } } }
		  fragment A on Agency { nation { ...N } provides { capability { id } } }
		  fragment N on Nation { agencies { id } region }`, nil},
		{`{ node(id: "nation:000") { ... on Stakeholder { provides { capability { providers { provider { id ... on Agency { kind } } } } } } } }`, nil},
		{`{ search(text: "x", first: 3) { __typename ... on Nation { code } ... on Stakeholder { provides { id } } } }`, nil},
		{`{ whatIf(down: ["nation:000"]) { objectives { node { ... on Objective { pursuedBy { stakeholder { id } } } } } } }`, nil},
		{`{ __schema { types { name } } nations { totalCount } }`, nil},
		{fragmentChain(12), nil},
	}
	for _, q := range queries {
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), q.query, nil)
		if errs != nil {
			t.Fatalf("query does not validate: %v\n%s", errs, q.query)
		}
		want := gqlcomplexity.Calculate(context.Background(), es, doc.Operations[0], q.vars)
		_, got := walk(t, es, q.query, q.vars, time.Now().Add(time.Minute))
		if got != want {
			t.Errorf("cost=%d, want gqlgen's %d for %s", got, want, q.query)
		}
	}
}

// A chain of fragments that each spread the previous one twice is priced at 2^n ids, but
// the walk visits each fragment once, so its work is the size of the document.
func TestFragmentChainIsPricedInLinearTime(t *testing.T) {
	es := costSchema()
	const n = 27
	w, cost := walk(t, es, fragmentChain(n), nil, time.Now().Add(time.Minute))
	// nations: 1 + first × (nodes: 1 + 2^n ids): the same as gqlgen's, at 1 a field.
	if want := 1 + 1*(1+1<<n); cost != want {
		t.Fatalf("cost=%d, want %d", cost, want)
	}
	// Fields in the document: nations, nodes and F0's id.
	if w.steps > 3 {
		t.Fatalf("the walk visited %d fields for a document with 3: fragments were walked again", w.steps)
	}
}

// The walk gives up at the deadline, and the refusal says so.
func TestCostWalkStopsAtTheDeadline(t *testing.T) {
	es := costSchema()
	query := aliasedIDs(2 * costCheckEvery)
	w, _ := walk(t, es, query, nil, time.Now().Add(-time.Second))
	if !w.expired {
		t.Fatalf("the walk of %d fields past its deadline did not stop", w.steps)
	}
	if w.steps > costCheckEvery {
		t.Fatalf("the walk visited %d fields past its deadline, want at most %d", w.steps, costCheckEvery)
	}
	if _, cost := walk(t, es, query, nil, time.Now().Add(time.Minute)); cost != 2*costCheckEvery {
		t.Fatalf("cost=%d before the deadline, want %d", cost, 2*costCheckEvery)
	}
}

func aliasedIDs(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: __typename ", i)
	}
	return b.String() + "}"
}

// countValues against a count of the decoded values: equal, or above by one for each empty
// array or object (an upper bound is what a limit needs).
func TestCountValuesBoundsTheDecodedValues(t *testing.T) {
	var count func(v any) (n, empty int)
	count = func(v any) (int, int) {
		n, empty := 1, 0
		switch v := v.(type) {
		case []any:
			if len(v) == 0 {
				empty++
			}
			for _, x := range v {
				a, b := count(x)
				n, empty = n+a, empty+b
			}
		case map[string]any:
			if len(v) == 0 {
				empty++
			}
			for _, x := range v {
				a, b := count(x)
				n, empty = n+a, empty+b
			}
		}
		return n, empty
	}
	for _, in := range []string{
		`{}`,
		`{"d": [0,0,0]}`,
		`{"a": "x,y[z]{", "b": {"c": [1, [], {}, "\"],[", null, true]}}`,
		`{"s": "\\", "t": "\\\"", "u": [{"v": ",,,"}]}`,
		`{"d": [` + strings.Repeat(`[1, "a,b", {"k": [2, 3]}], `, 50) + `0]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatalf("bad test input %s: %v", in, err)
		}
		want, empty := count(v)
		if got := countValues([]byte(in)); got != want+empty {
			t.Errorf("countValues(%s)=%d, want %d (%d values, %d empty containers)", in, got, want+empty, want, empty)
		}
	}
}
