// Command loadfault is stakegraph's load and fault suite (`make bench-load`), on loopback only
// and bounded in time and count:
//
//  1. load: CLIENTS concurrent clients send mixed reads and analyses to a server for DURATION,
//     and it prints the errors, the latency percentiles per kind of request and the server's
//     peak RSS;
//  2. faults: ROUNDS times, under a write load, it kills its own Neo4j with SIGKILL, restarts it
//     and prints the acknowledged writes lost (the goal is 0), the writes whose outcome the API
//     reported UNKNOWN, how fast requests failed while Neo4j was down, and how long the API took
//     to recover.
//
// It runs bin/stakegraph (serve and import) against the Neo4j in NEO4J_URI, which must be the
// instance INSTANCE of neo4j/neo4j.sh: that is the process it kills and restarts, and the
// database whose data it replaces with the demo seed.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
)

func main() {
	bin := flag.String("bin", "bin/stakegraph", "the stakegraph binary")
	instance := flag.String("instance", "test", "the neo4j/neo4j.sh instance that NEO4J_URI names; it is killed and restarted")
	clients := flag.Int("clients", 200, "concurrent clients in the load phase")
	duration := flag.Duration("duration", 5*time.Minute, "length of the load phase")
	rounds := flag.Int("rounds", 20, "kill -9 rounds in the fault phase")
	writers := flag.Int("writers", 8, "concurrent writers in the fault phase")
	flag.Parse()
	if err := run(*bin, *instance, *clients, *duration, *rounds, *writers); err != nil {
		fmt.Fprintln(os.Stderr, "loadfault:", err)
		os.Exit(1)
	}
}

func run(bin, instance string, clients int, duration time.Duration, rounds, writers int) error {
	cfg := neo4j.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	if u, err := url.Parse(cfg.URI); err != nil || !loopbackHost(u.Hostname()) {
		return fmt.Errorf("NEO4J_URI=%q: the suite runs on loopback only (eval \"$(neo4j/neo4j.sh env %s)\")", cfg.URI, instance)
	}
	if _, err := neo4jPID(instance); err != nil {
		return err
	}
	fmt.Printf("loadfault: %d clients for %s, %d kill rounds with %d writers; Neo4j instance %s at %s\n",
		clients, duration, rounds, writers, instance, cfg.URI)

	if out, err := exec.Command(bin, "import", "-replace", "seed/demo.json").CombinedOutput(); err != nil {
		return fmt.Errorf("importing the seed: %v: %s", err, out)
	}
	srv, err := startServer(bin)
	if err != nil {
		return err
	}
	defer srv.stop()

	c := &client{base: srv.url, http: &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: clients + writers, MaxIdleConnsPerHost: clients + writers}}}
	if clients > 0 && duration > 0 {
		if err := loadPhase(c, srv, clients, duration); err != nil {
			return err
		}
	}
	if rounds > 0 {
		store, err := neo4j.Open(cfg)
		if err != nil {
			return err
		}
		defer store.Close(context.Background())
		if err := faultPhase(c, store, instance, rounds, writers); err != nil {
			return err
		}
	}
	return nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// --- the server ------------------------------------------------------------------------

type server struct {
	cmd *exec.Cmd
	url string
	log *os.File
}

