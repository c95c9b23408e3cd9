package analysis

import (
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/oracles"
)

// TestScramOracle checks cut sets, probabilities and importance against SCRAM, an
// independent fault-tree tool (docs/analyses.md, "Failure logic"), on random models at several dates and in
// several views. The Open-PSA MEF input is written from the reference reading of the
// raw graph (failure_ref_test.go), not from the production fault trees, with the mapping
// of docs/analyses.md, "Failure logic": objective = OR over required capabilities, capability = OR over its
// closure members, member = AND over its routes, route = OR over its events.
//
// SCRAM prints numbers with 6 significant digits, so values are compared to that
// precision here; TestFailureLogicMatchesReference checks the same values to 1e-9 against
// exact enumeration.
func TestScramOracle(t *testing.T) {
	scram := oracles.Command(t, "scram", "install the Debian package scram")
	ctx := context.Background()
	dir := t.TempDir()
	var mu sync.Mutex
	compared := map[string]int{}
	// The models run in parallel: most of the time goes to starting scram.
	t.Run("models", func(t *testing.T) {
		for seed := range 40 {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				counts := map[string]int{}
				scramCheckModel(t, ctx, scram, dir, seed, counts)
				mu.Lock()
				defer mu.Unlock()
				for k, n := range counts {
					compared[k] += n
				}
			})
		}
	})
	t.Logf("compared with scram: %v", compared)
	if compared["fault trees"] < 500 || compared["cut sets"] < 1000 {
		t.Fatalf("the oracle compared too little to mean anything: %v", compared)
	}
}

// scramCheckModel compares one random model at three dates in every view.
func scramCheckModel(t *testing.T, ctx context.Context, scram, dir string, seed int, compared map[string]int) {
	r := rand.New(rand.NewPCG(uint64(seed), 11))
	nodes, rels := ftGenerate(r, ftSmall)
	for _, asOf := range []graph.Date{"2024-06-01", "2027-01-01", "2030-01-01"} {
		name := fmt.Sprintf("seed=%d/asOf=%s", seed, asOf)
		m := NewModel(nodes, rels, asOf)
		var mef scramMEF
		refs := map[string]*ftRef{}
		for vi, v := range ftViews() {
			ref := newFTRef(t, nodes, rels, asOf, v.Stakeholder)
			refs[v.Stakeholder] = ref
			mef.events = ref.events
			mef.q = ref.q
			for oi, o := range ref.objectives {
				if ref.dead[o] || len(ref.requires[o]) == 0 {
					continue
				}
				mef.objective(fmt.Sprintf("top-v%d-o%d", vi, oi), ref, o)
			}
		}
		input := filepath.Join(dir, fmt.Sprintf("s%d-%s.xml", seed, asOf))
		if err := os.WriteFile(input, mef.xml(), 0o644); err != nil {
			t.Fatal(err)
		}
		full := scramRun(t, scram, input, mef.events, "--probability", "1", "--importance", "1")
		limit := 1 + seed%MaxCutOrder
		limited := scramRun(t, scram, input, mef.events, "-l", fmt.Sprint(limit))
		for vi, v := range ftViews() {
			ref := refs[v.Stakeholder]
			for oi, o := range ref.objectives {
				what := fmt.Sprintf("%s/view=%q/%s (input %s)", name, v.Stakeholder, o, input)
				top := fmt.Sprintf("top-v%d-o%d", vi, oi)
				scramCompare(t, ctx, what, m, v, o, ref, full[top], limited[top], limit, compared)
			}
		}
	}
}

