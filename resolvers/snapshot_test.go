package resolvers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/neo4j/neo4jtest"
	"github.com/stakegraph/stakegraph/resolvers"
)

// Two API processes on one Neo4j, each with its own snapshot cache (two drivers, two
// resolvers): a write through one is read by the very next request through the other,
// in lists and in analyses alike.
func TestAWriteThroughOneReplicaIsReadThroughAnother(t *testing.T) {
	s1 := neo4jtest.Open(t)
	cfg, _ := neo4jtest.Config()
	s2, err := neo4j.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close(context.Background())
	one := &api{t: t, h: asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: s1}, resolvers.Options{})), store: s1}
	twoR := &resolvers.Resolver{Store: s2}
	two := &api{t: t, h: asLocal(resolvers.NewHandler(twoR, resolvers.Options{})), store: s2}
	one.load(nested(3))

	const read = `{ nations { totalCount } gapCounts(kinds: [COVERAGE]) { kind count } }`
	type answer struct {
		Nations   struct{ TotalCount int }
		GapCounts []struct{ Count int }
	}
	coverage := func(a answer) int {
		if len(a.GapCounts) == 0 {
			return 0
		}
		return a.GapCounts[0].Count
	}
	var before answer
	two.ok(read, nil, &before) // replica two now holds the snapshot and a model
	if before.Nations.TotalCount != 3 {
		t.Fatalf("replica two sees %d nations, want 3", before.Nations.TotalCount)
	}
	hits := twoR.Snapshots.Stats().ResultHits
	var again answer
	two.ok(read, nil, &again)
	if got := twoR.Snapshots.Stats().ResultHits; got != hits+1 || coverage(again) != coverage(before) {
		t.Fatalf("the same gaps asked again: %d result hits (want %d), answer %+v (want %+v)", got, hits+1, again, before)
	}
	one.ok(`mutation { upsertNation(input: {id: "nation:NEW", name: "New", code: "NEW"}) { id } }`, nil, nil)
	one.ok(`mutation {
	  upsertObjective(input: {id: "obj:new", name: "New", domain: OTHER}) { id }
	  upsertCapability(input: {id: "cap:nobody", name: "Nobody provides this"}) { id }
	  upsertRelationships(input: [{type: REQUIRES, from: "obj:new", to: "cap:nobody"}]) { id }
	}`, nil, nil)

	var after answer
	r := two.ok(read, nil, &after)
	if after.Nations.TotalCount != 4 {
		t.Fatalf("replica two sees %d nations after a write through replica one, want 4", after.Nations.TotalCount)
	}
	if coverage(after) != coverage(before)+1 {
		t.Fatalf("replica two's analysis: %d coverage gaps after the write, want %d", coverage(after), coverage(before)+1)
	}
	if got := r.Extensions["roundTrips"]; got != 3.0 {
		t.Fatalf("the first read after the write cost %v round trips, want 3 (the version and the snapshot's two halves)", got)
	}
}

// One request may analyse a bounded number of distinct dates: 400 aliases of distinct
// dates are refused, not projected 400 times.
func TestDistinctDatesInOneRequestAreBounded(t *testing.T) {
	a := newAPI(t)
	a.load(nested(3))
	var q strings.Builder
	q.WriteString("{")
	for i := range 400 {
		fmt.Fprintf(&q, " b%d: brokers(asOf: %q) { articulationPoints { id } }", i, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"))
	}
	q.WriteString(" }")
	r := a.do(q.String(), nil)
	var tooComplex int
	for _, e := range r.Errors {
		if e.Extensions["code"] == "TOO_COMPLEX" && strings.Contains(e.Message, "distinct asOf dates") {
			tooComplex++
		}
	}
	if tooComplex != 400-8 {
		t.Fatalf("%d aliases refused with TOO_COMPLEX, want %d (all but the first 8 dates); errors: %.300v", tooComplex, 400-8, r.Errors)
	}
}

// A request past its deadline answers TIMEOUT, even while the snapshot it needs is being
// read (here: a deadline too short for any read).
func TestAReadPastItsDeadlineAnswersTimeout(t *testing.T) {
	s := neo4jtest.Open(t)
	a := &api{t: t, h: asLocal(resolvers.NewHandler(&resolvers.Resolver{Store: s}, resolvers.Options{Timeout: time.Nanosecond})), store: s}
	a.load(nested(3))
	r := a.do(`{ nations { totalCount } brokers { articulationPoints { id } } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
		t.Fatalf("errors %+v, want TIMEOUT", r.Errors)
	}
}
