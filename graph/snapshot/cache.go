package snapshot

import (
	"container/list"
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

// Source is where a Cache reads the model: graph.Store provides both.
type Source interface {
	// Version is the graph version now; every write changes it.
	Version(ctx context.Context) (string, error)
	// Snapshot reads the whole model that the viewer in ctx may see.
	Snapshot(ctx context.Context) (*graph.Document, error)
}

// systemViewer is who the cache reads the store as: it keeps everything, and applies each
// request's releasability itself.
var systemViewer = &graph.Viewer{Subject: "snapshot", Role: graph.RoleAdmin}

// DefaultBudget is the memory a Cache may hold when none is configured.
const DefaultBudget = 1 << 30

// buildTimeout bounds one build, which may outlive the request that started it while
// other requests wait for it.
const buildTimeout = 5 * time.Minute

// Estimated bytes per node and per relationship of an analysis model (its maps hold ids,
// slices of provisions and memberships, and the relationships that count), checked by
// BenchmarkMemory like the Graph's.
const (
	modelNodeBytes = 300
	modelRelBytes  = 260
)

// Stats counts what a Cache did, for metrics and tests.
type Stats struct {
	GraphBuilds, GraphHits, ModelBuilds, ModelHits, ResultHits, Evictions int64
}

// Cache holds the newest Graph and, within a memory budget, the analysis models derived
// from it, least recently used first out. It is safe for concurrent use.
type Cache struct {
	src    Source
	budget int64

	mu      sync.Mutex
	cur     *Graph
	pending *flight[*Graph]       // the build under way, if any
	entries map[any]*list.Element // by modelKey or resultKey
	lru     *list.List            // of *entry, most recently used first
	used    int64                 // estimated bytes of cur and the entries

	graphBuilds, graphHits, modelBuilds, modelHits, resultHits, evictions atomic.Int64
}

type modelKey struct {
	version, visibility string
	asOf                graph.Date
}

// resultKey names one analysis answer: its name and arguments (as the caller spells them,
// dates resolved) on one version, for one class of viewer.
type resultKey struct {
	version, visibility, name string
}

// entry is one model (flight set) or one analysis answer (value set) held in the LRU.
type entry struct {
	key     any
	version string
	flight  *flight[*analysis.Model]
	value   any
	size    int64
}

// New returns a Cache over src that holds at most budget bytes (DefaultBudget when ≤ 0).
// A Graph larger than the budget is still built and used, but no model is kept beside it.
func New(src Source, budget int64) *Cache {
	if budget <= 0 {
		budget = DefaultBudget
	}
	return &Cache{src: src, budget: budget, entries: map[any]*list.Element{}, lru: list.New()}
}

// Stats reports the cache's counters.
func (c *Cache) Stats() Stats {
	return Stats{
		GraphBuilds: c.graphBuilds.Load(), GraphHits: c.graphHits.Load(),
		ModelBuilds: c.modelBuilds.Load(), ModelHits: c.modelHits.Load(), ResultHits: c.resultHits.Load(),
		Evictions: c.evictions.Load(),
	}
}

// Graph returns the model as of now: one round trip to read the graph version, and a
// full read when that version is not the one held. Concurrent requests share one build;
// a build is cancelled when every request waiting for it has gone.
func (c *Cache) Graph(ctx context.Context) (*Graph, error) {
	version, err := c.src.Version(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.cur != nil && c.cur.version == version {
		g := c.cur
		c.mu.Unlock()
		c.graphHits.Add(1)
		metrics.SnapshotCacheHits.Inc()
		return g, nil
	}
	f := c.pending
	if f == nil || f.key != version || !f.join() {
		f = newFlight[*Graph](version, true)
		f.join()
		c.pending = f
		f.run(func(ctx context.Context) (*Graph, error) { return c.build(ctx, version, f) })
	}
	c.mu.Unlock()
	return f.wait(ctx)
}

// build reads the model at f's version. The version is read before the data, so the copy
// holds at least what that version holds; a write that lands during the read makes the
// version move on, and the next request reads again.
func (c *Cache) build(ctx context.Context, version string, f *flight[*Graph]) (*Graph, error) {
	c.graphBuilds.Add(1)
	defer func() {
		c.mu.Lock()
		if c.pending == f {
			c.pending = nil
		}
		c.mu.Unlock()
	}()
	doc, err := c.src.Snapshot(graph.WithViewer(ctx, systemViewer))
	if err != nil {
		return nil, err
	}
	g := NewGraph(version, doc)
	c.mu.Lock()
	// A build that a newer one has overtaken (a request saw a later version meanwhile)
	// serves the requests that waited for it, but does not replace what the newer one will.
	if c.cur == nil || c.pending == f && c.cur.version != g.version {
		c.replace(g)
	}
	c.mu.Unlock()
	return g, nil
}

// replace makes g the current Graph and drops every entry of older versions. c.mu is held.
func (c *Cache) replace(g *Graph) {
	if c.cur != nil {
		c.used -= c.cur.size
	}
	c.cur = g
	c.used += g.size
	for e := c.lru.Back(); e != nil; {
		prev := e.Prev()
		if e.Value.(*entry).version != g.version {
			c.drop(e)
		}
		e = prev
	}
}

// drop removes an entry. c.mu is held.
func (c *Cache) drop(e *list.Element) {
	m := e.Value.(*entry)
	c.lru.Remove(e)
	delete(c.entries, m.key)
	c.used -= m.size
	c.evictions.Add(1)
}

// Model returns the analysis projection at asOf of what the viewer sees in g, built once
// per (version, class of viewer, date) and kept while the budget allows.
func (c *Cache) Model(ctx context.Context, g *Graph, v *graph.Viewer, asOf graph.Date) (*analysis.Model, error) {
	key := modelKey{version: g.version, visibility: visibilityKey(v), asOf: asOf}
	if !g.restricted {
		key.visibility = "*"
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		f := e.Value.(*entry).flight
		f.join() // a model build is never abandoned
		c.mu.Unlock()
		c.modelHits.Add(1)
		metrics.SnapshotCacheHits.Inc()
		return f.wait(ctx)
	}
	f := newFlight[*analysis.Model](key.version, false)
	f.join()
	if c.cur == g {
		c.add(&entry{key: key, version: g.version, flight: f, size: int64(len(g.nodes))*modelNodeBytes + int64(len(g.rels))*modelRelBytes})
	}
	c.mu.Unlock()
	f.run(func(context.Context) (*analysis.Model, error) {
		c.modelBuilds.Add(1)
		doc := g.Document(v)
		return analysis.NewModel(doc.Nodes, doc.Relationships, asOf), nil
	})
	return f.wait(ctx)
}

// add puts e in front of the LRU and evicts what the budget no longer holds. c.mu is held.
func (c *Cache) add(e *entry) {
	c.entries[e.key] = c.lru.PushFront(e)
	c.used += e.size
	c.evict()
}

// Result returns the analysis answer that compute gives on g for what the viewer sees,
// named by name (the analysis and its arguments, dates resolved): computed on the first
// request and kept, within the budget, while g's version is current. compute reports the
// answer and its estimated size in bytes; its errors (a cancelled request among them) are
// returned and not kept. Two requests that miss at once both compute.
func (c *Cache) Result(ctx context.Context, g *Graph, v *graph.Viewer, name string, compute func(ctx context.Context) (any, int64, error)) (any, error) {
	key := resultKey{version: g.version, visibility: visibilityKey(v), name: name}
	if !g.restricted {
		key.visibility = "*"
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		c.mu.Unlock()
		c.resultHits.Add(1)
		metrics.SnapshotCacheHits.Inc()
		return e.Value.(*entry).value, nil
	}
	c.mu.Unlock()
	val, size, err := compute(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok && c.cur == g && size <= c.budget/4 {
		c.add(&entry{key: key, version: g.version, value: val, size: size})
	}
	return val, nil
}

// evict drops least recently used entries until the budget holds (or none is left).
// c.mu is held.
func (c *Cache) evict() {
	for c.used > c.budget {
		e := c.lru.Back()
		if e == nil {
			return
		}
		c.drop(e)
	}
}

// Budget is the configured memory budget in bytes; Used what the cache holds now.
func (c *Cache) Budget() int64 { return c.budget }

// Used is the estimated memory held now, in bytes.
func (c *Cache) Used() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// flight is one build that several requests wait for. Its context is cancelled when the
// last waiter leaves before the build finishes, so abandoned work stops.
type flight[T any] struct {
	key    string
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	val    T
	err    error

	abandonable bool // cancelled when its last waiter leaves early

	mu      sync.Mutex
	waiters int
}

func newFlight[T any](key string, abandonable bool) *flight[T] {
	ctx, cancel := context.WithTimeout(graph.WithRoundTrips(context.Background()), buildTimeout)
	return &flight[T]{key: key, ctx: ctx, cancel: cancel, done: make(chan struct{}), abandonable: abandonable}
}

// run computes the flight's value in its own goroutine; a panic there becomes an
// INTERNAL error for every waiter instead of ending the process.
func (f *flight[T]) run(fn func(ctx context.Context) (T, error)) {
	go func() {
		var (
			v   T
			err error
		)
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("snapshot: panic in a build: %v\n%s", p, debug.Stack())
			}
			f.finish(v, err)
		}()
		v, err = fn(f.ctx)
	}()
}

// join counts one more waiter; call it before wait. It fails when the build was
// abandoned (cancelled and not finished): start another.
func (f *flight[T]) join() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.done:
	default:
		if f.ctx.Err() != nil {
			return false
		}
	}
	f.waiters++
	return true
}

// wait returns the build's result, or ctx's end as a TIMEOUT. The database round trips
// the build made count for every request that waited for it.
func (f *flight[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		f.leave()
		graph.AddRoundTrips(ctx, graph.RoundTrips(f.ctx))
		return f.val, f.err
	case <-ctx.Done():
		f.leave()
		var zero T
		return zero, graph.Errorf(graph.ETIMEOUT, "", "the request ran past its deadline and was cancelled")
	}
}

func (f *flight[T]) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waiters--
	select {
	case <-f.done:
	default:
		if f.waiters == 0 && f.abandonable {
			f.cancel()
		}
	}
}

func (f *flight[T]) finish(v T, err error) {
	f.val, f.err = v, err
	close(f.done)
	f.cancel()
}
