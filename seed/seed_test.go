package seed

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

var update = flag.Bool("update", false, "rewrite demo.json in the canonical encoding")

// refDate is the date the demo is written against: its expiring agreements end within a
// year of it.
const refDate graph.Date = "2026-11-27"

// natoCodes are the 32 Allies (NATO, "NATO member countries", 2024).
var natoCodes = []string{
	"ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "ISL", "ITA", "LVA",
	"LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "TUR", "GBR", "USA",
}

// partnerCodes are the partners the issue asks for.
var partnerCodes = []string{"AUS", "JPN", "KOR", "NZL", "UKR"}

func demo(t *testing.T) *graph.Document {
	t.Helper()
	doc, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestDemoIsValid(t *testing.T) {
	if err := graph.ValidateDocument(demo(t), nil); err != nil {
		t.Fatalf("demo.json does not validate: %v", err)
	}
}

// TestDemoIsCanonical keeps demo.json byte-identical to what encoding a graph.Document
// writes (two-space indent, no HTML escaping), so that an export of the seeded database
// diffs cleanly against it. Run with -update after editing the file by hand.
func TestDemoIsCanonical(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(demo(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("demo.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(buf.Bytes(), demoJSON) {
		t.Fatal("demo.json is not in canonical encoding (it loses or reorders something on a round trip); run go test ./seed -run Canonical -update and review the diff")
	}
}

func TestDemoRejectsUnknownFields(t *testing.T) {
	if _, err := decode([]byte(`{"version":1,"nodes":[{"label":"Nation","id":"nation:X","nme":"x"}],"relationships":[]}`)); err == nil {
		t.Fatal("decode accepted an unknown field")
	}
	if _, err := decode([]byte(`{"version":1,"nodes":[],"relationships":[]} {}`)); err == nil {
		t.Fatal("decode accepted trailing data")
	}
}

func TestDemoHasTheNationsAndPartners(t *testing.T) {
	doc := demo(t)
	codes := map[string]bool{}
	for _, n := range doc.Nodes {
		if n.Label == graph.LabelNation {
			codes[n.Code] = true
			if n.Region == "" {
				t.Errorf("%s has no region", n.ID)
			}
		}
	}
	if got, want := len(natoCodes), 32; got != want {
		t.Fatalf("the test lists %d Allies, want %d", got, want)
	}
	for _, c := range append(slices.Clone(natoCodes), partnerCodes...) {
		if !codes[c] {
			t.Errorf("no nation with code %s", c)
		}
	}
}

func TestDemoAgencies(t *testing.T) {
	doc := demo(t)
	nationOf := map[string]string{}
	for _, r := range doc.Relationships {
		if r.Type == graph.RelPartOf {
			nationOf[r.From] = r.To
		}
	}
	kinds := map[string]map[string]bool{} // nation id → agency kinds
	international := 0
	for _, n := range doc.Nodes {
		if n.Label != graph.LabelAgency {
			continue
		}
		nation, ok := nationOf[n.ID]
		switch {
		case n.Kind == "INTERNATIONAL" && ok:
			t.Errorf("international body %s is PART_OF %s", n.ID, nation)
		case n.Kind == "INTERNATIONAL":
			international++
		case !ok:
			t.Errorf("national agency %s is PART_OF no nation", n.ID)
		default:
			if kinds[nation] == nil {
				kinds[nation] = map[string]bool{}
			}
			kinds[nation][n.Kind] = true
		}
	}
	if international < 6 {
		t.Errorf("%d international bodies, want at least 6", international)
	}
	for _, n := range doc.Nodes {
		if n.Label == graph.LabelNation && len(kinds[n.ID]) == 0 {
			t.Errorf("%s has no agency", n.ID)
		}
	}
	for _, c := range []string{"USA", "GBR", "FRA", "DEU", "ITA", "CAN", "POL", "TUR", "AUS", "JPN", "KOR", "UKR"} {
		for _, k := range []string{"MILITARY", "DIPLOMATIC", "INTELLIGENCE"} {
			if !kinds["nation:"+c][k] {
				t.Errorf("nation:%s has no %s agency", c, k)
			}
		}
	}
}

func TestDemoSizes(t *testing.T) {
	doc := demo(t)
	labels := map[graph.Label]int{}
	for _, n := range doc.Nodes {
		labels[n.Label]++
	}
	types := map[graph.RelType]int{}
	for _, r := range doc.Relationships {
		types[r.Type]++
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"objectives", labels[graph.LabelObjective], 15},
		{"capabilities", labels[graph.LabelCapability], 20},
		{"agreements", labels[graph.LabelAgreement], 10},
		{"threats", labels[graph.LabelThreat], 6},
		{"nodes", len(doc.Nodes), 150},
		{"relationships", len(doc.Relationships), 600},
	} {
		if c.got < c.want {
			t.Errorf("%d %s, want at least %d", c.got, c.what, c.want)
		}
	}
	for _, rt := range graph.RelTypes {
		if types[rt] == 0 {
			t.Errorf("no %s relationship", rt)
		}
	}
}

func TestDemoNamesTheEnablers(t *testing.T) {
	var names []string
	for _, n := range demo(t).Nodes {
		if n.Label == graph.LabelCapability {
			names = append(names, n.Name)
		}
	}
	for _, want := range []string{
		"Air-to-air refuelling", "(ISR)", "Strategic airlift", "Satellite communications", "(SEAD)",
		"Ballistic missile defence", "Federated mission networking", "Precision-guided munitions", "Cyber defence",
	} {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, want) }) {
			t.Errorf("no capability named like %q", want)
		}
	}
}

