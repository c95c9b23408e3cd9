// Package metrics holds the server's Prometheus metrics in one registry, so that any package
// (the HTTP edge, the GraphQL handler, the Neo4j store, the snapshot cache) can count what it
// does without knowing how the metrics are served. Handler serves them at /metrics.
//
// Every label takes its values from a fixed set, or from a bounded one (Operation): a client
// cannot grow the number of series without limit.
package metrics

import (
	"net/http"
	"regexp"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every metric below plus the Go runtime and process collectors. It is not
// prometheus.DefaultRegisterer, so that a library registering there adds nothing unseen.
var Registry = prometheus.NewRegistry()

// Buckets of the duration histograms, in seconds: from a cached read (~1 ms) to the default
// request deadline (30 s).
var durationBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

var (
	// HTTPRequests counts HTTP requests by route (the pattern that served it, "unmatched"
	// for a 404 on an unknown path), method and status code.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stakegraph_http_requests_total",
		Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	// HTTPDuration observes how long HTTP requests took, by route.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "stakegraph_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route.",
		Buckets: durationBuckets,
	}, []string{"route"})
	// GraphQLOperations counts GraphQL operations by operation name (see Operation), type
	// (query, mutation, unknown when the document did not parse) and outcome: OK, or the
	// extensions.code of the first error.
	GraphQLOperations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stakegraph_graphql_operations_total",
		Help: "GraphQL operations by operation name, type and outcome (OK or the first error's extensions.code).",
	}, []string{"operation", "type", "outcome"})
	// GraphQLDuration observes how long GraphQL operations took, by operation name and type.
	GraphQLDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "stakegraph_graphql_operation_duration_seconds",
		Help:    "Time to execute a GraphQL operation, from its start to its response, by operation name and type.",
		Buckets: durationBuckets,
	}, []string{"operation", "type"})
	// Neo4jRoundTrips counts statements sent to Neo4j (the same count as a response's
	// extensions.roundTrips, summed over every request and background job).
	Neo4jRoundTrips = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stakegraph_neo4j_round_trips_total",
		Help: "Statements sent to Neo4j (each one a database round trip).",
	})
	// Neo4jErrors counts failed Neo4j transactions by kind: timeout, unavailable, conflict,
	// or other.
	Neo4jErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stakegraph_neo4j_errors_total",
		Help: "Neo4j transactions that failed, by kind (timeout, unavailable, conflict, other).",
	}, []string{"kind"})
	// SnapshotBuilds counts in-memory snapshots of the whole graph read from Neo4j (one per
	// graph version, on each replica).
	SnapshotBuilds = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stakegraph_snapshot_builds_total",
		Help: "In-memory snapshots of the graph read from Neo4j (one per graph version).",
	})
	// SnapshotCacheHits counts reads of the in-memory snapshot, and of the analysis
	// projections derived from it, that found the current graph version already held.
	SnapshotCacheHits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stakegraph_snapshot_cache_hits_total",
		Help: "Requests (and analysis projections) served from the snapshot of the current graph version without reading the graph.",
	})
	// RateLimited counts requests refused because the viewer's rate bucket was empty (HTTP
	// 429).
	RateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stakegraph_rate_limited_total",
		Help: "Requests to /graphql refused with 429 because the caller's rate limit was reached.",
	})
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		HTTPRequests, HTTPDuration, GraphQLOperations, GraphQLDuration,
		Neo4jRoundTrips, Neo4jErrors, SnapshotBuilds, SnapshotCacheHits, RateLimited,
	)
}

// Handler serves the registry in the Prometheus text (or OpenMetrics) format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

// maxOperations bounds the distinct operation names kept as label values; later names are
// counted as "other".
const maxOperations = 200

var (
	operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)
	operationsMu  sync.Mutex
	operations    = map[string]struct{}{}
)

// Operation is the label value for a GraphQL operation name chosen by the client: the name
// itself for the first maxOperations distinct valid names, "anonymous" for none, "other"
// beyond that bound, so that clients cannot make the series grow without limit.
func Operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	operationsMu.Lock()
	defer operationsMu.Unlock()
	if _, ok := operations[name]; ok {
		return name
	}
	if len(operations) >= maxOperations {
		return "other"
	}
	operations[name] = struct{}{}
	return name
}

// Route instruments h as the named HTTP route: its requests counted by method and status
// code, and timed. The route is a fixed name given by the server, never the request path,
// so unknown paths share one series.
func Route(name string, h http.Handler) http.Handler {
	l := prometheus.Labels{"route": name}
	return promhttp.InstrumentHandlerDuration(HTTPDuration.MustCurryWith(l),
		promhttp.InstrumentHandlerCounter(HTTPRequests.MustCurryWith(l), h))
}
