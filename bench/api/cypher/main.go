// Command cypher is make bench-api's baseline: the nested query of bench/api/queries.mjs
// written by hand as one Cypher statement (pattern comprehensions), run through the Go
// driver by CONNECTIONS goroutines for DURATION seconds, each answer encoded to JSON as an
// API would. It prints one JSON line: requests a second and CPU per request of this
// process and of Neo4j (NEO4J_PID), so the GraphQL layer's overhead can be read against it.
//
// It holds Cypher outside graph/neo4j on purpose: it is the yardstick, not the product.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

const nested = `MATCH (n:Nation) WITH n ORDER BY n.id LIMIT 100
RETURN n.code AS code, n.name AS name,
  [(a:Agency)-[:PART_OF]->(n) | {id: a.id, name: a.name,
    provides: [(a)-[:PROVIDES]->(c:Capability) | {capability: {id: c.id, name: c.name}}]}] AS agencies,
  [(n)-[:PROVIDES]->(c:Capability) | {capability: {id: c.id, name: c.name,
    dependsOn: [(c)-[:DEPENDS_ON]->(d:Capability) | {id: d.id, name: d.name}]}}] AS provides`

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// cpuMs is the user and system CPU time of process pid, in milliseconds.
func cpuMs(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+2:])
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) * 10
}

func main() {
	ctx := context.Background()
	conns, _ := strconv.Atoi(env("CONNECTIONS", "16"))
	secs, _ := strconv.Atoi(env("DURATION", "15"))
	d, err := neo4j.NewDriverWithContext(env("NEO4J_URI", "bolt://127.0.0.1:7687"),
		neo4j.BasicAuth(env("NEO4J_USER", "neo4j"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cypher:", err)
		os.Exit(1)
	}
	defer d.Close(ctx)
	db := neo4j.ExecuteQueryWithDatabase(env("NEO4J_DATABASE", "neo4j"))
	once := func() (int, error) {
		res, err := neo4j.ExecuteQuery(ctx, d, nested, nil, neo4j.EagerResultTransformer, db, neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return 0, err
		}
		rows := make([]map[string]any, len(res.Records))
		for i, r := range res.Records {
			rows[i] = r.AsMap()
		}
		b, err := json.Marshal(map[string]any{"data": map[string]any{"nations": map[string]any{"nodes": rows}}})
		return len(b), err
	}
	size, err := once()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cypher:", err)
		os.Exit(1)
	}
	neoPID := os.Getenv("NEO4J_PID")
	self := strconv.Itoa(os.Getpid())
	cpu0 := cpuMs(self) + cpuMs(neoPID)
	var done, failed atomic.Int64
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := once(); err != nil {
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	n := float64(done.Load())
	out := map[string]any{
		"query": "nested", "bytes": size, "requests": done.Load(), "failed": failed.Load(),
		"rps": n / float64(secs), "cpuMsPerRequest": (cpuMs(self) + cpuMs(neoPID) - cpu0) / n,
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
