package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"golang.org/x/sync/semaphore"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/metrics"
)

// Codes of the refusals made before any resolver runs (extensions.code). They belong to the
// edge, not to the domain, so they live here rather than in graph.
const (
	CodeQueryTooDeep          = "QUERY_TOO_DEEP"            // the selection nests deeper than Options.MaxDepth
	CodeComplexity            = "COMPLEXITY_LIMIT_EXCEEDED" // the estimated cost is above Options.MaxComplexity (gqlgen's code)
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"    // __schema or __type asked while Options.Introspection is off
	CodeRequestTooLarge       = "REQUEST_TOO_LARGE"         // the body is larger than Limits.MaxBodyBytes, or MaxImportBytes for an import (HTTP 413)
	CodeBusy                  = "SERVER_BUSY"               // no share of Limits.BodyBudgetBytes came free in time (HTTP 503)
	CodeRateLimited           = "RATE_LIMITED"              // the viewer's token bucket is empty (HTTP 429)
)

// Defaults of Options and Limits (docs/security.md, "Limits").
const (
	defaultMaxDepth          = 12
	defaultMaxComplexity     = 60000
	defaultListFanOut        = 5
	defaultMaxTokens         = 20000
	defaultMaxBodyBytes      = 1 << 20
	defaultMaxImportBytes    = 32 << 20
	defaultBodyWait          = 10 * time.Second
	defaultMaxVariableValues = 50000
	importBytesPerValue      = 8
	defaultBodyTimeout       = 30 * time.Second
	defaultImportBodyTimeout = 5 * time.Minute
	defaultRatePerSecond     = 20
	defaultRateBurst         = 60
	// How often idle rate buckets are forgotten.
	rateLimiterSweepInterval = time.Minute
)

// operationLimits refuses an operation that nests too deep or asks for introspection while it
// is off. It is a gqlgen OperationContextMutator: it runs after parsing and validation and
// before any resolver, so a refused operation never reaches Neo4j.
type operationLimits struct {
	maxDepth      int
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = operationLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (operationLimits) ExtensionName() string { return "OperationLimits" }

// Validate implements graphql.HandlerExtension.
func (operationLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (l operationLimits) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if op == nil {
		return nil
	}
	w := depthWalker{max: l.maxDepth, fragments: map[string]int{}}
	depth := w.selectionSet(op.SelectionSet)
	if !l.introspection && w.introspection {
		return refusal(CodeIntrospectionDisabled, "introspection is turned off on this server (__schema and __type are refused; __typename is allowed)")
	}
	if depth > l.maxDepth {
		return refusal(CodeQueryTooDeep, fmt.Sprintf("the query nests %s fields deep, above the limit of %d", depthText(depth, l.maxDepth), l.maxDepth))
	}
	return nil
}

func depthText(depth, limit int) string {
	if depth == math.MaxInt {
		return "more than " + strconv.Itoa(limit)
	}
	return strconv.Itoa(depth)
}

func refusal(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// depthWalker measures how deep a selection set nests fields. A fragment's depth does not
// depend on where it is spread, so it is measured once: a query that spreads fragments
// into fragments cannot make the walk exponential.
type depthWalker struct {
	max           int
	fragments     map[string]int // depth of each fragment measured; -1 while being measured
	introspection bool           // __schema or __type seen
}

func (w *depthWalker) selectionSet(set ast.SelectionSet) int {
	deepest := 0
	for _, s := range set {
		var d int
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				// Introspection reads the static schema, never Neo4j, and GraphiQL's own query
				// nests ofType past any sensible depth: it is governed by Options.Introspection.
				w.introspection = true
				d = 1
			} else {
				d = addDepth(1, w.selectionSet(s.SelectionSet))
			}
		case *ast.InlineFragment:
			d = w.selectionSet(s.SelectionSet)
		case *ast.FragmentSpread:
			d = w.fragment(s)
		}
		deepest = max(deepest, d)
		if deepest > w.max {
			// Deep enough to refuse: the rest of the query need not be walked.
			return deepest
		}
	}
	return deepest
}

