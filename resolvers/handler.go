package resolvers

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/snapshot"
	"github.com/stakegraph/stakegraph/resolvers/generated"
)

// Options tune the GraphQL handler.
type Options struct {
	// Timeout bounds every operation; the Neo4j transaction and any analysis are cancelled
	// when it passes. Zero means 30 s.
	Timeout time.Duration
	// MaxComplexity bounds the estimated cost of a query: each field 1, a connection's
	// selection times its page size, any other list's times ListFanOut. Zero means 60000.
	MaxComplexity int
	// ListFanOut is how many items a list field (a traversal or an analysis list) is
	// assumed to hold when estimating cost. Zero means 5.
	ListFanOut int
	// MaxDepth bounds how deeply fields nest (fragments included). Zero means 12.
	MaxDepth int
	// MaxTokens bounds the lexical tokens of a query, so that a huge query text is refused
	// before validation spends time on it. Zero means 20000; pass large importGraph
	// documents as a variable, which is not tokenized.
	MaxTokens int
	// Introspection allows schema introspection (the IDE needs it); without it __schema and
	// __type are refused with INTROSPECTION_DISABLED.
	Introspection bool
	// SnapshotBudget bounds the memory of the in-memory snapshot and the analysis
	// projections (snapshot.DefaultBudget when zero); used when r.Snapshots is unset.
	SnapshotBudget int64
	// PersistedQueries is how many automatic persisted queries (a client sends a query's
	// SHA-256 instead of its text) are kept, least recently used first out. Zero means 1000;
	// negative turns them off.
	PersistedQueries int
	// NoFastPath runs every operation through gqlgen's executor, the fast read path
	// (fast.go) off: for the test that compares the two, and as a way out.
	NoFastPath bool
}

// NewHandler builds the GraphQL HTTP handler explicitly: POST and GET transports, the
// error presenter that turns coded domain errors into extensions.code, panic recovery,
// a per-operation deadline, traversal batching and a round-trip count in the response
// extensions.
func NewHandler(r *Resolver, opts Options) *handler.Server {
	opts = opts.withDefaults()
	if r.Snapshots == nil {
		r.Snapshots = snapshot.New(r.Store, opts.SnapshotBudget)
	}
	cfg := generated.Config{Resolvers: r, Directives: directives()}
	cfg.Complexity = complexity(opts.ListFanOut)
	srv := handler.New(fanOutSchema{generated.NewExecutableSchema(cfg), opts.ListFanOut})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.PersistedQueries > 0 {
		srv.Use(extension.AutomaticPersistedQuery{Cache: persistedQueries{lru.New[string](opts.PersistedQueries)}})
	}
	srv.Use(requireQuery{}) // after APQ, which may fill the query in
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.SetParserTokenLimit(opts.MaxTokens)
	// Both refuse an operation after validation and before any resolver runs, so a
	// refused query never reaches Neo4j; the cheap walk first.
	srv.Use(operationLimits{maxDepth: opts.MaxDepth, introspection: opts.Introspection})
	srv.Use(&costLimit{max: opts.MaxComplexity, timeout: opts.Timeout})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		ctx = withObserved(graph.WithRoundTrips(withLoader(ctx, r.snapshots())))
		h := fastOrNext(ctx, r, opts, next)
		return func(ctx2 context.Context) *graphql.Response {
			resp := h(ctx)
			if resp == nil && ctx.Err() != nil {
				// gqlgen gives up silently on an expired context; say why.
				resp = &graphql.Response{Errors: gqlerror.List{presentError(ctx,
					graph.Errorf(graph.ETIMEOUT, "", "the request ran past its deadline (%s) and was cancelled", opts.Timeout))}}
			}
			if resp == nil {
				cancel()
				return nil
			}
			if resp.Extensions == nil {
				resp.Extensions = map[string]any{}
			}
			resp.Extensions["roundTrips"] = graph.RoundTrips(ctx)
			cancel()
			// One line per operation, beside the HTTP access line: what was asked, by whom,
			// and what it cost the database.
			op := graphql.GetOperationContext(ctx)
			v := graph.ViewerFrom(ctx)
			zerolog.Ctx(ctx).Info().Str("operation", op.OperationName).Str("subject", v.Subject).
				Int64("round_trips", graph.RoundTrips(ctx)).Int("errors", len(resp.Errors)).
				Dur("duration", time.Since(op.Stats.OperationStart)).Msg("graphql")
			observe(ctx, resp)
			return resp
		}
	})
	srv.AroundResponses(observeResponse)
	// A mutation's root fields run one after another, each with its selection: the fields
	// read after a write must see it.
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		if graphql.GetOperationContext(ctx).Operation.Operation == ast.Mutation {
			r.loader(ctx).wrote()
		}
		return next(ctx)
	})
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		zerolog.Ctx(ctx).Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("recovered from panic")
		return graph.Errorf(graph.EINTERNAL, "", "internal error")
	})
	return srv
}

