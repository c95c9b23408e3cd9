package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

// The benchmarks run on a generated model at the scale of issue 3: about 100k nodes and
// 1M relationships. Run them with -benchtime=1x; the machine is shared.
//
//	go test ./graph/analysis -run '^$' -bench 'AllCutSets' -benchtime 1x

// ftLarge generates the model once per test binary: generating it takes longer than the
// scans it serves.
var ftLarge = sync.OnceValues(func() ([]graph.Node, []graph.Relationship) { return ftGenerateLarge(1) })

// ftGenerateLarge builds a realistic model at the given scale (1: ~100k nodes, ~1M
// relationships): 200 nations, agencies mostly national, capabilities in four tiers that
// depend on the tier below (with a few cycles in the last), several providers per
// capability with a share of single sources, agreements with many parties, and the
// PURSUES, COORDINATES_WITH, ADDRESSES and CONFLICTS_WITH mass that the failure logic
// must skip over.
func ftGenerateLarge(scale int) ([]graph.Node, []graph.Relationship) {
	r := rand.New(rand.NewPCG(42, uint64(scale)))
	var (
		nNations, nAgencies      = 200 * scale, 40000 * scale
		nCaps, nObjectives       = 20000 * scale, 30000 * scale
		nAgreements, nThreats    = 2000 * scale, 7800 * scale
		nodes                    = make([]graph.Node, 0, 100000*scale)
		rels                     = make([]graph.Relationship, 0, 1000000*scale)
		nations, agencies, stake []string
	)
	node := func(l graph.Label, id string) *graph.Node {
		nodes = append(nodes, graph.Node{Label: l, ID: id, Name: id})
		n := &nodes[len(nodes)-1]
		if l.IsStakeholder() || l == graph.LabelAgreement {
			rel := 0.8 + 0.2*r.Float64()
			n.Reliability = &rel
		}
		return n
	}
	rel := func(t graph.RelType, from, to string) *graph.Relationship {
		rels = append(rels, graph.Relationship{Type: t, From: from, To: to})
		return &rels[len(rels)-1]
	}
	for i := range nNations {
		id := "nation:" + strconv.Itoa(i)
		node(graph.LabelNation, id).Code = fmt.Sprintf("%03d", i)
		nations = append(nations, id)
	}
	for i := range nAgencies {
		id := "agency:" + strconv.Itoa(i)
		node(graph.LabelAgency, id)
		agencies = append(agencies, id)
		if r.IntN(50) > 0 {
			rel(graph.RelPartOf, id, nations[r.IntN(nNations)])
		}
	}
	stake = append(append(stake, nations...), agencies...)
	tier := func(i int) int { return i * 4 / nCaps }
	capID := func(i int) string { return "cap:" + strconv.Itoa(i) }
	for i := range nCaps {
		node(graph.LabelCapability, capID(i))
		providers := 2 + r.IntN(12)
		if r.IntN(10) == 0 {
			providers = 1 // single sources make order-1 cut sets
		}
		for range providers {
			p := rel(graph.RelProvides, stake[r.IntN(len(stake))], capID(i))
			if r.IntN(10) == 0 {
				p.ValidTo = "2026-01-01"
			}
		}
		if t := tier(i); t < 3 {
			lo, hi := (t+1)*nCaps/4, (t+2)*nCaps/4
			for range r.IntN(3) {
				rel(graph.RelDependsOn, capID(i), capID(lo+r.IntN(hi-lo)))
			}
		} else if r.IntN(100) == 0 && i+1 < nCaps {
			rel(graph.RelDependsOn, capID(i), capID(i+1))
			rel(graph.RelDependsOn, capID(i+1), capID(i))
		}
	}
	for i := range nAgreements {
		id := "agreement:" + strconv.Itoa(i)
		a := node(graph.LabelAgreement, id)
		a.Signed, a.Expires = "2020-01-01", graph.Date(fmt.Sprintf("20%d-01-01", 26+r.IntN(10)))
		for range 50 {
			rel(graph.RelPartyTo, stake[r.IntN(len(stake))], id)
		}
		for range 20 {
			rel(graph.RelGoverns, id, capID(r.IntN(nCaps)))
		}
	}
	for i := range nObjectives {
		id := "objective:" + strconv.Itoa(i)
		node(graph.LabelObjective, id)
		for range 1 + r.IntN(5) {
			rel(graph.RelRequires, id, capID(r.IntN(nCaps)))
		}
		rel(graph.RelAddresses, id, "threat:"+strconv.Itoa(r.IntN(nThreats)))
		if r.IntN(3) == 0 {
			rel(graph.RelConflictsWith, id, "objective:"+strconv.Itoa(r.IntN(nObjectives)))
		}
	}
	for i := range nThreats {
		node(graph.LabelThreat, "threat:"+strconv.Itoa(i))
	}
	for _, s := range stake {
		for range 12 {
			rel(graph.RelPursues, s, "objective:"+strconv.Itoa(r.IntN(nObjectives))).Priority = 1 + r.IntN(5)
		}
	}
	for range 2 * nAgencies {
		rel(graph.RelCoordinatesWith, agencies[r.IntN(nAgencies)], agencies[r.IntN(nAgencies)]).Mechanism = "LIAISON"
	}
	return nodes, rels
}

