// Package gctune sets the garbage collector for stakegraph's workload: an analysis
// allocates a projection of the whole graph (hundreds of MiB on a large model) that is
// garbage when the request ends, so collecting at 5× the live heap instead of 2× saves
// CPU that Neo4j, on the same cores, needs — with a soft memory limit so that the trade
// never takes the process past a bound.
package gctune

import (
	"os"
	"runtime/debug"
)

// Defaults, used unless GOGC or GOMEMLIMIT say otherwise.
const (
	Percent     = 400
	MemoryLimit = 1536 << 20 // 1.5 GiB
)

// Apply sets the collector's percent and soft memory limit, leaving either alone when its
// environment variable is set.
func Apply() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}

// ForImport sets the collector for `stakegraph import`, unless GOGC says otherwise: the
// process holds one decoded document for its whole run, so collecting at 5× that live heap
// (Apply) would only raise its peak — on the large model to the 1.5 GiB limit where 2×
// stays near 0.75 GiB — for CPU that the import, waiting on Neo4j, does not need.
func ForImport() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
}

// ForServe raises the soft memory limit for a server whose snapshot cache may hold budget
// bytes (unless GOMEMLIMIT says otherwise): the snapshot and its projections stay live
// between requests, so a limit close to them would make the collector run at almost every
// allocation — on the million-relationship model every request then took 200 ms or more.
// The limit leaves the cache twice its budget, for a projection being built beside the
// ones held and for the requests' own garbage.
func ForServe(budget int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(max(MemoryLimit, 2*budget+512<<20))
	}
}
