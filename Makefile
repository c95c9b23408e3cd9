# stakegraph — `make run` to use it, `make test` for every test (what .ci/run runs).
# `make help` lists the targets. Recipes run in bash with -euo pipefail.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO     ?= go
NEO4J  := ./neo4j/neo4j.sh
# What `make run` starts once Neo4j answers (the NEO4J_* variables are set by then).
SERVE  ?= $(GO) run ./cmd/stakegraph serve
BIN    := bin/stakegraph
# Debian packages the tests need (`make deps`).
DEB_PACKAGES := scram python3-networkx python3-jsonschema chromium
# Linters, pinned: `go run pkg@version` builds them once into the module cache (about a
# minute the first time), verified against the Go checksum database, without touching
# go.mod. staticcheck 2026.1.x (v0.8) knows Go 1.26.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    := golang.org/x/tools/cmd/deadcode@v0.52.0
# Marks the last web build; web sources newer than it trigger a rebuild.
WEB_STAMP := web/node_modules/.stakegraph-built

.PHONY: help run test build generate generate-check bench bench-load clean distclean deps fmt-check vet lint \
	go-test test-web fuzz web web-deps neo4j-fetch bench-api graphql-audit audit-deps

help: ## list the targets
	@echo "usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- the two commands ----------------------------------------------------------------

# Starts the dev Neo4j (unless NEO4J_URI points at a server) and the API on
# 127.0.0.1:8080. Ctrl-C stops the API, then the Neo4j this recipe started (one that was
# already running, or the one NEO4J_URI names, is left alone). Neo4j runs in its own
# session, so the Ctrl-C reaches only the API; the INT trap keeps this shell alive to
# clean up after it. The jars are fetched by `neo4j.sh start`, only when a local server is
# started: with NEO4J_URI set (Aura, a cluster) nothing is downloaded.
run: web ## build what is missing, start Neo4j (unless NEO4J_URI is set) and serve on http://127.0.0.1:8080
	@if [[ -n "$${NEO4J_URI:-}" ]]; then \
		echo "make run: using the Neo4j at $$NEO4J_URI (NEO4J_URI is set; starting none)"; \
		exec $(SERVE); \
	fi; \
	trap 'echo; echo "make run: interrupted"; exit 130' INT TERM; \
	stops="the API and Neo4j"; \
	if $(NEO4J) status dev >/dev/null; then stops="the API; the dev Neo4j was running before and stays up"; \
	else trap '$(NEO4J) stop dev' EXIT; fi; \
	$(NEO4J) start dev; \
	eval "$$($(NEO4J) env dev)"; \
	echo "make run: Neo4j at $$NEO4J_URI; starting the API on http://127.0.0.1:8080 (Ctrl-C stops $$stops)"; \
	$(SERVE)

# Every test, exactly what CI runs: formatting, vet, then the Go tests against a real
# Neo4j (the test instance, started and stopped here, unless NEO4J_URI is set), then the
# web tests. STAKEGRAPH_INTEGRATION=1 makes a test that needs Neo4j fail, not skip,
# when it has none.
test: fmt-check vet lint generate-check web ## every test: gofmt, go vet, staticcheck and deadcode, generated code current, Go tests against a real Neo4j, web tests
	@trap 'echo; echo "make test: interrupted"; exit 130' INT TERM; \
	if [[ -z "$${NEO4J_URI:-}" ]]; then \
		if ! $(NEO4J) status test >/dev/null; then trap '$(NEO4J) stop test' EXIT; fi; \
		$(NEO4J) start test; \
		eval "$$($(NEO4J) env test)"; \
	else \
		echo "make test: using the Neo4j at $$NEO4J_URI, database $${NEO4J_DATABASE:-neo4j} (its data will be changed)"; \
	fi; \
	export STAKEGRAPH_INTEGRATION=1; \
	status=0; \
	$(MAKE) go-test || status=1; \
	$(MAKE) graphql-audit || status=1; \
	$(MAKE) test-web || status=1; \
	exit $$status

go-test: ## the Go tests alone, against the Neo4j in NEO4J_URI (make test sets it up)
	$(GO) test -p 1 -count=1 ./...