func (w *depthWalker) fragment(s *ast.FragmentSpread) int {
	if d, seen := w.fragments[s.Name]; seen {
		if d < 0 {
			// A fragment cycle: validation refuses it before this runs, but an endless
			// query is infinitely deep if one ever gets through.
			return math.MaxInt
		}
		return d
	}
	if s.Definition == nil {
		return 0
	}
	w.fragments[s.Name] = -1
	d := w.selectionSet(s.Definition.SelectionSet)
	w.fragments[s.Name] = d
	return d
}

func addDepth(a, b int) int {
	if b == math.MaxInt {
		return b
	}
	return a + b
}

// costLimit refuses an operation whose estimated cost is above max. It computes what
// gqlgen's complexity.Calculate computes (each field 1 plus its selection, or the schema's
// Complexity for it; a fragment spread adds its fragment's cost each time it is spread) but
// measures each fragment once: gqlgen walks a fragment again at every spread, so a chain of
// fragments that each spread the previous one twice took time exponential in its length.
// It also stops at the request deadline, which a pathological document cannot outlive.
type costLimit struct {
	max     int
	timeout time.Duration
	es      graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

// ExtensionName implements graphql.HandlerExtension. It is gqlgen's name, so that
// extension.GetComplexityStats keeps reading the figures.
func (*costLimit) ExtensionName() string { return "ComplexityLimit" }

// Validate implements graphql.HandlerExtension.
func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (c *costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	if op == nil {
		return nil
	}
	w := costWalker{es: c.es, schema: c.es.Schema(), vars: opCtx.Variables, fragments: map[string]int{},
		ctx: ctx, deadline: time.Now().Add(c.timeout)}
	cost := w.selectionSet(op.SelectionSet)
	if w.expired {
		return refusal(graph.ETIMEOUT, fmt.Sprintf("estimating the query's cost ran past the deadline (%s)", c.timeout))
	}
	opCtx.Stats.SetExtension(c.ExtensionName(), &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.max})
	if cost > c.max {
		return refusal(CodeComplexity, fmt.Sprintf("operation has complexity %d, which exceeds the limit of %d", cost, c.max))
	}
	return nil
}

// costWalker is complexity.Calculate's walk with a memo of fragment costs. A fragment's
// cost does not depend on where it is spread: its fields' parent types come from its type
// condition, and the variables are the operation's.
type costWalker struct {
	es        graphql.ExecutableSchema
	schema    *ast.Schema
	vars      map[string]any
	fragments map[string]int // cost of each fragment measured

	ctx      context.Context
	deadline time.Time
	steps    int
	expired  bool
}

// costCheckEvery is how many fields the walk visits between looks at the clock.
const costCheckEvery = 1024

func (w *costWalker) selectionSet(set ast.SelectionSet) int {
	cost := 0
	for _, s := range set {
		if w.expired {
			return cost
		}
		switch s := s.(type) {
		case *ast.Field:
			cost = addCost(cost, w.field(s))
		case *ast.FragmentSpread:
			cost = addCost(cost, w.fragment(s))
		case *ast.InlineFragment:
			cost = addCost(cost, w.selectionSet(s.SelectionSet))
		}
	}
	return cost
}

func (w *costWalker) field(f *ast.Field) int {
	if w.steps++; w.steps%costCheckEvery == 0 && (w.ctx.Err() != nil || time.Now().After(w.deadline)) {
		w.expired = true
		return 0
	}
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 0
	}
	def := w.schema.Types[f.Definition.Type.Name()]
	if def == nil || def.Name == "__Schema" {
		return 0
	}
	child := 0
	switch def.Kind {
	case ast.Object, ast.Interface, ast.Union:
		child = w.selectionSet(f.SelectionSet)
	}
	args := f.ArgumentMap(w.vars)
	if f.ObjectDefinition.Kind != ast.Interface {
		return w.fieldCost(f.ObjectDefinition, def.Kind, f.Name, child, args)
	}
	// An interface's field costs what it costs on its most expensive implementation.
	worst := 0
	for _, t := range w.schema.GetPossibleTypes(f.ObjectDefinition) {
		worst = max(worst, w.fieldCost(t, def.Kind, f.Name, child, args))
	}
	return worst
}

func (w *costWalker) fieldCost(parent *ast.Definition, kind ast.DefinitionKind, field string, child int, args map[string]any) int {
	if c, ok := w.es.Complexity(w.ctx, parent.Name, field, child, args); ok && c >= 1 {
		return c
	}
	return addCost(1, child)
}

