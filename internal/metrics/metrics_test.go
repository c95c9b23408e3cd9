package metrics

import (
	"fmt"
	"strings"
	"testing"
)

func TestOperationLabelsAreBounded(t *testing.T) {
	if got := Operation(""); got != "anonymous" {
		t.Fatalf("Operation(\"\") = %q, want anonymous", got)
	}
	for _, bad := range []string{"has space", "1leading", strings.Repeat("a", 65), "émoji", "a{b}"} {
		if got := Operation(bad); got != "other" {
			t.Errorf("Operation(%q) = %q, want other", bad, got)
		}
	}
	for i := 0; i < maxOperations; i++ {
		name := fmt.Sprintf("Op%d", i)
		if got := Operation(name); got != name {
			t.Fatalf("Operation(%q) = %q within the bound", name, got)
		}
	}
	if got := Operation("OneTooMany"); got != "other" {
		t.Fatalf("Operation beyond %d names = %q, want other", maxOperations, got)
	}
	if got := Operation("Op7"); got != "Op7" {
		t.Fatalf("a name seen before the bound was reached = %q, want it kept", got)
	}
}
