package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph/neo4j"
)

func TestServeFlagsReadTheEnvironmentAndFlagsWin(t *testing.T) {
	t.Setenv("STAKEGRAPH_ADDR", "127.0.0.1:9999")
	t.Setenv("STAKEGRAPH_MAX_DEPTH", "7")
	t.Setenv("STAKEGRAPH_MAX_BODY", "1MiB")
	t.Setenv("STAKEGRAPH_NO_SEED", "true")
	t.Setenv("STAKEGRAPH_METRICS", "false")
	fs, read := serveFlags()
	if err := parseWithEnv(fs, []string{"-addr", "127.0.0.1:7000"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	sc, err := read()
	if err != nil {
		t.Fatal(err)
	}
	m := sc.main
	if m.Addr != "127.0.0.1:7000" {
		t.Errorf("addr = %q, want the flag's 127.0.0.1:7000 over the environment's", m.Addr)
	}
	if m.API.MaxDepth != 7 || m.Limits.MaxBodyBytes != 1<<20 || m.Seed || !m.NoMetrics {
		t.Errorf("from the environment: max-depth %d, max-body %d, seed %v, no metrics %v; want 7, 1048576, false, true",
			m.API.MaxDepth, m.Limits.MaxBodyBytes, m.Seed, m.NoMetrics)
	}
}

func TestABadEnvironmentValueNamesTheVariable(t *testing.T) {
	t.Setenv("STAKEGRAPH_TIMEOUT", "soon")
	fs, _ := serveFlags()
	err := parseWithEnv(fs, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "STAKEGRAPH_TIMEOUT") {
		t.Fatalf("parse with STAKEGRAPH_TIMEOUT=soon: %v, want an error naming the variable", err)
	}
}

func TestEveryServeFlagsVariableIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := serveFlags()
	fs.VisitAll(func(f *flag.Flag) {
		if !bytes.Contains(readme, []byte("`-"+f.Name+"`")) || !bytes.Contains(readme, []byte(envName(f.Name))) {
			t.Errorf("README.md does not list -%s and %s", f.Name, envName(f.Name))
		}
	})
}

func TestHelpExitsWithoutError(t *testing.T) {
	for _, args := range [][]string{{"serve", "-h"}, {"import", "-h"}, {"export", "-h"}, {"gen", "-h"}, {"token", "-h"}, {"help"}, {"-h"}} {
		if err := run(context.Background(), args, io.Discard); err != nil {
			t.Errorf("stakegraph %s: %v, want no error", strings.Join(args, " "), err)
		}
	}
}

func TestLogLevelAndFormat(t *testing.T) {
	fs, read := serveFlags()
	if err := parseWithEnv(fs, []string{"-log-level", "warn", "-log-format", "console"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	sc, _ := read()
	var buf bytes.Buffer
	log, err := sc.logger(&buf)
	if err != nil {
		t.Fatal(err)
	}
	log.Info().Msg("hidden below warn")
	log.Warn().Str("addr", "x").Msg("shown")
	out := buf.String()
	if strings.Contains(out, "hidden") || !strings.Contains(out, "shown") || !strings.Contains(out, "addr=x") || strings.HasPrefix(out, "{") {
		t.Fatalf("console log at warn = %q, want only the warning, as key=value text", out)
	}
	for _, bad := range [][]string{{"-log-level", "loud"}, {"-log-format", "xml"}} {
		fs, read := serveFlags()
		if err := parseWithEnv(fs, bad, io.Discard); err != nil {
			t.Fatal(err)
		}
		sc, _ := read()
		if _, err := sc.logger(io.Discard); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: %v, want an error naming %s", bad, err, bad[0])
		}
	}
}

func TestVersionCommandAndHealthz(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "stakegraph ") || !strings.Contains(out.String(), runtime.Version()) {
		t.Fatalf("version printed %q, want stakegraph, its version and %s", out.String(), runtime.Version())
	}
	m, _ := start(t, &Main{Neo4j: neo4j.Config{URI: "bolt://127.0.0.1:1"}, Timeout: time.Second})
	resp, err := http.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var health struct {
		Status  string
		Version struct{ Version, Go string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil {
		t.Fatal(err)
	}
	if health.Status != "ok" || health.Version.Version == "" || health.Version.Go != runtime.Version() {
		t.Fatalf("/healthz = %+v, want status ok with the build's version", health)
	}
}

// TestBuiltBinaryReportsItsCommit builds the binary as `make build` does and checks that it
// knows the commit it was built from. The toolchain stamps it only in a git checkout whose
// .git is a directory (not in a `git worktree`).
func TestBuiltBinaryReportsItsCommit(t *testing.T) {
	if fi, err := os.Stat("../../.git"); err != nil || !fi.IsDir() {
		t.Skip("not a plain git checkout: the Go toolchain records no revision here")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "stakegraph")
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if rev := strings.TrimSpace(string(head)); !strings.Contains(string(out), rev) {
		t.Fatalf("stakegraph version = %q, want the revision %s", out, rev)
	}
}