func (w *costWalker) fragment(s *ast.FragmentSpread) int {
	if c, seen := w.fragments[s.Name]; seen {
		return c
	}
	if s.Definition == nil {
		return 0
	}
	// Validation refuses fragment cycles before this runs; were one to get through, its
	// second visit costs 0 rather than recursing for ever.
	w.fragments[s.Name] = 0
	c := w.selectionSet(s.Definition.SelectionSet)
	if !w.expired {
		w.fragments[s.Name] = c
	}
	return c
}

// addCost is gqlgen's saturating addition of costs: negative operands are ignored and a
// sum past math.MaxInt stays there, so that no query can wrap its cost round to a small one.
func addCost(a, b int) int {
	switch {
	case a < 0 && b < 0:
		return 1
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return addSat(a, b)
}

// fanOutSchema counts every list field of the schema as fanOut times its selection, so that
// a query that nests traversals (agencies { provides { capability { providers ... } } }) or
// analysis lists costs what it may return. It is driven by the schema rather than a line per
// field in complexity(), so a list field added later is counted without anyone remembering to.
// Fields with their own complexity function (the connections, counted by their page size)
// keep it; the lists inside a connection (edges, nodes) are that page, not counted again.
type fanOutSchema struct {
	graphql.ExecutableSchema
	fanOut int
}

// Complexity implements graphql.ExecutableSchema.
func (s fanOutSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if c, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return c, ok
	}
	if strings.HasPrefix(typeName, "__") || strings.HasSuffix(typeName, "Connection") {
		return 0, false
	}
	def := s.Schema().Types[typeName]
	if def == nil {
		return 0, false
	}
	f := def.Fields.ForName(field)
	if f == nil || f.Type.Elem == nil {
		return 0, false
	}
	cost := max(child, 1)
	for t := f.Type; t.Elem != nil; t = t.Elem {
		// A list of lists (coalitions' communities) fans out once per level.
		cost = mulSat(cost, s.fanOut)
	}
	return addSat(1, cost), true
}

func mulSat(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

func addSat(a, b int) int {
	if b > math.MaxInt-a {
		return math.MaxInt
	}
	return a + b
}

// Limits bound what one HTTP request to the API may cost before GraphQL sees it.
type Limits struct {
	// MaxBodyBytes bounds the body of an ordinary request; a larger one is refused with HTTP
	// 413. Zero means 1 MiB.
	MaxBodyBytes int64
	// MaxImportBytes bounds the body of an importGraph request, which carries a whole
	// document: only a viewer who may import (an administrator) may send more than
	// MaxBodyBytes, and only for an operation that does nothing but importGraph. Zero means
	// 32 MiB; it is never below MaxBodyBytes.
	MaxImportBytes int64
	// BodyBudgetBytes bounds the bytes of request bodies held at once, across all requests,
	// from the first byte read until the response is written: decoding a JSON body takes
	// up to about 20 times its size, so this bounds the memory requests may take. A request
	// waits up to BodyWait for its share, then is refused with 503 SERVER_BUSY. Zero means
	// MaxImportBytes + 8 × MaxBodyBytes (40 MiB by default); it is never below MaxImportBytes.
	BodyBudgetBytes int64
	// BodyWait is how long a request waits for its share of BodyBudgetBytes. Zero means 10 s.
	BodyWait time.Duration
	// MaxVariableValues bounds the JSON values in an ordinary request's variables (every
	// scalar, array and object counts one): decoding takes about 100 bytes a value however
	// few bytes it was sent in (a long array of zeros, 2 bytes a value, grows 50 times), so
	// the byte limits alone do not bound memory. An import may hold one value per 8 bytes
	// of MaxImportBytes. Zero means 50,000.
	MaxVariableValues int
	// BodyTimeout is how long a client may take to send a body of up to MaxBodyBytes, from
	// when the handler starts reading it; ImportBodyTimeout how long for a larger (import)
	// body. A body that has not arrived by then (a slow sender, or one shorter than its
	// Content-Length) is refused with 400 and its connection closed. Zero means 30 s and
	// 5 min.
	BodyTimeout       time.Duration
	ImportBodyTimeout time.Duration
	// ResponseTimeout, when set, is how long the response may take once the body is read:
	// the connection's write deadline is moved there, so that a slow import does not eat
	// into the server's WriteTimeout.
	ResponseTimeout time.Duration
	// RatePerSecond is how many requests a second each viewer (token subject) may make on
	// average; Burst how many it may make at once. Zero means 20 and 60; a negative
	// RatePerSecond turns rate limiting off. Requests without authentication are not limited.
	RatePerSecond float64
	Burst         int
}

// withDefaults fills in the zero fields and orders the byte limits.
func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = defaultMaxBodyBytes
	}
	if l.MaxImportBytes <= 0 {
		l.MaxImportBytes = defaultMaxImportBytes
	}
	l.MaxImportBytes = max(l.MaxImportBytes, l.MaxBodyBytes)
	if l.BodyBudgetBytes <= 0 {
		l.BodyBudgetBytes = l.MaxImportBytes + 8*l.MaxBodyBytes
	}
	l.BodyBudgetBytes = max(l.BodyBudgetBytes, l.MaxImportBytes)
	if l.BodyWait <= 0 {
		l.BodyWait = defaultBodyWait
	}
	if l.MaxVariableValues <= 0 {
		l.MaxVariableValues = defaultMaxVariableValues
	}
	if l.BodyTimeout <= 0 {
		l.BodyTimeout = defaultBodyTimeout
	}
	if l.ImportBodyTimeout <= 0 {
		l.ImportBodyTimeout = defaultImportBodyTimeout
	}
	if l.RatePerSecond == 0 {
		l.RatePerSecond = defaultRatePerSecond
	}
	if l.Burst <= 0 {
		l.Burst = defaultRateBurst
	}
	return l
}

