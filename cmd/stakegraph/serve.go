package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/cors"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/graph/snapshot"
	"github.com/stakegraph/stakegraph/internal/gctune"
	"github.com/stakegraph/stakegraph/internal/metrics"
	"github.com/stakegraph/stakegraph/internal/version"
	"github.com/stakegraph/stakegraph/resolvers"
	"github.com/stakegraph/stakegraph/seed"
	"github.com/stakegraph/stakegraph/web"
)

// Main is the running server: it owns the store and the HTTP listener. End-to-end tests
// start this same Main on port 0.
type Main struct {
	Addr    string        // listen address; "127.0.0.1:0" picks a free port
	Neo4j   neo4j.Config  // which database
	Seed    bool          // load the demo seed when the database is empty
	Timeout time.Duration // per-request deadline
	// API bounds queries (depth, complexity, introspection; its Timeout is the one above);
	// Limits bound requests to /graphql (body size, rate per token). Zero values are the
	// defaults, except that introspection is off.
	API    resolvers.Options
	Limits resolvers.Limits
	// HTTP bounds how long a connection may take over its headers, its response and its
	// idle time (bodies are bounded by Limits). Zero values are the defaults.
	HTTP HTTPTimeouts
	// Auth authenticates requests to /graphql. Nil serves every request as
	// graph.LocalViewer, which Run allows only on a loopback address.
	Auth *auth.Authenticator
	// NoMetrics turns /metrics off (it needs no token: see docs/metrics.md).
	NoMetrics bool
	// MetricsAddr, when set, serves /metrics on a listener of its own at this address (an
	// interface only the monitoring reaches) instead of on Addr.
	MetricsAddr string
	// CORSOrigins are the origins (https://planner.example.org, or "*") whose pages may call
	// /graphql from a browser; none, the default, allows no other origin.
	CORSOrigins []string

	Store    *neo4j.Store
	listener net.Listener
	metrics  *metricsServer
	server   *http.Server
	ready    atomic.Bool
	done     chan struct{}
}

// Run opens the store, starts serving at once (/healthz answers, /readyz says 503), and
// in the background waits for Neo4j with backoff, applies the schema, loads the seed
// when the database is empty, and then turns ready. It returns when listening.
func (m *Main) Run(ctx context.Context) error {
	log := zerolog.Ctx(ctx)
	if m.Auth == nil {
		if !loopback(m.Addr) {
			return fmt.Errorf("refusing to listen on %s without authentication: anyone who can reach it could read and change everything; configure authentication (-auth-config, docs/security.md) or listen on 127.0.0.1", m.Addr)
		}
		log.Warn().Str("addr", m.Addr).Msg("no authentication configured: the API is open, with every right, to anyone on this machine")
	}
	s, err := neo4j.Open(m.Neo4j)
	if err != nil {
		return err
	}
	m.Store = s
	m.done = make(chan struct{})
	m.listener, err = net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Addr, err)
	}
	if m.MetricsAddr != "" && !m.NoMetrics {
		if m.metrics, err = serveMetrics(ctx, m.MetricsAddr); err != nil {
			_ = m.listener.Close()
			return err
		}
	}
	t := m.HTTP.withDefaults(m.Timeout)
	m.server = &http.Server{
		Handler:           m.handler(*log),
		ReadHeaderTimeout: t.ReadHeader,
		// No ReadTimeout: /graphql sets a deadline per body (Limits.BodyTimeout, longer
		// for an import), which one server-wide ReadTimeout could not.
		WriteTimeout: t.Write,
		IdleTimeout:  t.Idle,
		// Requests start with no viewer (so they see only what is releasable to all) until
		// authentication puts one in: a request must never inherit the process's own rights.
		BaseContext: func(net.Listener) context.Context { return graph.WithViewer(ctx, nil) },
	}
	go func() {
		defer close(m.done)
		if err := m.server.Serve(m.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error().Err(err).Msg("http server stopped")
		}
	}()
	go func() {
		if err := m.prepare(ctx); err != nil {
			log.Error().Err(err).Msg("not ready: the database could not be prepared")
			return
		}
		m.ready.Store(true)
		log.Info().Str("url", m.URL()).Msg("ready")
	}()
	log.Info().Str("url", m.URL()).Str("neo4j", m.Neo4j.URI).Msg("listening; waiting for Neo4j")
	return nil
}

// HTTPTimeouts bound the time a connection may hold the server (docs/security.md, "Limits").
type HTTPTimeouts struct {
	// ReadHeader is how long a client may take to send a request's headers. Zero means 10 s.
	ReadHeader time.Duration
	// Write is how long a response may take from the end of the request's headers (from the
	// end of its body on /graphql). Zero means the request deadline plus 30 s.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next request. Zero means 2 min.
	Idle time.Duration
}

