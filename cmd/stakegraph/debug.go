package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/rs/zerolog"
)

// serveDebug serves Go's profiler (net/http/pprof) on addr, a loopback address kept apart
// from the API's, until ctx ends: `go tool pprof http://ADDR/debug/pprof/profile` is how
// docs/benchmarks.md's profiles were taken. It refuses any other address, because
// profiles expose the process's memory and code.
func serveDebug(ctx context.Context, addr string) error {
	if !loopback(addr) {
		return fmt.Errorf("-debug-addr %q: the profiler listens only on a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(ln) }()
	zerolog.Ctx(ctx).Info().Str("addr", ln.Addr().String()).Msg("profiler listening")
	return nil
}