// Limit wraps the API handler h with the HTTP-level limits: the body size, the memory all
// bodies may hold at once, and a per-viewer rate. It must run inside the authentication
// middleware, which puts the viewer in the request's context: the rate is kept per
// graph.ViewerFrom(ctx).Subject, and only an administrator may send an import.
func Limit(h http.Handler, l Limits) http.Handler {
	l = l.withDefaults()
	var rl *rateLimiter
	if l.RatePerSecond > 0 {
		rl = newRateLimiter(l.RatePerSecond, l.Burst, time.Now)
	}
	budget := semaphore.NewWeighted(l.BodyBudgetBytes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The open server's one viewer (graph.LocalViewer, loopback only) is not limited: all
		// its callers are on this machine and share the subject "local", so a limit would only
		// make a script, the explorer and GraphiQL starve one another (docs/security.md).
		viewer := graph.ViewerFrom(r.Context())
		if rl != nil && viewer != graph.LocalViewer {
			if wait, ok := rl.allow(viewer.Subject); !ok {
				metrics.RateLimited.Inc()
				secs := max(1, int(math.Ceil(wait.Seconds())))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				writeRefusal(w, http.StatusTooManyRequests, CodeRateLimited,
					fmt.Sprintf("too many requests: the limit is %g a second (bursts of %d); retry in %d s", l.RatePerSecond, l.Burst, secs))
				return
			}
		}
		if r.Method == http.MethodGet {
			// A GET carries its variables in the URL (up to the server's 1 MiB of headers),
			// which gqlgen decodes as it decodes a body's.
			for _, name := range []string{"variables", "extensions"} {
				var o jsonObject
				if v := r.URL.Query().Get(name); v != "" && json.Unmarshal([]byte(v), &o) == nil && o.values > l.MaxVariableValues {
					writeRefusal(w, http.StatusRequestEntityTooLarge, CodeRequestTooLarge, fmt.Sprintf(
						"the request's %s hold more than %d JSON values (the serve flag -max-variable-values raises it)", name, l.MaxVariableValues))
					return
				}
			}
		}
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		mayImport := viewer.Role.AtLeast(graph.RoleAdmin)
		limit := l.MaxBodyBytes
		if mayImport {
			limit = l.MaxImportBytes
		}
		if r.ContentLength > limit {
			tooLarge(w, l, mayImport)
			return
		}
		b := &bodyReader{w: w, r: r, l: l, budget: budget}
		defer b.release()
		body, status := b.read(limit)
		switch status {
		case bodyTooLarge:
			tooLarge(w, l, mayImport)
			return
		case bodyBusy:
			w.Header().Set("Retry-After", "1")
			writeRefusal(w, http.StatusServiceUnavailable, CodeBusy,
				"the server is reading as many request bodies as its memory budget allows (-body-budget); retry shortly")
			return
		case bodyUnreadable:
			writeRefusal(w, http.StatusBadRequest, graph.EINVALID, "the request body could not be read in full (it ended early, or was sent too slowly)")
			return
		}
		p, err := peekParams(body)
		if err != nil {
			// gqlgen would answer this with the whole body quoted back: say what is wrong
			// without echoing the request.
			writeRefusal(w, http.StatusBadRequest, graph.EINVALID, "the request body is not a GraphQL request in JSON: "+err.Error())
			return
		}
		isImport := mayImport && p.importsOnly()
		if int64(len(body)) > l.MaxBodyBytes && !isImport {
			writeRefusal(w, http.StatusRequestEntityTooLarge, CodeRequestTooLarge, fmt.Sprintf(
				"the request body is larger than the limit of %d bytes (-max-body); only an importGraph request may be larger, up to %d bytes (-max-import-body)",
				l.MaxBodyBytes, l.MaxImportBytes))
			return
		}
		maxValues := l.MaxVariableValues
		if isImport {
			maxValues = max(maxValues, int(l.MaxImportBytes/importBytesPerValue))
		}
		if max(p.Variables.values, p.Extensions.values) > maxValues {
			writeRefusal(w, http.StatusRequestEntityTooLarge, CodeRequestTooLarge, fmt.Sprintf(
				"the request's variables hold more than %d JSON values (the serve flag -max-variable-values raises it for requests other than importGraph)", maxValues))
			return
		}
		if l.ResponseTimeout > 0 {
			_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(l.ResponseTimeout))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// bodyStatus is how reading a body ended.
type bodyStatus int

const (
	bodyRead       bodyStatus = iota
	bodyTooLarge              // more than the limit
	bodyBusy                  // no share of the budget within BodyWait
	bodyUnreadable            // the client stopped sending, or the read deadline passed
)

// bodyReader reads one request body holding a share of the body budget, which it keeps
// until release (after the response: the decoded request lives as long as the handler).
type bodyReader struct {
	w      http.ResponseWriter
	r      *http.Request
	l      Limits
	budget *semaphore.Weighted
	held   int64
}

// acquire holds n bytes of the budget in all, waiting up to BodyWait. It never waits while
// holding a share, so two requests cannot each hold part of the budget waiting for the rest.
func (b *bodyReader) acquire(n int64) bool {
	if n <= b.held {
		return true
	}
	if b.budget.TryAcquire(n - b.held) {
		b.held = n
		return true
	}
	b.release()
	ctx, cancel := context.WithTimeout(b.r.Context(), b.l.BodyWait)
	defer cancel()
	if b.budget.Acquire(ctx, n) != nil {
		return false
	}
	b.held = n
	return true
}

func (b *bodyReader) release() {
	if b.held > 0 {
		b.budget.Release(b.held)
		b.held = 0
	}
}

// read reads the body whole, up to limit bytes. It holds the declared length of the body,
// or MaxBodyBytes when none is declared, and more only when the body turns out larger.
func (b *bodyReader) read(limit int64) ([]byte, bodyStatus) {
	want := b.l.MaxBodyBytes
	if b.r.ContentLength >= 0 {
		want = b.r.ContentLength
	}
	want = min(want, limit)
	if !b.acquire(want) {
		return nil, bodyBusy
	}
	// The deadline runs from here, not from the request's start, so that waiting for the
	// budget does not count against the client. (A ResponseRecorder has no deadlines.)
	rc := http.NewResponseController(b.w)
	start := time.Now()
	timeout := b.l.BodyTimeout
	if want > b.l.MaxBodyBytes {
		timeout = b.l.ImportBodyTimeout // a declared import
	}
	_ = rc.SetReadDeadline(start.Add(timeout))
	// One more byte than held tells a body that is longer than it said.
	in := http.MaxBytesReader(b.w, b.r.Body, limit)
	buf := bytes.NewBuffer(make([]byte, 0, want+1))
	if _, err := io.CopyN(buf, in, want+1); err != nil && !errors.Is(err, io.EOF) {
		return nil, readFailure(err)
	}
	if int64(buf.Len()) > want {
		// Larger than declared, or than MaxBodyBytes without a declaration: it may still be
		// an import, up to limit.
		if !b.acquire(limit) {
			return nil, bodyBusy
		}
		_ = rc.SetReadDeadline(start.Add(b.l.ImportBodyTimeout))
		if _, err := io.Copy(buf, in); err != nil {
			return nil, readFailure(err)
		}
	}
	// Past the body, a read deadline would cancel the request's context mid-answer (the
	// server reads on in the background to notice a client hanging up).
	_ = rc.SetReadDeadline(time.Time{})
	return buf.Bytes(), bodyRead
}

func readFailure(err error) bodyStatus {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyTooLarge
	}
	return bodyUnreadable
}

// params are the members of a GraphQL request body that the limits look at. Decoding into
// it checks the body is what gqlgen will decode (whose own error would quote the body
// back); the variables are only checked to be an object, not decoded.
type params struct {
	Query         string     `json:"query"`
	OperationName string     `json:"operationName"`
	Variables     jsonObject `json:"variables"`
	Extensions    jsonObject `json:"extensions"`
}

// jsonObject accepts a JSON object or null without decoding it, and counts its values.
type jsonObject struct {
	values int
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *jsonObject) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		return nil
	case len(b) == 0 || b[0] != '{':
		return errors.New("variables and extensions must be JSON objects")
	}
	o.values = countValues(b)
	return nil
}