# The web part's tests: Vitest unit tests, then the end-to-end tests in headless Chromium
# (web/e2e/run.mjs builds the binary, imports seed/demo.json with -replace into the Neo4j in
# NEO4J_URI, serves it and drives the explorer). `make test` points NEO4J_URI at the test
# instance; run alone, this target refuses to guess a database whose data it would replace.
test-web: web ## the web tests: Vitest, then end-to-end in headless Chromium (needs NEO4J_URI; make test sets it)
	@if [[ ! -f web/package.json ]]; then echo "test-web: no web/package.json yet, nothing to test"; exit 0; fi; \
	(cd web && npm test); \
	if [[ -z "$${NEO4J_URI:-}" ]]; then \
		echo "test-web: NEO4J_URI is not set; the end-to-end tests replace that database's data, so name it (eval \"\$$(neo4j/neo4j.sh env test)\") or run make test"; exit 1; \
	fi; \
	cd web && node e2e/run.mjs

# The GraphQL over HTTP conformance audit of the npm package graphql-http, against the
# server built from this tree and serving the Neo4j in NEO4J_URI (read only: -no-seed).
# Prints every audit that did not pass and the totals; fails on any MUST failure.
AUDIT_DIR := scripts/graphql-audit
graphql-audit: audit-deps ## the graphql-http audit against the server (needs NEO4J_URI; make test sets it)
	@if [[ -z "$${NEO4J_URI:-}" ]]; then echo "graphql-audit: NEO4J_URI is not set (make test sets it)"; exit 1; fi; \
	cd $(AUDIT_DIR) && node audit.mjs

audit-deps: ## npm ci in scripts/graphql-audit when its package-lock.json changed
	@if [[ ! -f $(AUDIT_DIR)/node_modules/.package-lock.json || $(AUDIT_DIR)/package-lock.json -nt $(AUDIT_DIR)/node_modules/.package-lock.json ]]; then \
		echo "graphql-audit: npm ci"; (cd $(AUDIT_DIR) && npm ci --no-audit --no-fund); \
	fi

