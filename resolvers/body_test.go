package resolvers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// zeros is a GraphQL request whose variable is a JSON array of n zeros: about 2n bytes,
// and about 20 times that once decoded.
func zeros(query string, n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"query": %q, "variables": {"d": [0`, query)
	b.WriteString(strings.Repeat(",0", n-1))
	b.WriteString("]}}")
	return b.Bytes()
}

// padded is a GraphQL request whose variable is one string of n bytes.
func padded(query string, n int) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"d": strings.Repeat("x", n)}})
	return b
}

// Eight viewers sending large bodies at once, declared or not: each is refused with 413
// after at most the limit has been read, so none is held, let alone decoded.
func TestConcurrentLargeBodiesAreRefusedUnread(t *testing.T) {
	const limit = 64 << 10
	called := atomic.Int64{}
	h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called.Add(1) }),
		resolvers.Limits{MaxBodyBytes: limit, RatePerSecond: -1})
	body := zeros(`query($d: JSON) { nations { totalCount } }`, 4<<20) // 8 MiB
	viewer := &graph.Viewer{Subject: "v", Role: graph.RoleViewer}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := &countingReader{r: bytes.NewReader(body)}
			length := int64(-1) // chunked: the size is learned by reading
			if i%2 == 0 {
				length = int64(len(body))
			}
			rec := post(h, viewer, in, length)
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("request %d: status=%d, want 413: %s", i, rec.Code, rec.Body)
			}
			if rec.Body.Len() > 1024 {
				t.Errorf("request %d: the refusal is %d bytes: it must not quote the request", i, rec.Body.Len())
			}
			if got := in.n.Load(); got > limit+64<<10 {
				t.Errorf("request %d: %d bytes read for a limit of %d", i, got, limit)
			}
		}()
	}
	wg.Wait()
	if called.Load() != 0 {
		t.Fatalf("%d oversized requests reached the API", called.Load())
	}
}

// Imports larger than the budget leaves room for two of are served one at a time; a
// request that finds no room within BodyWait is refused with 503.
func TestBodyBudgetBoundsWhatRequestsHold(t *testing.T) {
	const importLimit = 1 << 20
	var inFlight, peak, served atomic.Int64
	release := make(chan struct{})
	h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		now := inFlight.Add(int64(len(b)))
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		<-release
		inFlight.Add(-int64(len(b)))
		served.Add(1)
	}), resolvers.Limits{MaxBodyBytes: 1024, MaxImportBytes: importLimit, BodyBudgetBytes: importLimit, BodyWait: time.Minute, RatePerSecond: -1})
	body := padded(`mutation($d: JSON!) { importGraph(document: $d) { nodes } }`, 600<<10)
	var wg sync.WaitGroup
	const n = 6
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			length := int64(-1)
			if i%2 == 0 {
				length = int64(len(body))
			}
			if rec := post(h, graph.LocalViewer, bytes.NewReader(body), length); rec.Code != http.StatusOK {
				t.Errorf("import %d: status=%d: %s", i, rec.Code, rec.Body)
			}
		}()
	}
	for i := range n {
		select {
		case release <- struct{}{}:
		case <-time.After(time.Minute):
			t.Fatalf("only %d of %d imports reached the API", i, n)
		}
	}
	wg.Wait()
	if got := served.Load(); got != n {
		t.Fatalf("%d imports served, want %d", got, n)
	}
	if got := peak.Load(); got > importLimit {
		t.Fatalf("requests held %d bytes at once, above the budget of %d", got, importLimit)
	}

	t.Run("no room within BodyWait is 503 SERVER_BUSY", func(t *testing.T) {
		held := make(chan struct{})
		h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			held <- struct{}{}
			<-held
		}), resolvers.Limits{MaxBodyBytes: 1024, MaxImportBytes: importLimit, BodyBudgetBytes: importLimit, BodyWait: 20 * time.Millisecond, RatePerSecond: -1})
		done := make(chan struct{})
		go func() {
			defer close(done)
			post(h, graph.LocalViewer, bytes.NewReader(body), int64(len(body)))
		}()
		<-held // the first import holds 600 KiB of the 1 MiB budget
		rec := post(h, graph.LocalViewer, bytes.NewReader(body), int64(len(body)))
		held <- struct{}{}
		<-done
		refusedWith(t, rec, http.StatusServiceUnavailable, resolvers.CodeBusy)
		if rec.Header().Get("Retry-After") == "" {
			t.Fatal("a busy refusal without Retry-After")
		}
		// A small request still fits beside the held import.
		h2 := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), resolvers.Limits{RatePerSecond: -1})
		if rec := post(h2, graph.LocalViewer, strings.NewReader(`{"query":"{ __typename }"}`), -1); rec.Code != http.StatusOK {
			t.Fatalf("a small request answered %d", rec.Code)
		}
	})
}

// BenchmarkConcurrentLargeBodies sends eight 31 MiB bodies at once through the real handler
// with the default limits, as a viewer (any query) and as an administrator (importGraph of
// an array, which gqlgen decodes and the resolver refuses), and prints the peak heap. Before
// the limits, eight such bodies took the server to 6.6 GB RSS.
func BenchmarkConcurrentLargeBodies(b *testing.B) {
	h := resolvers.Limit(resolvers.NewHandler(&resolvers.Resolver{}, resolvers.Options{}), resolvers.Limits{RatePerSecond: -1})
	cases := []struct {
		name    string
		viewer  *graph.Viewer
		query   string
		n       int
		clients int
	}{
		{"viewer-31MiB", &graph.Viewer{Subject: "v", Role: graph.RoleViewer}, `query($d: JSON) { nations { totalCount } }`, 31 << 19, 8},
		{"viewer-1MiB", &graph.Viewer{Subject: "v", Role: graph.RoleViewer}, `query($d: JSON) { nations { totalCount } }`, 1<<19 - 64, 40},
		{"admin-import-31MiB", graph.LocalViewer, `mutation($d: JSON!) { importGraph(document: $d) { nodes } }`, 31 << 19, 8},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			body := zeros(c.query, c.n)
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			statuses := map[int]int{}
			var mu sync.Mutex
			for range b.N {
				var wg sync.WaitGroup
				for range c.clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						rec := post(h, c.viewer, bytes.NewReader(body), int64(len(body)))
						var r struct {
							Errors []struct{ Extensions map[string]any }
						}
						_ = json.Unmarshal(rec.Body.Bytes(), &r)
						mu.Lock()
						statuses[rec.Code]++
						mu.Unlock()
					}()
				}
				wg.Wait()
			}
			close(stop)
			<-sampled
			b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "peak-heap-MiB")
			b.Logf("%s: body %.1f MiB ×%d, statuses %v, peak heap above the start %.0f MiB", c.name,
				float64(len(body))/(1<<20), c.clients, statuses, float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20))
		})
	}
}

// Variables with more values than the limit are refused before gqlgen decodes them; an
// import may hold one value per 8 bytes of its limit.
func TestVariableValuesAreBounded(t *testing.T) {
	called := atomic.Int64{}
	h := resolvers.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called.Add(1) }),
		resolvers.Limits{MaxBodyBytes: 1 << 20, MaxImportBytes: 4 << 20, MaxVariableValues: 1000, RatePerSecond: -1})
	viewer := &graph.Viewer{Subject: "v", Role: graph.RoleViewer}
	query := `query($d: JSON) { nations { totalCount } }`
	// {"d": [0 × n]} is n + 2 values.
	if rec := post(h, viewer, bytes.NewReader(zeros(query, 998)), -1); rec.Code != http.StatusOK {
		t.Fatalf("1000 values answered %d: %s", rec.Code, rec.Body)
	}
	e := refusedWith(t, post(h, viewer, bytes.NewReader(zeros(query, 999)), -1), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	if !strings.Contains(e.Message, "1000 JSON values") || !strings.Contains(e.Message, "-max-variable-values") {
		t.Fatalf("message %q does not say the limit and how to raise it", e.Message)
	}
	imp := `mutation($d: JSON!) { importGraph(document: $d) { nodes } }`
	if rec := post(h, graph.LocalViewer, bytes.NewReader(zeros(imp, 100000)), -1); rec.Code != http.StatusOK {
		t.Fatalf("an import of 100,002 values (limit 4 MiB / 8) answered %d: %s", rec.Code, rec.Body)
	}
	refusedWith(t, post(h, graph.LocalViewer, bytes.NewReader(zeros(imp, 600000)), -1), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	// The same import body from someone who may not import is held to the ordinary limit.
	refusedWith(t, post(h, viewer, bytes.NewReader(zeros(imp, 100000)), -1), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	t.Run("in a GET's URL", func(t *testing.T) {
		get := func(vars string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(query)+"&variables="+url.QueryEscape(vars), nil)
			req = req.WithContext(graph.WithViewer(req.Context(), viewer))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		list := func(n int) string { return `{"d": [0` + strings.Repeat(",0", n-1) + `]}` }
		if rec := get(list(998)); rec.Code != http.StatusOK {
			t.Fatalf("1000 values answered %d: %s", rec.Code, rec.Body)
		}
		refusedWith(t, get(list(999)), http.StatusRequestEntityTooLarge, resolvers.CodeRequestTooLarge)
	})
	if got := called.Load(); got != 3 {
		t.Fatalf("the API was called %d times, want 3", got)
	}
}