func benchmarkAllCutSets(b *testing.B, v View, order int) {
	nodes, rels := ftLarge()
	var sets int
	for b.Loop() {
		// The projection is part of what a request pays, so it is timed too.
		m := NewModel(nodes, rels, "2027-01-01")
		all, err := m.AllCutSets(context.Background(), v, order)
		if err != nil {
			b.Fatal(err)
		}
		sets = 0
		for _, o := range all {
			sets += len(o.CutSets)
		}
	}
	b.ReportMetric(float64(len(nodes)), "nodes")
	b.ReportMetric(float64(len(rels)), "relationships")
	b.ReportMetric(float64(sets), "cutsets")
	b.ReportMetric(ftPeakRSS(), "peakRSS-MiB")
}

// BenchmarkAllCutSetsOrder1 is projection plus the single points of every objective.
func BenchmarkAllCutSetsOrder1(b *testing.B) { benchmarkAllCutSets(b, View{}, 1) }

// BenchmarkAllCutSetsOrder2 is projection plus the double failures of every objective.
func BenchmarkAllCutSetsOrder2(b *testing.B) { benchmarkAllCutSets(b, View{}, 2) }

// BenchmarkAllCutSetsAccessOrder1 is the order-1 scan in one nation's access view.
func BenchmarkAllCutSetsAccessOrder1(b *testing.B) {
	benchmarkAllCutSets(b, View{Stakeholder: "nation:7"}, 1)
}

// BenchmarkResilience is the exact probability and importance of 200 objectives, one BDD
// each, on a projection made once; those whose BDD passes bddMaxNodes are counted.
func BenchmarkResilience(b *testing.B) {
	nodes, rels := ftLarge()
	m := NewModel(nodes, rels, "2027-01-01")
	objectives := m.IDs(graph.LabelObjective)[:200]
	var refused int
	for b.Loop() {
		refused = 0
		for _, o := range objectives {
			if _, err := m.Resilience(context.Background(), o, View{}); graph.ErrorCode(err) == graph.ETOOCOMPLEX {
				refused++
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(refused), "refused")
	b.ReportMetric(ftPeakRSS(), "peakRSS-MiB")
}

// BenchmarkWhatIfAndImpact is one what-if with three nations down and the impact of a
// nation, on a projection made once.
func BenchmarkWhatIfAndImpact(b *testing.B) {
	nodes, rels := ftLarge()
	m := NewModel(nodes, rels, "2027-01-01")
	var lost int
	for b.Loop() {
		w, err := m.WhatIf(context.Background(), []string{"nation:1", "nation:2", "nation:3"}, View{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Impact(context.Background(), "nation:1", View{}); err != nil {
			b.Fatal(err)
		}
		lost = len(w.Objectives)
	}
	b.ReportMetric(float64(lost), "lostObjectives")
}

// ftPeakRSS reads the process's peak resident set size in MiB (Linux; 0 elsewhere).
func ftPeakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
