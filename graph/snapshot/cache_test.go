package snapshot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// source is an in-memory Source whose reads a test can count, hold and fail. (The cache
// against the real Neo4j is tested in package resolvers.)
type source struct {
	mu      sync.Mutex
	version string
	doc     *graph.Document
	reads   atomic.Int64
	gate    chan struct{} // when set, Snapshot waits for it (or for ctx)
	viewer  *graph.Viewer // the viewer of the last Snapshot
}

func (s *source) Version(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *source) Snapshot(ctx context.Context) (*graph.Document, error) {
	s.reads.Add(1)
	s.mu.Lock()
	gate, doc := s.gate, s.doc
	s.viewer = graph.ViewerFrom(ctx)
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	// A fresh copy each time, as a store would return.
	out := &graph.Document{Nodes: append([]graph.Node(nil), doc.Nodes...), Relationships: append([]graph.Relationship(nil), doc.Relationships...)}
	return out, nil
}

func (s *source) set(version string, doc *graph.Document) {
	s.mu.Lock()
	s.version, s.doc = version, doc
	s.mu.Unlock()
}

// fixture: nations AAA and BBB, an agency of AAA releasable to AAA only, a capability
// both provide.
func fixture() *graph.Document {
	return &graph.Document{
		Nodes: []graph.Node{
			{Label: graph.LabelNation, ID: "nation:BBB", Name: "Bravo", Code: "BBB"},
			{Label: graph.LabelNation, ID: "nation:AAA", Name: "Alpha", Code: "AAA"},
			{Label: graph.LabelAgency, ID: "agency:aaa-secret", Name: "Secret Service", Kind: "INTELLIGENCE", ReleasableTo: []string{"AAA"}},
			{Label: graph.LabelCapability, ID: "cap:isr", Name: "ISR"},
		},
		Relationships: []graph.Relationship{
			{Type: graph.RelProvides, From: "nation:BBB", To: "cap:isr"},
			{Type: graph.RelProvides, From: "agency:aaa-secret", To: "cap:isr"},
			{Type: graph.RelPartOf, From: "agency:aaa-secret", To: "nation:AAA"},
			{Type: graph.RelProvides, From: "nation:AAA", To: "cap:isr"},
			{Type: graph.RelProvides, From: "nation:AAA", To: "cap:gone"}, // dangling: dropped
		},
	}
}

var (
	admin = &graph.Viewer{Subject: "a", Role: graph.RoleAdmin}
	ofAAA = &graph.Viewer{Subject: "x", Role: graph.RoleViewer, Nation: "AAA"}
	ofBBB = &graph.Viewer{Subject: "y", Role: graph.RoleViewer, Nation: "BBB"}
)

func ids(edges []Edge) []string {
	out := make([]string, len(edges))
	for i, e := range edges {
		out[i] = e.Node.ID
	}
	return out
}