// fastOrNext answers the operation on the fast read path (fast.go) when it can, and
// through gqlgen's executor otherwise.
func fastOrNext(ctx context.Context, r *Resolver, opts Options, next graphql.OperationHandler) graphql.ResponseHandler {
	if !opts.NoFastPath {
		if data, ok := r.fastRead(ctx, graphql.GetOperationContext(ctx)); ok {
			var sent bool
			return func(context.Context) *graphql.Response {
				if sent {
					return nil
				}
				sent = true
				return &graphql.Response{Data: data}
			}
		}
	}
	return next(ctx)
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = defaultMaxComplexity
	}
	if o.ListFanOut == 0 {
		o.ListFanOut = defaultListFanOut
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = defaultMaxDepth
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = defaultMaxTokens
	}
	if o.PersistedQueries == 0 {
		o.PersistedQueries = defaultPersistedQueries
	}
	return o
}

// presentError shows a coded domain error as its message with extensions.code (and
// .field when there is one). Internal errors are logged with detail and shown plainly.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var e *graph.Error
	if !errors.As(err, &e) {
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Err == nil {
			// gqlgen's own errors (parsing, validation, argument coercion).
			return gqlgenError(ctx, gerr)
		}
		zerolog.Ctx(ctx).Error().Err(err).Str("path", gerr.Path.String()).Msg("internal error")
		gerr.Message = "internal error"
		gerr.Extensions = map[string]any{"code": graph.EINTERNAL}
		return gerr
	}
	if e.Code == graph.EINTERNAL {
		zerolog.Ctx(ctx).Error().Err(err).Str("path", gerr.Path.String()).Msg("internal error")
	}
	gerr.Message = e.Error()
	gerr.Extensions = map[string]any{"code": e.Code}
	if e.Outcome != "" {
		gerr.Extensions["outcome"] = e.Outcome
	}
	switch {
	case e.Field != "":
		gerr.Extensions["field"] = e.Field
	case e.Code == graph.EINVALID && len(gerr.Path) > 0:
		// A scalar that refused its input value: gqlgen's path names the argument.
		gerr.Extensions["field"] = gerr.Path.String()
	}
	return gerr
}

// gqlgenError gives gqlgen's own errors about input values the code BAD_USER_INPUT and
// the name of the field: a value that does not fit the schema (an unknown enum value, a
// wrong type, a bad variable) is the client's input, not a broken query.
func gqlgenError(ctx context.Context, gerr *gqlerror.Error) *gqlerror.Error {
	if gerr.Extensions == nil {
		gerr.Extensions = map[string]any{}
	}
	code, _ := gerr.Extensions["code"].(string)
	valueRule := gerr.Rule == "ValuesOfCorrectType" || gerr.Rule == "VariablesInAllowedPosition"
	if code == "" || code == errcode.ValidationFailed && (valueRule || gerr.Rule == "") {
		gerr.Extensions["code"] = graph.EINVALID
		switch {
		case len(gerr.Path) > 0:
			gerr.Extensions["field"] = gerr.Path.String()
		case len(gerr.Locations) > 0 && graphql.HasOperationContext(ctx):
			if f := fieldAt(graphql.GetOperationContext(ctx).RawQuery, gerr.Locations[0]); f != "" {
				gerr.Extensions["field"] = f
			}
		}
	}
	return gerr
}