# Each fuzz target explores for FUZZTIME beyond its corpus in testdata/fuzz/<Name>/ (which
# `go test`, hence `make test`, already runs). A failure leaves the input that broke it in
# that folder: commit it with the fix, as a regression seed. Needs no Neo4j.
FUZZTIME ?= 10s
fuzz: ## run every Go fuzz target for FUZZTIME (default 10s) each
	@files="$$(grep -rl --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.data '^func Fuzz' .)"; \
	for f in $$files; do \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do \
			echo "fuzz: $$t ($$(dirname "$$f")) for $(FUZZTIME)"; \
			$(GO) test "./$$(dirname "$${f#./}")" -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME); \
		done; \
	done

# --- building --------------------------------------------------------------------------

fmt-check: ## fail, listing them, when Go files are not gofmt-formatted
	@files="$$(find . \( -path ./.git -o -path ./.data -o -path ./web/node_modules -o -path ./neo4j/lib -o -name testdata \) -prune \
		-o -name '*.go' -print0 | xargs -0 -r gofmt -l)"; \
	if [[ -n "$$files" ]]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$files"; exit 1; fi

vet: ## go vet ./...
	$(GO) vet ./...

# staticcheck (bugs, deprecated APIs, unused code) and deadcode (functions that no program
# or test can reach: -test counts the tests as roots, so test helpers are not dead).
# deadcode exits 0 whatever it finds, so its output is the verdict.
lint: ## staticcheck and deadcode, at pinned versions; fails on any finding
	$(GO) run $(STATICCHECK) ./...
	@out="$$($(GO) run $(DEADCODE) -test ./...)"; \
	if [[ -n "$$out" ]]; then echo "deadcode: unreachable functions (delete them, or use them):"; echo "$$out"; exit 1; fi; \
	echo "deadcode: nothing unreachable"

build: web ## build bin/stakegraph (with the web assets)
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/stakegraph

generate: ## go generate ./... (gqlgen and the like)
	$(GO) generate ./...

# The generated code must be what the schema generates: regenerate and compare. (The tree
# is hashed before and after, so uncommitted schema work passes when it was regenerated.)
generate-check: ## fail when resolvers/generated is not what `make generate` writes
	@hash() { find resolvers/generated -type f | sort | xargs cat | sha256sum; }; \
	before="$$(hash)"; $(GO) generate ./...; \
	if [[ "$$(hash)" != "$$before" ]]; then \
		echo "generate-check: resolvers/generated was not what the schema generates; it is now — review and commit it"; \
		exit 1; fi

web-deps: ## npm ci in web/ when package-lock.json changed (nothing until web/package.json exists)
	@if [[ ! -f web/package.json ]]; then exit 0; fi; \
	if [[ ! -f web/node_modules/.package-lock.json || web/package.json -nt web/node_modules/.package-lock.json \
		|| ( -f web/package-lock.json && web/package-lock.json -nt web/node_modules/.package-lock.json ) ]]; then \
		echo "web: npm ci"; (cd web && npm ci --no-audit --no-fund); \
	fi

web: web-deps ## build the web explorer when its sources are newer than web/dist/index.html (nothing until web/package.json exists)
	@if [[ ! -f web/package.json ]]; then echo "web: no web/package.json yet, skipping the web build"; exit 0; fi; \
	if [[ -f web/dist/index.html ]] && [[ -z "$$(find web \( -path web/node_modules -o -path web/dist -o -path web/test -o -path web/e2e \) -prune -o -type f -newer web/dist/index.html -print -quit)" ]]; then \
		echo "web: up to date"; exit 0; \
	fi; \
	echo "web: npm run build"; (cd web && npm run build); touch $(WEB_STAMP)

neo4j-fetch: ## fetch the pinned Neo4j server's jars from Maven Central into neo4j/lib (once)
	@$(NEO4J) fetch

bench: ## the analysis benchmark on a large model (scripts/bench.sh; figures in docs/benchmarks.md)
	bash scripts/bench.sh

bench-api: ## the read API beside @neo4j/graphql and hand-written Cypher (scripts/bench-api.sh; docs/benchmarks.md)
	bash scripts/bench-api.sh

# The load and fault suite (scripts/loadfault, figures in docs/security.md). It replaces the
# data of the Neo4j instance LOAD_INSTANCE with the demo seed, and kills (SIGKILL) and
# restarts that instance; loopback only. Not part of `make test`. Shorter: LOAD_ARGS="-duration
# 1m -rounds 5".
LOAD_INSTANCE ?= test
LOAD_ARGS ?=
bench-load: build neo4j-fetch ## load and fault suite: 200 clients for 5 min, then 20 rounds of kill -9 on its own Neo4j (LOAD_ARGS, LOAD_INSTANCE)
	@trap 'echo; echo "make bench-load: interrupted"; exit 130' INT TERM; \
	if ! $(NEO4J) status $(LOAD_INSTANCE) >/dev/null; then trap '$(NEO4J) stop $(LOAD_INSTANCE)' EXIT; fi; \
	$(NEO4J) start $(LOAD_INSTANCE); \
	eval "$$($(NEO4J) env $(LOAD_INSTANCE))"; \
	$(GO) run ./scripts/loadfault -bin $(BIN) -instance $(LOAD_INSTANCE) $(LOAD_ARGS)

# --- machine set-up and cleaning ---------------------------------------------------------

deps: ## install the Debian packages the tests need, when missing (scram, networkx, jsonschema, chromium)
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [[ -z "$$missing" ]]; then echo "deps: all present ($(DEB_PACKAGES))"; exit 0; fi; \
	sudo=""; if [[ "$$(id -u)" != 0 ]]; then sudo="sudo"; fi; \
	echo "deps: installing$$missing"; \
	$$sudo apt-get update -q; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

clean: ## remove build output (bin/, web/dist); keeps Neo4j's jars and data
	rm -rf bin $(WEB_STAMP)
	@# web/dist/README.txt is committed: go:embed needs the folder to hold a file.
	if [[ -d web/dist ]]; then find web/dist -mindepth 1 -maxdepth 1 ! -name README.txt -exec rm -rf {} +; fi

distclean: clean ## also stop the local Neo4j instances and delete their data and jars
	$(NEO4J) reset dev
	$(NEO4J) reset test
	rm -rf neo4j/lib web/node_modules $(AUDIT_DIR)/node_modules
