package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfoReadsTheVCSSettings(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/stakegraph/stakegraph", Version: "v0.0.0-20261130220335-94249afa5277+dirty"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "94249afa5277016d9003ed37fbffa96a92f0372d"},
			{Key: "vcs.time", Value: "2026-11-30T22:03:35Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := fromBuildInfo(bi)
	want := Info{Version: "v0.0.0-20261130220335-94249afa5277+dirty", Revision: "94249afa5277016d9003ed37fbffa96a92f0372d",
		Time: "2026-11-30T22:03:35Z", Modified: true, Go: "go1.26.8"}
	if got != want {
		t.Fatalf("fromBuildInfo = %+v, want %+v", got, want)
	}
	if s := got.String(); !strings.Contains(s, "94249afa5277016d9003ed37fbffa96a92f0372d, modified") {
		t.Fatalf("String() = %q, want the revision marked modified", s)
	}
}

func TestFromBuildInfoWithoutVCSSaysDevel(t *testing.T) {
	got := fromBuildInfo(&debug.BuildInfo{GoVersion: "go1.26.8"})
	if got.Version != "(devel)" || got.Revision != "" {
		t.Fatalf("fromBuildInfo(no vcs) = %+v, want version (devel) and no revision", got)
	}
	if s := got.String(); s != "stakegraph (devel) go1.26.8" {
		t.Fatalf("String() = %q", s)
	}
}
