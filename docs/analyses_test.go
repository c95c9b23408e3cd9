package docs

import (
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/seed"
)

// TestAnalysesWorkedExamplesAreTrue reads the figures the worked examples of analyses.md
// state and recomputes them on the demo seed, so that the page fails its test when the
// seed or the analyses change under it.
func TestAnalysesWorkedExamplesAreTrue(t *testing.T) {
	b, err := os.ReadFile("analyses.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(b)), " ") // the figures may wrap
	find := func(pattern string) []string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("analyses.md no longer says %q", pattern)
		}
		return m[1:]
	}
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	doc, err := seed.Demo()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := analysis.NewModel(doc.Nodes, doc.Relationships, "2026-11-27")

	t.Run("resilience of space security", func(t *testing.T) {
		cs, err := m.CutSets(ctx, "obj:space-security", analysis.View{}, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs.CutSets {
			got = append(got, "{"+strings.Join(c.Events, ", ")+"}")
		}
		got = slices.Sorted(slices.Values(got))
		want := []string{"{agency:eu-euspa, agency:usa-ussf}", "{agency:eu-euspa, nation:USA}"}
		if !slices.Equal(got, want) || !strings.Contains(text, "`{eu-euspa, usa-ussf}` and `{eu-euspa, nation:USA}`") {
			t.Fatalf("cut sets %v, the page says %v", got, want)
		}
		f := find(`P = (\d+(?:\.\d+)?) × (\d+(?:\.\d+)?) = (\d+(?:\.\d+)?)`)
		res, err := m.Resilience(ctx, "obj:space-security", analysis.View{})
		if err != nil {
			t.Fatal(err)
		}
		q := func(id string) float64 { return 1 - m.Nodes[id].ReliabilityOrOne() }
		for i, x := range []float64{q("agency:eu-euspa"), q("agency:usa-ussf"), res.Probability} {
			stated, _ := strconv.ParseFloat(f[i], 64)
			if math.Abs(x-stated) > 1e-12 {
				t.Errorf("the page says %s, the seed gives %v", f[i], x)
			}
		}
		rows := map[string]analysis.Importance{}
		for _, imp := range res.Importance {
			rows[imp.Event] = imp
		}
		for _, id := range []string{"agency:usa-ussf", "nation:USA", "agency:eu-euspa"} {
			row := find("\\| `" + regexp.QuoteMeta(id) + "` \\| [^|]+ \\| [^|]+ \\| ([0-9.]+) \\| ([0-9.]+)[^|]* \\| ([0-9.]+) \\| ([^|]+) \\|")
			imp := rows[id]
			for i, x := range []float64{imp.Birnbaum, imp.FussellVesely, imp.RAW} {
				stated, _ := strconv.ParseFloat(row[i], 64)
				if math.Abs(x-stated) > 0.05*math.Max(stated, 0.001) {
					t.Errorf("%s: measure %d is %v, the page says %s", id, i, x, row[i])
				}
			}
			if null := strings.HasPrefix(row[3], "null"); null != (imp.RRW == 0) {
				t.Errorf("%s: RRW %v, the page says %s", id, imp.RRW, row[3])
			}
		}
	})

	t.Run("overlap of France and Germany", func(t *testing.T) {
		f := find(`Σ min = (\d+) and Σ max = (\d+)`)
		o, err := m.Overlap("nation:FRA", "nation:DEU")
		if err != nil {
			t.Fatal(err)
		}
		if want := float64(atoi(f[0])) / float64(atoi(f[1])); o.Score != want {
			t.Errorf("score %v, the page says %s/%s", o.Score, f[0], f[1])
		}
		f = find(`they share (\d+) objectives and have (\d+) conflicts`)
		if len(o.Shared) != atoi(f[0]) || len(o.Conflicts) != atoi(f[1]) {
			t.Errorf("%d shared, %d conflicts; the page says %s and %s", len(o.Shared), len(o.Conflicts), f[0], f[1])
		}
	})

	t.Run("gap counts", func(t *testing.T) {
		f := find(`In all: (\d+) coverage, (\d+) access, (\d+) single-source, (\d+) expiring, (\d+) unaddressed-threat and (\d+) unspecified gap`)
		h := analysis.NewModel(doc.Nodes, doc.Relationships, "2027-11-27")
		gaps, err := analysis.Gaps(ctx, m, h, analysis.GapFilter{Horizon: h.AsOf})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, g := range gaps {
			count[g.Kind]++
		}
		got := fmt.Sprint(count[analysis.GapCoverage], count[analysis.GapAccess], count[analysis.GapSingleSource],
			count[analysis.GapExpiring], count[analysis.GapUnaddressedThreat], count[analysis.GapUnspecified])
		if want := strings.Join(f, " "); got != want {
			t.Errorf("gap counts %s, the page says %s", got, want)
		}
	})

	t.Run("compare: the United States withdraws, and 2030", func(t *testing.T) {
		c, err := analysis.Compare(ctx, m, m, []string{"nation:USA"}, analysis.View{}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		var lost []string
		for _, o := range c.ObjectivesLost {
			lost = append(lost, o.Objective)
		}
		if want := []string{"obj:korean-deterrence", "obj:nato-iamd"}; !slices.Equal(lost, want) {
			t.Errorf("lost %v, the page says %v", lost, want)
		}
		later := analysis.NewModel(doc.Nodes, doc.Relationships, "2030-01-01")
		c, err = analysis.Compare(ctx, m, later, nil, analysis.View{}, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		f := find(`the same (\d+) access gaps`)
		if len(c.GapsAppeared) != atoi(f[0]) || len(c.GapsDisappeared) != 0 || len(c.SinglePointsAppeared)+len(c.ObjectivesLost)+len(c.CoalitionMoves) != 0 {
			t.Errorf("2030: %d gaps appear, %d disappear, other changes %+v; the page says %s appear and nothing else changes",
				len(c.GapsAppeared), len(c.GapsDisappeared), c, f[0])
		}
	})
}
