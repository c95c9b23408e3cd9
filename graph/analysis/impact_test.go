package analysis

import (
	"context"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
)

func TestImpact(t *testing.T) {
	m := ftCoalition().model("2027-01-01")
	ctx := context.Background()
	impact := func(t *testing.T, id string, v View) Impact {
		t.Helper()
		imp, err := m.Impact(ctx, id, v)
		if err != nil {
			t.Fatalf("Impact(%s): %v", id, err)
		}
		return imp
	}
	eq := func(t *testing.T, what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("%s %v, want %v", what, got, want)
		}
	}
	t.Run("a nation reaches its agencies' capabilities but is no single point", func(t *testing.T) {
		imp := impact(t, "n:A", View{})
		eq(t, "capabilities", imp.Capabilities, []string{"c:X", "c:Y", "c:Z"})
		eq(t, "objectives", imp.Objectives, []string{"o:1"})
		eq(t, "stakeholders", imp.Stakeholders, []string{"n:B"})
		eq(t, "single point of", imp.SinglePointOf, []string{})
		ftContains(t, "relationships", imp.Explanation.Relationships, "PROVIDES:n:A->c:Z", "PROVIDES:a:A1->c:X",
			"PART_OF:a:A1->n:A", "DEPENDS_ON:c:Y->c:Z", "REQUIRES:o:1->c:X", "PURSUES:n:B->o:1")
	})
	t.Run("the international agency is a single point of o:1", func(t *testing.T) {
		imp := impact(t, "a:I", View{})
		eq(t, "capabilities", imp.Capabilities, []string{"c:X", "c:Y"})
		eq(t, "single point of", imp.SinglePointOf, []string{"o:1"})
		ftLacks(t, "nodes", imp.Explanation.Nodes, "c:Z")
	})
	t.Run("a capability's impact is what depends on it", func(t *testing.T) {
		imp := impact(t, "c:Z", View{})
		eq(t, "capabilities", imp.Capabilities, []string{"c:X", "c:Y", "c:Z"})
		eq(t, "single point of", imp.SinglePointOf, []string{})
	})
	t.Run("an agreement governs, and in the access view is a single point", func(t *testing.T) {
		acc := ftAccess("").model("2027-01-01")
		imp, err := acc.Impact(ctx, "t:1", View{Stakeholder: "n:A"})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "capabilities", imp.Capabilities, []string{"c:X"})
		eq(t, "single point of", imp.SinglePointOf, []string{"o:1"})
		ftContains(t, "relationships", imp.Explanation.Relationships, "GOVERNS:t:1->c:X")
		coalition, _ := acc.Impact(ctx, "t:1", View{})
		eq(t, "single point of, coalition view", coalition.SinglePointOf, []string{})
	})
	t.Run("errors", func(t *testing.T) {
		expired := ftAccess("").model("2031-01-01")
		for _, tc := range []struct {
			m    *Model
			id   string
			code string
		}{
			{m, "nope", graph.ENOTFOUND},
			{expired, "t:1", graph.ENOTFOUND},
			{m, "o:1", graph.EINVALID},
		} {
			if _, err := tc.m.Impact(ctx, tc.id, View{}); graph.ErrorCode(err) != tc.code {
				t.Fatalf("Impact(%s): err=%v, want %s", tc.id, err, tc.code)
			}
		}
	})
}
