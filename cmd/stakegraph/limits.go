package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph/snapshot"
	"github.com/stakegraph/stakegraph/resolvers"
)

// limitFlags registers serve's flags for the API's limits (docs/security.md, "Limits") on
// fs; the function it returns reads them once fs is parsed.
func limitFlags(fs *flag.FlagSet) func() (resolvers.Options, resolvers.Limits, HTTPTimeouts) {
	depth := fs.Int("max-depth", 12, "refuse queries whose fields nest deeper than this (QUERY_TOO_DEEP)")
	cost := fs.Int("max-complexity", 60000, "refuse queries whose estimated cost is above this (COMPLEXITY_LIMIT_EXCEEDED)")
	fanOut := fs.Int("list-fan-out", 5, "items a traversal or analysis list is assumed to hold when estimating a query's cost")
	tokens := fs.Int("max-tokens", 20000, "refuse query texts longer than this many tokens (variables are not counted)")
	introspection := fs.Bool("introspection", true, "allow schema introspection (GraphiQL needs it); false refuses __schema and __type (INTROSPECTION_DISABLED)")
	body := byteSize(1 << 20)
	fs.Var(&body, "max-body", "refuse request bodies larger than this, e.g. 1MiB, 512KiB or bytes (HTTP 413, REQUEST_TOO_LARGE), except an administrator's importGraph")
	importBody := byteSize(32 << 20)
	fs.Var(&importBody, "max-import-body", "refuse importGraph request bodies larger than this (HTTP 413, REQUEST_TOO_LARGE); the document must fit")
	values := fs.Int("max-variable-values", 50000, "refuse requests whose variables hold more JSON values than this (HTTP 413, REQUEST_TOO_LARGE); an importGraph may hold one per 8 bytes of -max-import-body")
	var budget byteSize
	fs.Var(&budget, "body-budget", "bytes of request bodies the server holds at once, across requests (decoding takes up to about 20 times that in memory); others wait, then get HTTP 503 SERVER_BUSY (default -max-import-body + 8 × -max-body)")
	bodyTimeout := fs.Duration("body-timeout", 30*time.Second, "how long a client may take to send a request body of up to -max-body (HTTP 400 and the connection closed after)")
	importBodyTimeout := fs.Duration("import-body-timeout", 5*time.Minute, "how long a client may take to send an importGraph body")
	headerTimeout := fs.Duration("read-header-timeout", 10*time.Second, "how long a client may take to send a request's headers")
	writeTimeout := fs.Duration("write-timeout", 0, "how long a response may take once the request is read (default -timeout + 30s)")
	idleTimeout := fs.Duration("idle-timeout", 2*time.Minute, "how long a kept-alive connection may wait for its next request")
	rate := fs.Float64("rate", 20, "requests a second each token subject may make on average; 0 turns rate limiting off (HTTP 429, RATE_LIMITED); a server without authentication is not limited")
	burst := fs.Int("burst", 60, "requests each token subject may make at once before -rate applies")
	snapshotBudget := byteSize(snapshot.DefaultBudget)
	fs.Var(&snapshotBudget, "snapshot-budget", "memory the in-memory snapshot of the graph and the analysis projections may hold, e.g. 2GiB; older projections are dropped first (docs/operations.md)")
	return func() (resolvers.Options, resolvers.Limits, HTTPTimeouts) {
		r := *rate
		if r == 0 {
			r = -1 // resolvers.Limits reads zero as the default
		}
		return resolvers.Options{MaxDepth: *depth, MaxComplexity: *cost, ListFanOut: *fanOut, MaxTokens: *tokens, Introspection: *introspection,
				SnapshotBudget: int64(snapshotBudget)},
			resolvers.Limits{MaxBodyBytes: int64(body), MaxImportBytes: int64(importBody), BodyBudgetBytes: int64(budget),
				MaxVariableValues: *values, BodyTimeout: *bodyTimeout, ImportBodyTimeout: *importBodyTimeout, RatePerSecond: r, Burst: *burst},
			HTTPTimeouts{ReadHeader: *headerTimeout, Write: *writeTimeout, Idle: *idleTimeout}
	}
}

// byteSize is a flag value in bytes, written plain or with a binary suffix (KiB, MiB, GiB).
type byteSize int64

var byteUnits = []struct {
	suffix string
	n      int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

// String implements flag.Value.
func (b *byteSize) String() string {
	for _, u := range byteUnits {
		if int64(*b) >= u.n && int64(*b)%u.n == 0 {
			return fmt.Sprintf("%d%s", int64(*b)/u.n, u.suffix)
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

// Set implements flag.Value.
func (b *byteSize) Set(s string) error {
	unit := int64(1)
	num := strings.TrimSpace(s)
	for _, u := range byteUnits {
		if strings.HasSuffix(strings.ToLower(num), strings.ToLower(u.suffix)) {
			unit, num = u.n, strings.TrimSpace(num[:len(num)-len(u.suffix)])
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return fmt.Errorf("%q is not a size in bytes (e.g. 32MiB, 512KiB, 1048576)", s)
	}
	*b = byteSize(n * unit)
	return nil
}