func (t HTTPTimeouts) withDefaults(deadline time.Duration) HTTPTimeouts {
	if t.ReadHeader <= 0 {
		t.ReadHeader = 10 * time.Second
	}
	if t.Write <= 0 {
		t.Write = deadline + 30*time.Second
	}
	if t.Idle <= 0 {
		t.Idle = 2 * time.Minute
	}
	return t
}

// prepare waits for Neo4j, applies constraints and indexes, and seeds an empty database.
func (m *Main) prepare(ctx context.Context) error {
	ctx = graph.WithViewer(ctx, graph.LocalViewer) // the server itself sees everything
	if err := m.Store.Wait(ctx); err != nil {
		return err
	}
	if err := m.Store.Migrate(ctx); err != nil {
		return err
	}
	if !m.Seed {
		return nil
	}
	page, err := m.Store.FindNodes(ctx, graph.NodeFilter{First: 1})
	if err != nil {
		return err
	}
	if len(page.Nodes) > 0 {
		return nil
	}
	doc, err := seed.Demo()
	if err != nil {
		return err
	}
	res, err := m.Store.Import(ctx, doc, graph.ImportOptions{})
	if err != nil {
		return fmt.Errorf("loading the demo seed: %w", err)
	}
	zerolog.Ctx(ctx).Info().Int("nodes", res.Nodes).Int("relationships", res.Relationships).Msg("loaded the demo seed into the empty database")
	return nil
}

// URL is where the server listens.
func (m *Main) URL() string { return "http://" + m.listener.Addr().String() }

// Ready reports whether the database was prepared.
func (m *Main) Ready() bool { return m.ready.Load() }

// Close stops serving (letting requests in flight finish for up to 10 s) and closes the
// driver.
func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	if m.server != nil {
		err = m.server.Shutdown(ctx)
		<-m.done
	}
	if m.metrics != nil {
		err = errors.Join(err, m.metrics.close(ctx))
	}
	if m.Store != nil {
		err = errors.Join(err, m.Store.Close(ctx))
	}
	if m.Auth != nil {
		m.Auth.Close()
	}
	return err
}

// cors lets the pages of CORSOrigins call h from a browser: rs/cors answers their
// preflight requests (before authentication, since a preflight carries no token) and adds
// the Access-Control headers. Without origins h is returned as it is.
func (m *Main) cors(h http.Handler) http.Handler {
	if len(m.CORSOrigins) == 0 {
		return h
	}
	return cors.New(cors.Options{
		AllowedOrigins: m.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept"},
		ExposedHeaders: []string{"X-Request-Id", "Retry-After", "WWW-Authenticate"},
		// Tokens travel in the Authorization header, never in cookies.
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(h)
}

// parseOrigins reads -cors-origins: a comma-separated list of origins (scheme://host[:port])
// or "*".
func parseOrigins(list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
				return nil, fmt.Errorf("-cors-origins: %q is not an origin such as https://planner.example.org", o)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// loopback reports whether addr (host:port) listens only on this machine: "localhost" or a
// loopback IP. An empty host means every interface, and any other name could resolve to
// anything, so neither counts.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// handler routes: the API, the IDE and explorer, and the probes, each request logged
// with its request id.
func (m *Main) handler(log zerolog.Logger) http.Handler {
	opts := m.API
	opts.Timeout = m.Timeout
	api := resolvers.NewHandler(&resolvers.Resolver{Store: m.Store}, opts)
	mux := http.NewServeMux()
	authenticate := auth.Open
	if m.Auth != nil {
		authenticate = m.Auth.Middleware
	}
	// The API and the exports share the authentication and one rate limiter.
	guarded := http.NewServeMux()
	guarded.Handle("/graphql", resolvers.GraphQLOverHTTP(api))
	for path, f := range exportFiles {
		guarded.Handle("GET "+path, exportHandler(m.Store, f, m.Timeout))
	}
	lim := m.Limits
	lim.ResponseTimeout = m.HTTP.withDefaults(m.Timeout).Write
	guardedHandler := m.cors(authenticate(resolvers.Limit(guarded, lim)))
	// Every route is counted and timed under its own name (docs/metrics.md); an unknown
	// path is 404, counted as "unmatched".
	handle := func(pattern, route string, h http.Handler) { mux.Handle(pattern, metrics.Route(route, h)) }
	handle("/graphql", "/graphql", guardedHandler)
	for path := range exportFiles {
		handle("GET "+path, path, guardedHandler)
	}
	handle("GET /healthz", "/healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": version.Get()})
	}))
	handle("GET /readyz", "/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !m.Ready() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "starting", "reason": "Neo4j is not prepared yet"})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := m.Store.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
	}))
	if !m.NoMetrics && m.MetricsAddr == "" {
		handle("GET /metrics", "/metrics", metrics.Handler())
	}
	explorer := web.Handler()
	handle("GET /{$}", "/", explorer)
	handle("GET /graphiql", "/graphiql", explorer)
	handle("GET /assets/", "/assets/", explorer)
	handle("/", "unmatched", http.NotFoundHandler())

	h := hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		hlog.FromRequest(r).Info().Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", status).Int("size", size).Dur("duration", d).Msg("request")
	})(mux)
	h = hlog.RequestIDHandler("request_id", "X-Request-Id")(h)
	return hlog.NewHandler(log)(h)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveConfig is what serve's flags and their environment variables say.