// countValues bounds from above the values in b, well-formed JSON (encoding/json checked
// it before handing it over): one for the outer value, and one for each element after a
// comma or an opening bracket. It allocates nothing, unlike decoding to count.
func countValues(b []byte) int {
	n := 1
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',' || c == '[' || c == '{':
			n++
		}
	}
	return n
}

func peekParams(body []byte) (params, error) {
	var p params
	err := json.Unmarshal(body, &p)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return p, fmt.Errorf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return p, fmt.Errorf("%q must be a JSON %s", te.Field, te.Type)
	case err != nil:
		return p, errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return p, nil
}

// importsOnly reports whether the operation the request runs is a mutation that selects
// nothing but importGraph (and __typename).
func (p params) importsOnly() bool {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, defaultMaxTokens)
	if err != nil {
		return false
	}
	var op *ast.OperationDefinition
	switch {
	case p.OperationName != "":
		op = doc.Operations.ForName(p.OperationName)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	if op == nil || op.Operation != ast.Mutation || len(op.SelectionSet) == 0 {
		return false
	}
	for _, s := range op.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok || f.Name != "importGraph" && f.Name != "__typename" {
			return false
		}
	}
	return true
}

func tooLarge(w http.ResponseWriter, l Limits, mayImport bool) {
	msg := fmt.Sprintf("the request body is larger than the limit of %d bytes (the serve flag -max-body raises it; only an administrator's importGraph may send up to -max-import-body)", l.MaxBodyBytes)
	if mayImport {
		msg = fmt.Sprintf("the request body is larger than the limit of %d bytes for an importGraph request (the serve flag -max-import-body raises it; other requests are bounded by -max-body, %d bytes)", l.MaxImportBytes, l.MaxBodyBytes)
	}
	writeRefusal(w, http.StatusRequestEntityTooLarge, CodeRequestTooLarge, msg)
}

// writeRefusal answers in the shape of a GraphQL response, so that clients read the refusal
// where they read every other error. The message never quotes the request.
func writeRefusal(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []*gqlerror.Error{refusal(code, msg)}})
}

// rateLimiter is a token bucket per key: each holds up to burst tokens, refilled at rate a
// second; a request takes one.
type rateLimiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

func newRateLimiter(rate float64, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}, lastSweep: now()}
}

// allow takes a token from key's bucket; when there is none it says how long until there is.
func (l *rateLimiter) allow(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = l.level(b, now)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

func (l *rateLimiter) level(b *bucket, now time.Time) float64 {
	return min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
}

// sweep forgets the buckets that have refilled: a full bucket is the same as none, and
// without forgetting, every subject ever seen would be kept for the life of the process.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < rateLimiterSweepInterval {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if l.level(b, now) >= l.burst {
			delete(l.buckets, k)
		}
	}
}
