package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/oracles"
)

// The scripts in examples/ run against a server on the test database with the demo seed,
// as docs/scripting.md tells a user to run them; their output must have the structure the
// document promises and agree with the server.
func TestExamplesRunAgainstTheServer(t *testing.T) {
	m, demo := seededServer(t, &Main{})
	objectives := 0
	for _, n := range demo.Nodes {
		if n.Label == graph.LabelObjective {
			objectives++
		}
	}
	env := append(os.Environ(), envURL+"="+m.URL(), envToken+"=")

	t.Run("failures.py", func(t *testing.T) {
		py := oracles.Python(t, "networkx")
		out := t.TempDir()
		cmd := exec.Command(py, "../../examples/failures.py", "--out", out)
		cmd.Env = env
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("failures.py: %v\n%s", err, stderrText(err))
		}
		var summary struct {
			Gaps, Objectives, ObjectivesWithSinglePoint int
			Graph                                       struct{ Nodes, Edges int }
			TopSinglePoints                             []struct {
				ID, Type   string
				Objectives int
			}
		}
		if err := json.Unmarshal(stdout, &summary); err != nil {
			t.Fatalf("summary is not JSON (%v): %s", err, stdout)
		}
		if summary.Graph.Nodes != len(demo.Nodes) || summary.Graph.Edges != len(demo.Relationships) {
			t.Fatalf("networkx graph has %d nodes and %d edges, the seed %d and %d", summary.Graph.Nodes, summary.Graph.Edges, len(demo.Nodes), len(demo.Relationships))
		}
		if summary.Objectives != objectives {
			t.Fatalf("%d objectives analysed, the seed has %d", summary.Objectives, objectives)
		}
		gaps := readCSV(t, filepath.Join(out, "gaps.csv"))
		if got, want := strings.Join(gaps[0], ","), "kind,objective,capability,stakeholder,threat"; got != want {
			t.Fatalf("gaps.csv header %q, want %q", got, want)
		}
		if len(gaps)-1 != summary.Gaps || summary.Gaps == 0 {
			t.Fatalf("gaps.csv has %d rows, the summary says %d gaps", len(gaps)-1, summary.Gaps)
		}
		spof := readCSV(t, filepath.Join(out, "single_points_of_failure.csv"))
		if got, want := strings.Join(spof[0], ","), "objective,objective_name,achievable,event,event_type,event_name"; got != want {
			t.Fatalf("single_points_of_failure.csv header %q, want %q", got, want)
		}
		perObjective := map[string]int{}
		withEvent := map[string]bool{}
		for _, r := range spof[1:] {
			perObjective[r[0]]++
			if r[3] != "" {
				withEvent[r[0]] = true
				if r[4] != "Nation" && r[4] != "Agency" && r[4] != "Agreement" {
					t.Fatalf("event %s is a %q, not a basic event", r[3], r[4])
				}
			}
		}
		if len(perObjective) != objectives || len(withEvent) != summary.ObjectivesWithSinglePoint || len(withEvent) == 0 {
			t.Fatalf("single_points_of_failure.csv covers %d objectives (%d with an event), want %d (%d)",
				len(perObjective), len(withEvent), objectives, summary.ObjectivesWithSinglePoint)
		}
		if len(summary.TopSinglePoints) == 0 || summary.TopSinglePoints[0].Type == "" {
			t.Fatalf("the top single points were not found in the networkx graph: %+v", summary.TopSinglePoints)
		}
	})

	t.Run("gaps.mjs", func(t *testing.T) {
		node := oracles.Command(t, "node", "install Node.js (20 or newer)")
		cmd := exec.Command(node, "../../examples/gaps.mjs")
		cmd.Env = env
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("gaps.mjs: %v\n%s", err, stderrText(err))
		}
		var got struct {
			GapCounts     map[string]int
			NotAchievable []string
		}
		if err := json.Unmarshal(stdout, &got); err != nil {
			t.Fatalf("gaps.mjs printed no JSON (%v): %s", err, stdout)
		}
		total := 0
		for _, n := range got.GapCounts {
			total += n
		}
		if total == 0 || got.NotAchievable == nil {
			t.Fatalf("gaps.mjs: %s", stdout)
		}
	})

	t.Run("docs/scripting.md recipes", func(t *testing.T) {
		text, err := os.ReadFile("../../docs/scripting.md")
		if err != nil {
			t.Fatal(err)
		}
		blocks := func(lang string) string {
			var code []string
			for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(string(text), -1) {
				code = append(code, m[1])
			}
			if len(code) == 0 {
				t.Fatalf("docs/scripting.md has no %s recipe", lang)
			}
			return strings.Join(code, "\n")
		}
		py := oracles.Python(t, "networkx")
		cmd := exec.Command(py, "-c", blocks("python")+"\nprint(len(g), len(providers))\n")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("the Python recipes: %v\n%s", err, stderrText(err))
		}
		stakeholders, nations := 0, 0
		for _, n := range demo.Nodes {
			if n.Label.IsStakeholder() {
				stakeholders++
			}
			if n.Label == graph.LabelNation {
				nations++
			}
		}
		first, last := fmt.Sprintf("%d nations\n", nations), fmt.Sprintf("%d %d\n", len(demo.Nodes), stakeholders)
		if !strings.HasPrefix(string(out), first) || !strings.HasSuffix(string(out), last) {
			t.Fatalf("the Python recipes printed %q, want %q first and %q last", out, first, last)
		}
		node := oracles.Command(t, "node", "install Node.js (20 or newer)")
		js := filepath.Join(t.TempDir(), "recipe.mjs")
		if err := os.WriteFile(js, []byte(blocks("js")+"\nconsole.log(JSON.stringify(resilience));\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(node, js)
		cmd.Env = env
		if out, err = cmd.Output(); err != nil {
			t.Fatalf("the JavaScript recipe: %v\n%s", err, stderrText(err))
		}
		var r struct{ MinCutOrder *int }
		if err := json.Unmarshal(out, &r); err != nil || r.MinCutOrder == nil {
			t.Fatalf("the JavaScript recipe printed %q", out)
		}
	})

	t.Run("query spof.graphql", func(t *testing.T) {
		out, errOut, err := queryRun(t, "", "-url", m.URL(), "-o", "csv", "../../examples/spof.graphql")
		if err != nil {
			t.Fatalf("%v: %s", err, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(recs[0], ","), "objective.id,objective.name,achievable,cutSets.events.id,cutSets.events.name"; got != want {
			t.Fatalf("header %q, want %q", got, want)
		}
		if len(recs)-1 != objectives {
			t.Fatalf("%d rows, want one per objective (%d)", len(recs)-1, objectives)
		}
	})
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: %v (%d records)", path, err, len(recs))
	}
	return recs
}

func stderrText(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