type serveConfig struct {
	main       *Main // without its Neo4j connection and authentication
	authConfig string
	debugAddr  string
	logger     func(io.Writer) (zerolog.Logger, error)
}

// serveFlags registers serve's flags on a new flag set; the function it returns reads them
// once the set is parsed.
func serveFlags() (*flag.FlagSet, func() (serveConfig, error)) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "serve [flags]", "Serves the GraphQL API, the IDE, the explorer and /metrics over the model in Neo4j (NEO4J_URI...).\n"+
		"Every flag can also be set in the environment as "+envPrefix+"<FLAG> (-max-body as "+envName("max-body")+");\n"+
		"a flag given on the command line wins.")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	noSeed := fs.Bool("no-seed", false, "do not load the demo seed into an empty database")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request deadline")
	limits := limitFlags(fs)
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (/debug/pprof) on this loopback `ADDR`, e.g. 127.0.0.1:6060; off when empty")
	withMetrics := fs.Bool("metrics", true, "serve Prometheus metrics at /metrics (without authentication; docs/metrics.md)")
	authConfig := fs.String("auth-config", "", "authentication configuration `FILE` (docs/security.md)")
	corsOrigins := fs.String("cors-origins", "", "comma-separated origins whose pages may call /graphql from a browser (https://planner.example.org, or *); none by default")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics on this `ADDR` of its own (e.g. 10.0.0.5:9464) instead of on -addr")
	apq := fs.Int("apq", 1000, "automatic persisted queries kept (least recently used out); 0 turns them off")
	logger := logFlags(fs)
	return fs, func() (serveConfig, error) {
		api, lim, httpT := limits()
		if httpT.Write > 0 && httpT.Write <= *timeout {
			return serveConfig{}, fmt.Errorf("-write-timeout (%s) must be longer than -timeout (%s), or responses would be cut off before their deadline", httpT.Write, *timeout)
		}
		api.PersistedQueries = *apq
		if *apq == 0 {
			api.PersistedQueries = -1 // resolvers.Options reads zero as the default
		}
		origins, err := parseOrigins(*corsOrigins)
		m := &Main{Addr: *addr, Seed: !*noSeed, Timeout: *timeout, API: api, Limits: lim, HTTP: httpT,
			NoMetrics: !*withMetrics, MetricsAddr: *metricsAddr, CORSOrigins: origins}
		return serveConfig{main: m, authConfig: *authConfig, debugAddr: *debugAddr, logger: logger}, err
	}
}

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs, read := serveFlags()
	if err := parseWithEnv(fs, args, stdout); err != nil {
		return err
	}
	sc, err := read()
	if err != nil {
		return err
	}
	log, err := sc.logger(os.Stderr)
	if err != nil {
		return err
	}
	ctx = log.WithContext(ctx)
	m := sc.main
	m.Neo4j = neo4jConfig()
	budget := m.API.SnapshotBudget
	if budget <= 0 {
		budget = snapshot.DefaultBudget
	}
	gctune.ForServe(budget)
	cfg, err := auth.Load(sc.authConfig)
	if err != nil {
		return err
	}
	if cfg.Configured() {
		if m.Auth, err = auth.NewContext(ctx, cfg); err != nil {
			return err
		}
	} else if sc.authConfig != "" {
		return fmt.Errorf("%s configures no credential: set hs256Secret, rs256PublicKeyFile, jwksFile, oidcIssuer, jwksURL or staticTokens", sc.authConfig)
	}
	if sc.debugAddr != "" {
		if err := serveDebug(ctx, sc.debugAddr); err != nil {
			return err
		}
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	zerolog.Ctx(ctx).Info().Msg("shutting down")
	return m.Close()
}