// scramCompare checks one objective in one view against SCRAM's results (nil when the
// objective had no fault tree: not achievable, or requiring nothing).
func scramCompare(t *testing.T, ctx context.Context, what string, m *Model, v View, o string, ref *ftRef,
	full, limited *scramResult, limit int, compared map[string]int) {
	t.Helper()
	cs, err := m.CutSets(ctx, o, v, MaxCutOrder)
	if err != nil {
		t.Fatalf("%s: CutSets: %v", what, err)
	}
	res, err := m.Resilience(ctx, o, v)
	if err != nil {
		t.Fatalf("%s: Resilience: %v", what, err)
	}
	if full == nil {
		// No tree: not achievable (probability 1), or requiring nothing (achievable, 0).
		wantAchievable := !ref.dead[o]
		if cs.Achievable != wantAchievable || len(cs.CutSets) != 0 || res.Achievable != wantAchievable {
			t.Fatalf("%s: achievable=%v with %d cut sets, want achievable=%v and none", what, cs.Achievable, len(cs.CutSets), wantAchievable)
		}
		if want := map[bool]float64{true: 0, false: 1}[wantAchievable]; res.Probability != want {
			t.Fatalf("%s: probability %v, want %v", what, res.Probability, want)
		}
		compared["trivial objectives"]++
		return
	}
	compared["fault trees"]++
	if !cs.Achievable || !res.Achievable {
		t.Fatalf("%s: not achievable, but SCRAM has a fault tree for it", what)
	}
	var want [][]string
	for _, p := range full.products {
		if len(p) <= MaxCutOrder {
			want = append(want, p)
		}
	}
	if got := ftEventLists(cs.CutSets); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("%s: cut sets to order %d = %v, SCRAM says %v", what, MaxCutOrder, got, want)
	}
	compared["cut sets"] += len(want)
	limitedCS, err := m.CutSets(ctx, o, v, limit)
	if err != nil {
		t.Fatal(err)
	}
	if got := ftEventLists(limitedCS.CutSets); !slices.EqualFunc(got, limited.products, slices.Equal) {
		t.Fatalf("%s: cut sets to order %d = %v, scram -l %d says %v", what, limit, got, limit, limited.products)
	}
	compared[fmt.Sprintf("limited runs, order %d", limit)]++
	if got, want := res.MinCutOrder, len(full.products[0]); got != want {
		t.Fatalf("%s: minimum cut order %d, SCRAM's smallest product has %d events", what, got, want)
	}
	scramClose(t, what+": probability", res.Probability, full.probability)
	if got, want := len(res.Importance), len(full.importance); got != want {
		t.Fatalf("%s: importance of %d events, SCRAM ranks %d: %+v vs %+v", what, got, want, res.Importance, full.importance)
	}
	for _, imp := range res.Importance {
		s, ok := full.importance[imp.Event]
		if !ok {
			t.Fatalf("%s: importance of %s, which SCRAM does not rank", what, imp.Event)
		}
		w := what + ": importance of " + imp.Event
		scramClose(t, w+" Birnbaum (MIF)", imp.Birnbaum, s.MIF)
		if res.Probability > 0 {
			scramClose(t, w+" Fussell-Vesely (CIF)", imp.FussellVesely, s.CIF)
			scramClose(t, w+" diagnosis (DIF)", imp.Diagnosis, s.DIF)
			scramClose(t, w+" RAW", imp.RAW, s.RAW)
		}
		// SCRAM prints RRW as 0 when P0 = 0 (the event is in every cut set), as the
		// analysis reports it; compared everywhere, this catches a rounding residue in P0
		// turning into a huge finite RRW (issue 8).
		scramClose(t, w+" RRW", imp.RRW, s.RRW)
		compared["importance records"]++
	}
}

// scramClose compares with SCRAM's 6 significant digits.
func scramClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got-want) > 1e-9+6e-6*math.Abs(want) {
		t.Fatalf("%s = %.12g, SCRAM says %.6g", what, got, want)
	}
}

// scramMEF writes fault trees as Open-PSA MEF.
type scramMEF struct {
	events []string
	q      []float64
	used   uint64
	gates  strings.Builder
}

// objective adds a fault tree named top for objective o of ref.
func (w *scramMEF) objective(top string, ref *ftRef, o string) {
	var caps []string
	for ci, c := range ref.requires[o] {
		var members []string
		for mi, routes := range ref.members[c] {
			var rs []string
			for ri, r := range routes {
				var evs []string
				for m := r; m != 0; m &= m - 1 {
					i := bits.TrailingZeros64(m)
					w.used |= 1 << i
					evs = append(evs, fmt.Sprintf(`<basic-event name="e%d"/>`, i))
				}
				rs = append(rs, w.gate(fmt.Sprintf("%s-c%d-m%d-r%d", top, ci, mi, ri), "or", evs))
			}
			members = append(members, w.gate(fmt.Sprintf("%s-c%d-m%d", top, ci, mi), "and", rs))
		}
		caps = append(caps, w.gate(fmt.Sprintf("%s-c%d", top, ci), "or", members))
	}
	fmt.Fprintf(&w.gates, "<define-gate name=\"%s\">%s</define-gate>\n", top, w.formula("or", caps))
}

