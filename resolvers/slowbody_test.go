package resolvers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/resolvers"
)

// rawPost opens a connection to srv, sends the headers of a POST to /graphql declaring
// length bytes, then the body as send writes it, and returns the response the server gives
// (or fails when none comes within a minute: a server that waits for ever).
func rawPost(t *testing.T, srv *httptest.Server, length int, send func(c net.Conn)) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", length)
	go send(c)
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no response from a server that should have cut the body off: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestSlowAndShortBodiesAreCutOff(t *testing.T) {
	reached := make(chan int, 10)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- 1
		w.WriteHeader(http.StatusOK)
	})
	const timeout = 200 * time.Millisecond
	lim := resolvers.Limits{MaxBodyBytes: 1024, BodyTimeout: timeout, ImportBodyTimeout: time.Minute, RatePerSecond: -1}
	srv := httptest.NewServer(asLocal(resolvers.Limit(api, lim)))
	defer srv.Close()
	query := `{"query":"{ __typename }"}`

	cutOff := func(t *testing.T, resp *http.Response, started time.Time) {
		t.Helper()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status=%d, want 400", resp.StatusCode)
		}
		if !resp.Close {
			t.Fatal("the connection is kept after a body that did not arrive")
		}
		if d := time.Since(started); d < timeout {
			t.Fatalf("cut off after %s, before the body timeout of %s", d, timeout)
		}
		if len(reached) > 0 {
			t.Fatal("a body that did not arrive reached the API")
		}
	}
	t.Run("a body shorter than its Content-Length", func(t *testing.T) {
		started := time.Now()
		resp := rawPost(t, srv, len(query)+50, func(c net.Conn) { _, _ = c.Write([]byte(query)) })
		cutOff(t, resp, started)
	})
	t.Run("a sender that trickles its body", func(t *testing.T) {
		started := time.Now()
		done := make(chan struct{})
		defer close(done)
		resp := rawPost(t, srv, 1000, func(c net.Conn) {
			for range 1000 {
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
		cutOff(t, resp, started)
	})
	t.Run("an import may take longer than an ordinary body", func(t *testing.T) {
		body := `{"query":"mutation($d: JSON!) { importGraph(document: $d) { nodes } }","variables":{"d":"` + strings.Repeat("x", 2000) + `"}}`
		resp := rawPost(t, srv, len(body), func(c net.Conn) {
			// Two halves, the second after the ordinary body timeout has passed.
			_, _ = c.Write([]byte(body[:len(body)/2]))
			time.Sleep(2 * timeout)
			_, _ = c.Write([]byte(body[len(body)/2:]))
		})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status=%d, want the import served", resp.StatusCode)
		}
		if len(reached) != 1 {
			t.Fatal("the import did not reach the API")
		}
	})
}
