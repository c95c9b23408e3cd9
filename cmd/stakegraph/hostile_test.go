package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
)

// closedPort is a loopback address nothing listens on: connecting is refused.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A server whose Neo4j is down answers UNAVAILABLE at once, not TIMEOUT at its deadline.
func TestNeo4jDownAnswersUnavailable(t *testing.T) {
	const deadline = time.Minute
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://" + closedPort(t)}, Timeout: deadline})
	queries := []string{
		`{ nations { totalCount } }`,
		`mutation { upsertNation(input: {id: "nation:AAA", code: "AAA", name: "A"}) { id } }`,
		`{ singlePointsOfFailure { __typename } }`,
	}
	// At once: each waits out the driver's retries (about 2 s).
	var wg sync.WaitGroup
	for _, q := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started := time.Now()
			body, _ := json.Marshal(map[string]any{"query": q})
			resp, err := http.Post(m.URL()+"/graphql", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			var out struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			took := time.Since(started)
			if err != nil || len(out.Errors) == 0 {
				t.Errorf("%s: %v %+v", q, err, out)
				return
			}
			e := out.Errors[0]
			if got := e.Extensions["code"]; got != graph.EUNAVAILABLE {
				t.Errorf("%s: code=%v after %s, want UNAVAILABLE: %s", q, got, took, e.Message)
			}
			if _, ok := e.Extensions["outcome"]; ok {
				t.Errorf("%s: outcome=%v: nothing reached Neo4j, so nothing was written", q, e.Extensions["outcome"])
			}
			t.Logf("%s: UNAVAILABLE after %s (deadline %s)", q, took.Round(time.Millisecond), deadline)
		}()
	}
	wg.Wait()
}

// import and export against a Neo4j that is down fail within seconds, saying what to do.
func TestOneShotCommandsFailFastWithoutNeo4j(t *testing.T) {
	t.Setenv("NEO4J_URI", "bolt://"+closedPort(t))
	for _, args := range [][]string{{"export"}, {"import", "../../seed/demo.json"}} {
		ctx, cancel := context.WithTimeout(graph.WithViewer(context.Background(), graph.LocalViewer), time.Minute)
		started := time.Now()
		err := run(ctx, args, io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "cannot reach Neo4j") || !strings.Contains(err.Error(), "NEO4J_URI") {
			t.Fatalf("%v: error %v, want it to say Neo4j cannot be reached and where that is set", args, err)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%v waited until the test's deadline", args)
		}
		t.Logf("%v failed after %s", args, time.Since(started).Round(time.Millisecond))
	}
}

// Headers sent too slowly, and kept-alive connections left idle, are closed by the server.
func TestSlowHeadersAndIdleConnectionsAreClosed(t *testing.T) {
	const limit = 200 * time.Millisecond
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://" + closedPort(t)}, Timeout: time.Minute,
		HTTP: HTTPTimeouts{ReadHeader: limit, Idle: limit}})
	closed := func(t *testing.T, c net.Conn, r *bufio.Reader) {
		t.Helper()
		_ = c.SetReadDeadline(time.Now().Add(time.Minute))
		if _, err := io.ReadAll(r); err != nil {
			t.Fatalf("the server kept the connection: %v", err)
		}
	}
	t.Run("headers never finished", func(t *testing.T) {
		// Before dialling: the server's clock starts when it accepts.
		started := time.Now()
		c, err := net.Dial("tcp", strings.TrimPrefix(m.URL(), "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _ = c.Write([]byte("POST /graphql HTTP/1.1\r\nHost: x\r\n"))
		closed(t, c, bufio.NewReader(c))
		if d := time.Since(started); d < limit {
			t.Fatalf("closed after %s, before the header timeout", d)
		}
	})
	t.Run("a kept-alive connection left idle", func(t *testing.T) {
		c, err := net.Dial("tcp", strings.TrimPrefix(m.URL(), "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _ = c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
		r := bufio.NewReader(c)
		resp, err := http.ReadResponse(r, nil)
		if err != nil || resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("healthz: %v %+v", err, resp)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		closed(t, c, r)
	})
}
