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
	"os"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/stakegraph/stakegraph/auth"
	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
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

	Store    *neo4j.Store
	listener net.Listener
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
	if m.Store != nil {
		err = errors.Join(err, m.Store.Close(ctx))
	}
	return err
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
	lim := m.Limits
	lim.ResponseTimeout = m.HTTP.withDefaults(m.Timeout).Write
	mux.Handle("/graphql", authenticate(resolvers.Limit(api, lim)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
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
	})
	mux.Handle("/", web.Handler())

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

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	noSeed := fs.Bool("no-seed", false, "do not load the demo seed into an empty database")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request deadline")
	limits := limitFlags(fs)
	authConfig := fs.String("auth-config", os.Getenv(auth.EnvConfig), "authentication configuration `FILE` (docs/security.md); default $"+auth.EnvConfig)
	if err := fs.Parse(args); err != nil {
		return err
	}
	api, lim, httpT := limits()
	if httpT.Write > 0 && httpT.Write <= *timeout {
		return fmt.Errorf("-write-timeout (%s) must be longer than -timeout (%s), or responses would be cut off before their deadline", httpT.Write, *timeout)
	}
	m := &Main{Addr: *addr, Neo4j: neo4jConfig(), Seed: !*noSeed, Timeout: *timeout, API: api, Limits: lim, HTTP: httpT}
	cfg, err := auth.Load(*authConfig)
	if err != nil {
		return err
	}
	if cfg.Configured() {
		if m.Auth, err = auth.New(cfg); err != nil {
			return err
		}
	} else if *authConfig != "" {
		return fmt.Errorf("%s configures no credential: set hs256Secret, rs256PublicKeyFile, jwksFile or staticTokens", *authConfig)
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	zerolog.Ctx(ctx).Info().Msg("shutting down")
	return m.Close()
}
