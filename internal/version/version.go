// Package version says which build of stakegraph is running, from what the Go toolchain
// records in the binary (debug.ReadBuildInfo): no version string to keep in step by hand.
package version

import (
	"runtime/debug"
	"sync"
)

// Info identifies a build.
type Info struct {
	// Version is the main module's version: a tag (v1.2.0), a pseudo-version derived from the
	// commit when built from a git checkout, or "(devel)" when the toolchain knew neither.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from, "" when unknown (go run, tests).
	Revision string `json:"revision,omitempty"`
	// Time is the commit's time (RFC 3339), "" when unknown.
	Time string `json:"time,omitempty"`
	// Modified is true when the working tree had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// Go is the toolchain that built the binary.
	Go string `json:"go"`
}

// Get reads the build information once.
var Get = sync.OnceValue(func() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "(unknown)"}
	}
	return fromBuildInfo(bi)
})

func fromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Version: bi.Main.Version, Go: bi.GoVersion}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// String is the one-line form `stakegraph version` prints.
func (i Info) String() string {
	s := "stakegraph " + i.Version
	if i.Revision != "" {
		s += " (" + i.Revision
		if i.Modified {
			s += ", modified"
		}
		if i.Time != "" {
			s += ", " + i.Time
		}
		s += ")"
	}
	return s + " " + i.Go
}