func TestDemoCitesEverything(t *testing.T) {
	doc := demo(t)
	for i, n := range doc.Nodes {
		if strings.TrimSpace(n.Source) == "" {
			t.Errorf("nodes[%d] %s has no source", i, n.ID)
		}
	}
	for i, r := range doc.Relationships {
		if strings.TrimSpace(r.Source) == "" {
			t.Errorf("relationships[%d] %s has no source", i, r.Key().ID())
		}
	}
}

// TestDemoGivesTheAnalysesSomethingToFind checks, from the data alone, that the demo holds
// each kind of finding the issue asks for; findings_test.go checks the same through the
// analyses themselves.
func TestDemoGivesTheAnalysesSomethingToFind(t *testing.T) {
	doc := demo(t)
	label := map[string]graph.Label{}
	var nationOf = map[string]string{}
	for _, n := range doc.Nodes {
		label[n.ID] = n.Label
	}
	requires := map[string][]string{}
	dependsOn := map[string][]string{}
	providers := map[string][]string{}
	addressed := map[string]bool{}
	conflicts := 0
	for _, r := range doc.Relationships {
		switch r.Type {
		case graph.RelPartOf:
			nationOf[r.From] = r.To
		case graph.RelRequires:
			requires[r.From] = append(requires[r.From], r.To)
		case graph.RelDependsOn:
			dependsOn[r.From] = append(dependsOn[r.From], r.To)
		case graph.RelProvides:
			if graph.CountsAt(r.ValidFrom, r.ValidTo, refDate) {
				providers[r.To] = append(providers[r.To], r.From)
			}
		case graph.RelAddresses:
			addressed[r.To] = true
		case graph.RelConflictsWith:
			conflicts++
		}
	}
	family := func(s string) string {
		if n, ok := nationOf[s]; ok {
			return n
		}
		return s
	}
	needed := map[string]bool{}
	var walk func(string)
	walk = func(c string) {
		if needed[c] {
			return
		}
		needed[c] = true
		for _, d := range dependsOn[c] {
			walk(d)
		}
	}
	unspecified := 0
	for id, l := range label {
		if l != graph.LabelObjective {
			continue
		}
		if len(requires[id]) == 0 {
			unspecified++
		}
		for _, c := range requires[id] {
			walk(c)
		}
	}
	singleSource, uncovered := 0, 0
	for c := range needed {
		ps := providers[c]
		if len(ps) == 0 {
			uncovered++
			continue
		}
		if !slices.ContainsFunc(ps, func(p string) bool { return family(p) != family(ps[0]) }) {
			singleSource++
		}
	}
	unaddressed := 0
	for id, l := range label {
		if l == graph.LabelThreat && !addressed[id] {
			unaddressed++
		}
	}
	horizon := refDate.AddDays(365)
	ending := 0
	within := func(d graph.Date) bool { return d != "" && refDate < d && d <= horizon }
	for _, n := range doc.Nodes {
		if n.Label == graph.LabelAgreement && within(n.Expires) {
			ending++
		}
	}
	for _, r := range doc.Relationships {
		if within(r.ValidTo) {
			ending++
		}
	}
	for _, c := range []struct {
		what string
		got  int
	}{
		{"needed capabilities whose providers are all one nation's family (SINGLE_SOURCE)", singleSource},
		{"needed capabilities nobody provides (COVERAGE)", uncovered},
		{"objectives requiring nothing (UNSPECIFIED)", unspecified},
		{"threats no objective addresses (UNADDRESSED_THREAT)", unaddressed},
		{"agreements or relationships ending within a year of " + string(refDate) + " (EXPIRING)", ending},
		{"CONFLICTS_WITH pairs", conflicts},
	} {
		if c.got == 0 {
			t.Errorf("no %s", c.what)
		}
	}
}
