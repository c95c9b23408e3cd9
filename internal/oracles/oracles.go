// Package oracles finds the independent tools that tests compare the project against
// (python3 with networkx or jsonschema, scram). Without one, a test skips — unless
// STAKEGRAPH_REQUIRE_ORACLES is set, as in CI, where it fails.
package oracles

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Python returns a python3 that can import module. Debian's python3 comes first: that
// is where apt installs python3-networkx and python3-jsonschema, and a python3 earlier on
// PATH (pyenv, a virtualenv) may lack them. STAKEGRAPH_PYTHON overrides both.
func Python(t testing.TB, module string) string {
	t.Helper()
	err := fmt.Errorf("no python3 found")
	for _, cand := range []string{os.Getenv("STAKEGRAPH_PYTHON"), "/usr/bin/python3", "python3"} {
		if cand == "" {
			continue
		}
		p, lerr := exec.LookPath(cand)
		if lerr != nil {
			continue
		}
		if err = exec.Command(p, "-c", "import "+module).Run(); err == nil {
			return p
		}
	}
	missing(t, "python3 with "+module, "install python3-"+module, err)
	return ""
}

// Command returns the path of an oracle program on PATH, such as scram.
func Command(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name, install, err)
	}
	return p
}

func missing(t testing.TB, what, install string, err error) {
	t.Helper()
	if os.Getenv("STAKEGRAPH_REQUIRE_ORACLES") != "" {
		t.Fatalf("%s is required (STAKEGRAPH_REQUIRE_ORACLES is set): %v", what, err)
	}
	t.Skipf("%s not found (%v): %s to run this oracle", what, err, install)
}
