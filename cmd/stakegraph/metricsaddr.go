package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/internal/metrics"
)

// metricsServer serves /metrics alone on an address of its own (serve -metrics-addr), so
// that the API's address need not expose it.
type metricsServer struct {
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
}

func serveMetrics(ctx context.Context, addr string) (*metricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	s := &metricsServer{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			zerolog.Ctx(ctx).Error().Err(err).Msg("metrics server stopped")
		}
	}()
	zerolog.Ctx(ctx).Info().Str("url", s.url()+"/metrics").Msg("metrics listening")
	return s, nil
}

func (s *metricsServer) url() string { return "http://" + s.ln.Addr().String() }

func (s *metricsServer) close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}