func TestGraphAppliesReleasabilityPerViewer(t *testing.T) {
	g := NewGraph("v1", fixture())
	if got, want := fmt.Sprint(ids(g.Related(ofAAA, "cap:isr", graph.RelProvides, graph.Incoming))), "[agency:aaa-secret nation:AAA nation:BBB]"; got != want {
		t.Fatalf("providers seen by AAA: %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(ids(g.Related(ofBBB, "cap:isr", graph.RelProvides, graph.Incoming))), "[nation:AAA nation:BBB]"; got != want {
		t.Fatalf("providers seen by BBB: %s, want %s", got, want)
	}
	if _, ok := g.Node(ofBBB, "agency:aaa-secret"); ok {
		t.Fatal("BBB's viewer sees a node releasable to AAA only")
	}
	if _, ok := g.Node(admin, "agency:aaa-secret"); !ok {
		t.Fatal("an administrator does not see every node")
	}
	p := g.Find(ofBBB, graph.NodeFilter{NameContains: "SERV", First: 10})
	if len(p.Nodes) != 0 || p.TotalCount != 0 {
		t.Fatalf("a name search reveals a hidden node: %+v", p)
	}
	doc := g.Document(ofBBB)
	if len(doc.Nodes) != 3 || len(doc.Relationships) != 2 {
		t.Fatalf("BBB's document: %d nodes, %d relationships, want 3 and 2", len(doc.Nodes), len(doc.Relationships))
	}
	if n, r := g.Counts(); n != 4 || r != 4 {
		t.Fatalf("counts %d, %d: the dangling relationship should be dropped", n, r)
	}
}

func TestFindPagesByIDWithTheTotalOfEveryMatch(t *testing.T) {
	g := NewGraph("v1", fixture())
	p := g.Find(admin, graph.NodeFilter{Label: graph.LabelNation, First: 1})
	if len(p.Nodes) != 1 || p.Nodes[0].ID != "nation:AAA" || !p.HasNextPage || p.TotalCount != 2 {
		t.Fatalf("first page: %+v", p)
	}
	p = g.Find(admin, graph.NodeFilter{Label: graph.LabelNation, First: 1, After: "nation:AAA"})
	if len(p.Nodes) != 1 || p.Nodes[0].ID != "nation:BBB" || p.HasNextPage || p.TotalCount != 2 {
		t.Fatalf("second page: %+v", p)
	}
	p = g.Find(admin, graph.NodeFilter{IDs: []string{"nation:BBB", "cap:isr", "nation:BBB", "absent"}, First: 10})
	if len(p.Nodes) != 2 || p.Nodes[0].ID != "cap:isr" || p.Nodes[1].ID != "nation:BBB" {
		t.Fatalf("by ids: %+v", p)
	}
}

func TestCacheReadsOncePerVersion(t *testing.T) {
	src := &source{}
	src.set("v1", fixture())
	c := New(src, 0)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Graph(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := src.reads.Load(); got != 1 {
		t.Fatalf("8 concurrent requests read the graph %d times, want 1", got)
	}
	if src.viewer == nil || !src.viewer.SeesAll() {
		t.Fatalf("the cache read the store as %+v, want a viewer that sees all", src.viewer)
	}
	src.set("v2", fixture())
	g, err := c.Graph(ctx)
	if err != nil || g.Version() != "v2" || src.reads.Load() != 2 {
		t.Fatalf("after a write: version %v, %d reads, %v", g.Version(), src.reads.Load(), err)
	}
}

func TestModelsAreSharedPerClassOfViewerAndDroppedWithTheirVersion(t *testing.T) {
	src := &source{}
	src.set("v1", fixture())
	c := New(src, 0)
	ctx := context.Background()
	g, _ := c.Graph(ctx)
	m1, _ := c.Model(ctx, g, ofAAA, "2027-01-01")
	m2, _ := c.Model(ctx, g, &graph.Viewer{Subject: "other", Nation: "AAA"}, "2027-01-01")
	if m1 != m2 {
		t.Fatal("two viewers of one nation got two models")
	}
	mb, _ := c.Model(ctx, g, ofBBB, "2027-01-01")
	if mb == m1 || mb.Nodes["agency:aaa-secret"] != nil {
		t.Fatal("BBB's model is AAA's, or holds a node hidden from BBB")
	}
	if s := c.Stats(); s.ModelBuilds != 2 || s.ModelHits != 1 {
		t.Fatalf("stats %+v, want 2 builds and 1 hit", s)
	}
	src.set("v2", fixture())
	if _, err := c.Graph(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(c.entries); got != 0 {
		t.Fatalf("%d models of the old version kept", got)
	}
}

func TestBudgetEvictsLeastRecentlyUsedModels(t *testing.T) {
	src := &source{}
	src.set("v1", fixture())
	g := NewGraph("v1", fixture())
	model := int64(4*modelNodeBytes + 4*modelRelBytes)
	c := New(src, g.Size()+2*model) // room for the graph and two models
	ctx := context.Background()
	g, _ = c.Graph(ctx)
	for _, d := range []graph.Date{"2027-01-01", "2028-01-01", "2027-01-01", "2029-01-01"} {
		if _, err := c.Model(ctx, g, admin, d); err != nil {
			t.Fatal(err)
		}
	}
	if c.Used() > c.Budget() {
		t.Fatalf("used %d bytes over a budget of %d", c.Used(), c.Budget())
	}
	if _, ok := c.entries[modelKey{"v1", "*", "2028-01-01"}]; ok {
		t.Fatal("the least recently used model (2028) was kept")
	}
	if _, ok := c.entries[modelKey{"v1", "*", "2027-01-01"}]; !ok {
		t.Fatal("a recently used model (2027) was evicted")
	}
}

func TestAbandonedBuildIsCancelledAndTheNextRequestStartsAnother(t *testing.T) {
	src := &source{gate: make(chan struct{})}
	src.set("v1", fixture())
	c := New(src, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Graph(ctx)
	if graph.ErrorCode(err) != graph.ETIMEOUT {
		t.Fatalf("a request past its deadline: %v, want TIMEOUT", err)
	}
	// The build saw its context end (the source returns then); wait for it to clear.
	for deadline := time.Now().Add(5 * time.Second); ; {
		c.mu.Lock()
		pending := c.pending
		c.mu.Unlock()
		if pending == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the abandoned build is still running")
		}
		time.Sleep(time.Millisecond)
	}
	src.mu.Lock()
	src.gate = nil
	src.mu.Unlock()
	g, err := c.Graph(context.Background())
	if err != nil || g == nil {
		t.Fatalf("the next request: %v", err)
	}
	if src.reads.Load() != 2 {
		t.Fatalf("%d reads, want 2 (the abandoned one and the next)", src.reads.Load())
	}
}

// stalling is a source whose Snapshot of version "v1" waits for release, while later
// versions read at once.
type stalling struct {
	source
	started, release chan struct{}
}

func (s *stalling) Snapshot(ctx context.Context) (*graph.Document, error) {
	s.mu.Lock()
	v := s.version
	s.mu.Unlock()
	if v == "v1" {
		close(s.started)
		<-s.release
	}
	return s.source.Snapshot(ctx)
}

func TestAnOvertakenBuildDoesNotReplaceTheNewerGraph(t *testing.T) {
	src := &stalling{started: make(chan struct{}), release: make(chan struct{})}
	src.set("v1", fixture())
	c := New(src, 0)
	old := make(chan *Graph)
	go func() {
		g, _ := c.Graph(context.Background())
		old <- g
	}()
	<-src.started // the v1 build is under way: now a write (v2), and a read of it
	src.set("v2", fixture())
	g2, err := c.Graph(context.Background())
	if err != nil || g2.Version() != "v2" {
		t.Fatalf("after the write: %v, %v", g2, err)
	}
	close(src.release)
	if g1 := <-old; g1.Version() != "v1" {
		t.Fatalf("the request that asked at v1 got %s", g1.Version())
	}
	c.mu.Lock()
	cur := c.cur.Version()
	c.mu.Unlock()
	if cur != "v2" {
		t.Fatalf("the overtaken v1 build replaced the current graph: now %s", cur)
	}
}