func startServer(bin string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	if err := os.MkdirAll(".data", 0o755); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(".data", "loadfault-server.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "-addr", addr, "-no-seed", "-rate", "0")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, log: logFile}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				fmt.Printf("server: pid %d at %s (log: %s)\n", cmd.Process.Pid, s.url, logFile.Name())
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not become ready in 2 minutes (see .data/loadfault-server.log)")
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
	s.log.Close()
}

// peakRSS is the server's peak resident set (VmHWM) in MiB.
func (s *server) peakRSS() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// --- GraphQL ---------------------------------------------------------------------------

type client struct {
	base string
	http *http.Client
}

// result is one request's fate: ok, or the code of its first error (HTTP status otherwise).
type result struct {
	ok      bool
	code    string
	outcome string
	took    time.Duration
	data    json.RawMessage
}

func (c *client) do(query string, vars map[string]any) result {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	start := time.Now()
	resp, err := c.http.Post(c.base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return result{code: "TRANSPORT", took: time.Since(start)}
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Extensions map[string]any }
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	r := result{took: time.Since(start), data: out.Data}
	switch {
	case err != nil:
		r.code = "HTTP_" + strconv.Itoa(resp.StatusCode)
	case len(out.Errors) > 0:
		r.code, _ = out.Errors[0].Extensions["code"].(string)
		r.outcome, _ = out.Errors[0].Extensions["outcome"].(string)
	case resp.StatusCode != http.StatusOK:
		r.code = "HTTP_" + strconv.Itoa(resp.StatusCode)
	default:
		r.ok = true
	}
	return r
}

// --- load --------------------------------------------------------------------------------

type request struct {
	kind  string
	query string
	vars  func(r *rand.Rand) map[string]any
}

func requests(c *client) ([]request, error) {
	r := c.do(`{ objectives(first: 20) { nodes { id } } nations(first: 20) { nodes { id } } }`, nil)
	if !r.ok {
		return nil, fmt.Errorf("listing ids: %s", r.code)
	}
	var ids struct {
		Objectives, Nations struct{ Nodes []struct{ ID string } }
	}
	if err := json.Unmarshal(r.data, &ids); err != nil || len(ids.Objectives.Nodes) == 0 || len(ids.Nations.Nodes) < 2 {
		return nil, fmt.Errorf("the seed has too few objectives or nations: %s", r.data)
	}
	pick := func(r *rand.Rand, nodes []struct{ ID string }) string { return nodes[r.IntN(len(nodes))].ID }
	none := func(*rand.Rand) map[string]any { return nil }
	return []request{
		{"nested read", `{ nations(first: 50) { nodes { code agencies { name provides { capacity capability { name dependsOn { id } } } } } } }`, none},
		{"flat read", `{ nations(first: 50) { nodes { code name region } } }`, none},
		{"gaps", `{ gaps(first: 200) { kind objective { id } capability { id } } }`, none},
		{"single points of failure", `{ singlePointsOfFailure { objective { id } achievable cutSets { __typename } } }`, none},
		{"resilience", `query($o: ID!) { resilience(objective: $o) { minCutOrder probability } }`,
			func(r *rand.Rand) map[string]any { return map[string]any{"o": pick(r, ids.Objectives.Nodes)} }},
		{"brokers", `{ brokers { articulationPoints { id } } }`, none},
		{"overlap", `query($a: ID!, $b: ID!) { overlap(a: $a, b: $b) { score } }`,
			func(r *rand.Rand) map[string]any {
				return map[string]any{"a": pick(r, ids.Nations.Nodes), "b": pick(r, ids.Nations.Nodes)}
			}},
	}, nil
}

func loadPhase(c *client, srv *server, clients int, duration time.Duration) error {
	reqs, err := requests(c)
	if err != nil {
		return err
	}
	type sample struct {
		kind int
		res  result
	}
	var mu sync.Mutex
	var samples []sample
	stop := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			var mine []sample
			for time.Now().Before(stop) {
				k := rng.IntN(len(reqs))
				mine = append(mine, sample{k, c.do(reqs[k].query, reqs[k].vars(rng))})
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()

	fmt.Printf("\nload: %d clients for %s, %d requests (%.0f/s), server peak RSS %.0f MiB\n\n",
		clients, duration, len(samples), float64(len(samples))/duration.Seconds(), srv.peakRSS())
	fmt.Println("| request | count | errors | p50 ms | p99 ms | max ms |")
	fmt.Println("|---|---|---|---|---|---|")
	row := func(name string, ss []sample) {
		var took []time.Duration
		errs := map[string]int{}
		for _, s := range ss {
			took = append(took, s.res.took)
			if !s.res.ok {
				errs[s.res.code]++
			}
		}
		if len(took) == 0 {
			return
		}
		slices.Sort(took)
		fmt.Printf("| %s | %d | %s | %.1f | %.1f | %.1f |\n", name, len(took), errText(errs),
			ms(pct(took, 50)), ms(pct(took, 99)), ms(took[len(took)-1]))
	}
	for k, r := range reqs {
		var ss []sample
		for _, s := range samples {
			if s.kind == k {
				ss = append(ss, s)
			}
		}
		row(r.kind, ss)
	}
	row("all", samples)
	return nil
}

func errText(errs map[string]int) string {
	if len(errs) == 0 {
		return "0"
	}
	var parts []string
	for code, n := range errs {
		parts = append(parts, fmt.Sprintf("%d %s", n, code))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// --- faults ------------------------------------------------------------------------------

// neo4jPID is the pid of instance's server, checked as neo4j.sh checks it: the pid file's
// process must be running with that instance's home, so no other process is ever signalled.
func neo4jPID(instance string) (int, error) {
	home, err := filepath.Abs(filepath.Join(".data", "neo4j-"+instance))
	if err != nil {
		return 0, err
	}
	b, err := os.ReadFile(filepath.Join(home, "run", "neo4j.pid"))
	if err != nil {
		return 0, fmt.Errorf("Neo4j instance %s is not running (neo4j/neo4j.sh start %s): %v", instance, instance, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, err
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !slices.Contains(strings.Split(string(cmdline), "\x00"), "--home-dir="+home) {
		return 0, fmt.Errorf("pid %d is not Neo4j instance %s", pid, instance)
	}
	return pid, nil
}

type write struct {
	id  string
	res result
	at  time.Time
}

func faultPhase(c *client, store *neo4j.Store, instance string, rounds, writers int) error {
	fmt.Printf("\nfaults: %d rounds of kill -9 on Neo4j instance %s under %d writers\n\n", rounds, instance, writers)
	fmt.Println("| round | acknowledged | lost | outcome UNKNOWN (applied) | failed while down | slowest failure ms | Neo4j restart s | API recovered s after restart |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var totalAck, totalLost, totalUnknown, totalUnknownApplied int
	var recoveries []time.Duration
	ctx := graph.WithViewer(context.Background(), graph.LocalViewer)
	for round := 1; round <= rounds; round++ {
		var mu sync.Mutex
		var writes []write
		var stopping atomic.Bool
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; !stopping.Load(); n++ {
					id := fmt.Sprintf("threat:loadfault-%d-%d-%d", round, w, n)
					r := c.do(`mutation($id: ID!) { upsertThreat(input: {id: $id, name: "load", kind: OTHER}) { id } }`, map[string]any{"id": id})
					mu.Lock()
					writes = append(writes, write{id, r, time.Now()})
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Second)
		pid, err := neo4jPID(instance)
		if err != nil {
			stopping.Store(true)
			wg.Wait()
			return err
		}
		killed := time.Now()
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			stopping.Store(true)
			wg.Wait()
			return err
		}
		for syscall.Kill(pid, 0) == nil {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Second) // writes meet a Neo4j that is down
		restartAt := time.Now()
		out, err := exec.Command("neo4j/neo4j.sh", "start", instance).CombinedOutput()
		if err != nil {
			stopping.Store(true)
			wg.Wait()
			return fmt.Errorf("restarting Neo4j: %v: %s", err, out)
		}
		up := time.Now()
		// The API has recovered at the first write it acknowledges after Neo4j is back.
		var recovered time.Time
		for deadline := time.Now().Add(time.Minute); recovered.IsZero() && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			mu.Lock()
			for _, w := range writes {
				if w.res.ok && w.at.After(up) {
					recovered = w.at
					break
				}
			}
			mu.Unlock()
		}
		time.Sleep(500 * time.Millisecond)
		stopping.Store(true)
		wg.Wait()

		var acked, unknown []string
		failedDown, slowest := 0, time.Duration(0)
		for _, w := range writes {
			switch {
			case w.res.ok:
				acked = append(acked, w.id)
			case w.res.outcome == graph.OutcomeUnknown:
				unknown = append(unknown, w.id)
			case w.at.After(killed) && w.at.Before(up):
				failedDown++
				slowest = max(slowest, w.res.took)
			}
		}
		found, err := store.NodesByID(ctx, append(slices.Clone(acked), unknown...))
		if err != nil {
			return fmt.Errorf("checking the writes: %w", err)
		}
		lost, applied := 0, 0
		for _, id := range acked {
			if _, ok := found[id]; !ok {
				lost++
			}
		}
		for _, id := range unknown {
			if _, ok := found[id]; ok {
				applied++
			}
		}
		rec := "never"
		if !recovered.IsZero() {
			recoveries = append(recoveries, recovered.Sub(up))
			rec = fmt.Sprintf("%.2f", recovered.Sub(up).Seconds())
		}
		fmt.Printf("| %d | %d | %d | %d (%d) | %d | %.0f | %.1f | %s |\n", round, len(acked), lost, len(unknown), applied,
			failedDown, ms(slowest), up.Sub(restartAt).Seconds(), rec)
		totalAck += len(acked)
		totalLost += lost
		totalUnknown += len(unknown)
		totalUnknownApplied += applied
	}
	slices.Sort(recoveries)
	fmt.Printf("\nfaults: %d acknowledged writes, %d lost; %d with outcome UNKNOWN, %d of them applied", totalAck, totalLost, totalUnknown, totalUnknownApplied)
	if len(recoveries) > 0 {
		fmt.Printf("; API recovered %.2f s (median) / %.2f s (max) after Neo4j answered again", recoveries[len(recoveries)/2].Seconds(), recoveries[len(recoveries)-1].Seconds())
	}
	fmt.Println()
	if totalLost > 0 {
		return fmt.Errorf("%d acknowledged writes were lost", totalLost)
	}
	return nil
}
