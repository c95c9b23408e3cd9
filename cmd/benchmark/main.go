// Command benchmark measures the analyses on the model stored in Neo4j (NEO4J_* env):
// projection, cut-set scans, brokers, what-if and peak memory. It writes the coordination
// network as an edge list so scripts/bench.sh can time networkx on the same graph.
// scripts/bench.sh runs it; docs/benchmarks.md holds the figures.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/internal/gctune"
)

func main() {
	edges := flag.String("edges", "", "write the coordination network's edges to this file")
	asOf := flag.String("asof", string(graph.Today()), "analysis date")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	maxOrder := flag.Int("max-order", 2, "scan cut sets of every objective up to this order (1..3)")
	neo4jPID := flag.Int("neo4j-pid", 0, "also report the CPU time this process (the Neo4j server) spends on each step")
	flag.Parse()
	gctune.Apply() // measure the collector settings the server runs with
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*edges, graph.Date(*asOf), *maxOrder, *neo4jPID); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

// figure is one measured line of the report: wall time, and CPU time of this process and
// (with -neo4j-pid) of Neo4j, since on a shared machine wall time measures the load too.
type figure struct {
	Name       string   `json:"name"`
	Seconds    float64  `json:"seconds"`
	CPUSeconds float64  `json:"cpuSeconds"`
	Neo4jCPU   *float64 `json:"neo4jCPUSeconds,omitempty"`
	Note       string   `json:"note,omitempty"`
}

func run(edgesFile string, asOf graph.Date, maxOrder, neo4jPID int) error {
	ctx := context.Background()
	s, err := neo4j.Open(neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	var figs []figure
	timed := func(name string, f func() (string, error)) error {
		runtime.GC()
		start, cpu, n4j := time.Now(), cpuSeconds(), neo4jCPUSeconds(neo4jPID)
		note, err := f()
		fig := figure{Name: name, Seconds: time.Since(start).Seconds(), CPUSeconds: cpuSeconds() - cpu, Note: note}
		if neo4jPID != 0 {
			d := neo4jCPUSeconds(neo4jPID) - n4j
			fig.Neo4jCPU = &d
		}
		figs = append(figs, fig)
		return err
	}

	var doc *graph.Document
	if err := timed("read the graph from Neo4j", func() (string, error) {
		var err error
		doc, err = s.Snapshot(ctx)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d nodes, %d relationships", len(doc.Nodes), len(doc.Relationships)), nil
	}); err != nil {
		return err
	}
	var m *analysis.Model
	_ = timed("build the projection", func() (string, error) {
		m = analysis.NewModel(doc.Nodes, doc.Relationships, asOf)
		return fmt.Sprintf("asOf %s, %d relationships count", asOf, len(m.Relationships)), nil
	})
	for order := 1; order <= maxOrder; order++ {
		if err := timed(fmt.Sprintf("order-%d cut sets of every objective", order), func() (string, error) {
			all, err := m.AllCutSets(ctx, analysis.View{}, order)
			sets := 0
			for _, o := range all {
				sets += len(o.CutSets)
			}
			return fmt.Sprintf("%d objectives, %d minimal cut sets", len(all), sets), err
		}); err != nil {
			return err
		}
	}
	var b analysis.Brokers
	_ = timed("brokers (articulation points and bridges)", func() (string, error) {
		b = m.Brokers()
		return fmt.Sprintf("%d articulation points, %d bridges", len(b.ArticulationPoints), len(b.Bridges)), nil
	})
	nations := m.IDs(graph.LabelNation)
	down := nations[:min(3, len(nations))]
	if err := timed("what-if, three nations down", func() (string, error) {
		w, err := m.WhatIf(ctx, down, analysis.View{})
		return fmt.Sprintf("%s down: %d objectives, %d capabilities lost", strings.Join(down, ", "), len(w.Objectives), len(w.Capabilities)), err
	}); err != nil {
		return err
	}
	if edgesFile != "" {
		if err := writeEdges(m, edgesFile); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"figures": figs, "peakRSSMiB": peakRSSMiB(), "cpus": runtime.NumCPU()})
}

// writeEdges writes the coordination network that Brokers analyses — stakeholders and
// counting agreements joined by PART_OF, COORDINATES_WITH and PARTY_TO that count — one
// edge a line. Isolated nodes are left out: they are neither brokers nor on a bridge.
func writeEdges(m *analysis.Model, name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, r := range m.Relationships {
		switch r.Type {
		case graph.RelPartOf, graph.RelCoordinatesWith, graph.RelPartyTo:
			fmt.Fprintln(w, r.From, r.To)
		}
	}
	return w.Flush()
}

// cpuSeconds is the user and system CPU time this process has used.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()).Seconds()
}

// neo4jCPUSeconds is the user and system CPU time process pid has used, from
// /proc/pid/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux); 0 without a pid.
func neo4jCPUSeconds(pid int) float64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100
}

// peakRSSMiB is the process's peak resident set size (VmHWM), in MiB.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