// gate defines a gate over args and returns a reference to it; a
// single argument is used as is, since MEF formulas need two.
func (w *scramMEF) gate(name, op string, args []string) string {
	if args = slices.Compact(slices.Sorted(slices.Values(args))); len(args) == 1 {
		return args[0]
	}
	fmt.Fprintf(&w.gates, "<define-gate name=\"%s\">%s</define-gate>\n", name, w.formula(op, args))
	return fmt.Sprintf(`<gate name="%s"/>`, name)
}

func (w *scramMEF) formula(op string, args []string) string {
	// Two members provided by the same single event collapse to the same argument, which
	// MEF rejects; AND and OR are idempotent, so drop repeats.
	args = slices.Compact(slices.Sorted(slices.Values(args)))
	if len(args) == 1 {
		return args[0]
	}
	return "<" + op + ">" + strings.Join(args, "") + "</" + op + ">"
}

func (w *scramMEF) xml() []byte {
	var b strings.Builder
	// One fault tree: its top events are the gates no other gate uses, the objectives.
	b.WriteString("<?xml version=\"1.0\"?>\n<opsa-mef>\n<define-fault-tree name=\"stakegraph\">\n")
	b.WriteString(w.gates.String())
	b.WriteString("</define-fault-tree>\n<model-data>\n")
	for i := range w.events {
		if w.used&(1<<i) != 0 {
			fmt.Fprintf(&b, "<define-basic-event name=\"e%d\"><float value=\"%.17g\"/></define-basic-event>\n", i, w.q[i])
		}
	}
	b.WriteString("</model-data>\n</opsa-mef>\n")
	return []byte(b.String())
}

// scramResult is SCRAM's answer for one top gate, event names mapped back to ids.
type scramResult struct {
	products    [][]string // sorted like CutSets: by order, then ids
	probability float64
	importance  map[string]scramImportance
}

type scramImportance struct {
	MIF float64 `xml:"MIF,attr"`
	CIF float64 `xml:"CIF,attr"`
	DIF float64 `xml:"DIF,attr"`
	RAW float64 `xml:"RAW,attr"`
	RRW float64 `xml:"RRW,attr"`
}

type scramEventRef struct {
	Name string `xml:"name,attr"`
}

type scramReport struct {
	SumOfProducts []struct {
		Name        string  `xml:"name,attr"`
		Probability float64 `xml:"probability,attr"`
		Products    []struct {
			Events []scramEventRef `xml:"basic-event"`
		} `xml:"product"`
	} `xml:"results>sum-of-products"`
	Importance []struct {
		Name   string `xml:"name,attr"`
		Events []struct {
			scramEventRef
			scramImportance
		} `xml:"basic-event"`
	} `xml:"results>importance"`
}

// scramRun runs `scram --bdd` on input with extra flags and returns its results by top
// gate. The cut-off is 0: SCRAM's default drops products below 1e-8, and events with
// reliability 1 have probability 0 but still belong to cut sets.
func scramRun(t *testing.T, scram, input string, events []string, flags ...string) map[string]*scramResult {
	t.Helper()
	report := input + fmt.Sprintf(".report%d.xml", len(flags))
	args := append([]string{"--bdd", "--cut-off", "0", "-o", report}, flags...)
	out, err := exec.Command(scram, append(args, input)...).CombinedOutput()
	if err != nil {
		t.Fatalf("scram %s %s: %v\n%s", strings.Join(args, " "), input, err, out)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep scramReport
	if err := xml.Unmarshal(data, &rep); err != nil {
		t.Fatalf("reading SCRAM's report %s: %v", report, err)
	}
	id := func(name string) string {
		var i int
		if _, err := fmt.Sscanf(name, "e%d", &i); err != nil || i < 0 || i >= len(events) {
			t.Fatalf("unexpected basic event %q in SCRAM's report", name)
		}
		return events[i]
	}
	res := map[string]*scramResult{}
	for _, sp := range rep.SumOfProducts {
		r := &scramResult{probability: sp.Probability, importance: map[string]scramImportance{}}
		for _, p := range sp.Products {
			var evs []string
			for _, e := range p.Events {
				evs = append(evs, id(e.Name))
			}
			r.products = append(r.products, slices.Sorted(slices.Values(evs)))
		}
		slices.SortFunc(r.products, func(a, b []string) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return slices.Compare(a, b)
		})
		res[sp.Name] = r
	}
	for _, imp := range rep.Importance {
		r := res[imp.Name]
		if r == nil {
			t.Fatalf("SCRAM reports importance for %q without products", imp.Name)
		}
		for _, e := range imp.Events {
			r.importance[id(e.Name)] = e.scramImportance
		}
	}
	return res
}