// fieldAt names the argument or input field whose value starts at loc in query: the name
// before the nearest colon to its left. Validation errors carry only a location.
func fieldAt(query string, loc gqlerror.Location) string {
	lines := strings.Split(query, "\n")
	if loc.Line < 1 || loc.Line > len(lines) {
		return ""
	}
	off := loc.Column - 1
	for _, l := range lines[:loc.Line-1] {
		off += len(l) + 1
	}
	if off > len(query) {
		return ""
	}
	before := query[:off]
	colon := strings.LastIndexByte(before, ':')
	if colon < 0 {
		return ""
	}
	name := strings.TrimRight(before[:colon], " \t\r\n")
	start := strings.LastIndexFunc(name, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	return name[start+1:]
}

// complexity counts connections by the page size asked for, so that a wide query is
// refused before it reaches the database; fanOutSchema counts the other lists. A where
// adds what evaluating it costs (whereCost), and a traversal asked with first is counted
// by it rather than by the fan-out. Every traversal field and traversal connection of the
// schema is found by its resolver's signature, so one added later is counted too.
func complexity(fanOut int) generated.ComplexityRoot {
	var c generated.ComplexityRoot
	page := func(child int, first *int) int {
		// An out-of-range page size is the resolver's to refuse, with its field named.
		n := defaultPage
		if first != nil && *first > 0 && *first <= maxPage {
			n = *first
		}
		return addSat(1, mulSat(n, child))
	}
	list := func(child int, where map[string]any, first, last *int) int {
		if last != nil {
			first = last
		}
		return addSat(page(child, first), whereCost(where, fanOut))
	}
	c.Query.Nations = func(child int, _ *generated.NationFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Agencies = func(child int, _ *generated.AgencyFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Objectives = func(child int, _ *generated.ObjectiveFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Capabilities = func(child int, _ *generated.CapabilityFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Agreements = func(child int, _ *generated.AgreementFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Threats = func(child int, _ *generated.ThreatFilter, where map[string]any, _ []map[string]any, first *int, _ *string, last *int, _ *string) int {
		return list(child, where, first, last)
	}
	c.Query.Search = func(child int, _ string, first *int) int { return page(child, first) }

	// A traversal holds fanOut items unless first says how many it may return.
	traversal := func(child int, where map[string]any, _ []map[string]any, first *int) int {
		n := fanOut
		if first != nil && *first > 0 && *first <= maxPage {
			n = *first
		}
		return addSat(addSat(1, mulSat(n, max(child, 1))), whereCost(where, fanOut))
	}
	connection := func(child int, where map[string]any, orderBy []map[string]any, first *int, _ *string, last *int, _ *string) int {
		if last != nil {
			first = last
		}
		return traversal(child, where, orderBy, first)
	}
	types := reflect.ValueOf(&c).Elem()
	for i := range types.NumField() {
		fields := types.Field(i)
		if fields.Kind() != reflect.Struct || types.Type().Field(i).Name == "Query" {
			continue
		}
		for j := range fields.NumField() {
			switch f := fields.Field(j); f.Type() {
			case reflect.TypeOf(traversal):
				f.Set(reflect.ValueOf(traversal))
			case reflect.TypeOf(connection):
				f.Set(reflect.ValueOf(connection))
			}
		}
	}
	return c
}

// whereCost estimates the work of a where condition: one per condition, and a
// relationship condition fanOut times its own condition, since it is evaluated over every
// related item of every candidate.
func whereCost(where any, fanOut int) int {
	cost := 0
	switch w := where.(type) {
	case map[string]any:
		for k, v := range w {
			switch {
			case v == nil:
			case k == "AND" || k == "OR" || k == "NOT":
				cost = addSat(cost, whereCost(v, fanOut))
			case strings.HasSuffix(k, "_SOME") || strings.HasSuffix(k, "_NONE") ||
				strings.HasSuffix(k, "_ALL") || strings.HasSuffix(k, "_SINGLE"):
				cost = addSat(cost, mulSat(fanOut, addSat(1, whereCost(v, fanOut))))
			case isMap(v): // a condition on a relationship's end
				cost = addSat(cost, whereCost(v, fanOut))
			default:
				cost = addSat(cost, 1)
			}
		}
	case []any:
		for _, v := range w {
			cost = addSat(cost, whereCost(v, fanOut))
		}
	}
	return cost
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }
