// Command stakegraph is the one binary: it serves the GraphQL API and the explorer, and
// imports, exports and generates models. This file and main_*.go only wire things.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/internal/gctune"
)

const usage = `stakegraph — stakeholder and dependency modeler for defense policy synchronization

Usage:
  stakegraph serve  [-addr 127.0.0.1:8080] [-no-seed] [-timeout 30s] [-auth-config FILE]
                    (limits and timeouts: stakegraph serve -h, docs/security.md)
  stakegraph import [-replace] [-id ID] FILE
                                         load an interchange document (all or nothing)
  stakegraph export [FILE]               write the model as an interchange document
  stakegraph gen    [-preset small|medium|large] [-seed N] [FILE]
                                         write a synthetic model
  stakegraph token  new | hash          make a static API token, or hash one read on stdin

Neo4j: NEO4J_URI (default bolt://127.0.0.1:7687), NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE (default neo4j).
Authentication (docs/security.md): -auth-config or STAKEGRAPH_AUTH_CONFIG, and
STAKEGRAPH_AUTH_HS256_SECRET; without any, serve listens on loopback only.
`

func main() {
	gctune.Apply()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := zerolog.New(os.Stderr).With().Timestamp().Logger()
	ctx = log.WithContext(ctx)
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "stakegraph:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	cmd, args := args[0], args[1:]
	// The one-shot commands act with the database's own credentials: as an administrator,
	// who sees every node whatever its releasability. serve sets a viewer per request.
	ctx = graph.WithViewer(ctx, graph.LocalViewer)
	switch cmd {
	case "serve":
		return runServe(ctx, args)
	case "import":
		return runImport(ctx, args, stdout)
	case "export":
		return runExport(ctx, args, stdout)
	case "gen":
		return runGen(args, stdout)
	case "token":
		return runToken(args, os.Stdin, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// oneShotConnectTimeout bounds how long import and export wait for Neo4j to answer.
const oneShotConnectTimeout = 5 * time.Second

// neo4jConfig reads the connection from the environment.
func neo4jConfig() neo4j.Config {
	cfg := neo4j.Config{
		URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"),
	}
	if cfg.URI == "" {
		cfg.URI = "bolt://127.0.0.1:7687"
	}
	if cfg.User == "" && cfg.Password != "" {
		cfg.User = "neo4j"
	}
	return cfg
}

// openStore connects for the one-shot commands, failing within seconds with a clear
// message when Neo4j does not answer (neo4j/neo4j.sh start returns only once it does).
func openStore(ctx context.Context) (*neo4j.Store, error) {
	cfg := neo4jConfig()
	s, err := neo4j.Open(cfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, oneShotConnectTimeout)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		_ = s.Close(context.Background())
		return nil, fmt.Errorf("cannot reach Neo4j at %s (NEO4J_URI): is it running? (`neo4j/neo4j.sh start dev`, or `make run`, starts the local one): %w", cfg.URI, err)
	}
	if err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	replace := fs.Bool("replace", false, "empty the graph first, in the same transaction")
	id := fs.String("id", "", "the import's `ID` in the audit trail; importing again with the same ID and document does nothing, so a failed import can be retried safely (default: a new one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import: give one FILE (- for standard input)")
	}
	in := io.Reader(os.Stdin)
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	doc, err := graph.DecodeDocument(in)
	if err != nil {
		return describe(err)
	}
	s, err := openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	start := time.Now()
	res, err := s.Import(ctx, doc, graph.ImportOptions{Replace: *replace, ID: *id})
	if err != nil {
		return describe(err)
	}
	if res.Repeated {
		fmt.Fprintf(stdout, "import %s was already applied to this document: nothing written\n", res.ImportID)
		return nil
	}
	fmt.Fprintf(stdout, "imported %d nodes and %d relationships in %s (import id %s)\n", res.Nodes, res.Relationships, time.Since(start).Round(time.Millisecond), res.ImportID)
	return nil
}

func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	doc, err := s.Export(ctx)
	if err != nil {
		return describe(err)
	}
	return writeDocument(doc, fs.Arg(0), stdout)
}

// writeDocument writes doc as indented JSON to the named file, or stdout when name is
// empty or "-".
func writeDocument(doc *graph.Document, name string, stdout io.Writer) error {
	out := stdout
	if name != "" && name != "-" {
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	enc := newEncoder(out)
	return enc.Encode(doc)
}

// describe formats a coded error for the terminal: the JSON path first.
func describe(err error) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Field != "" {
		return fmt.Errorf("%s at %s: %s", e.Code, e.Field, e.Message)
	}
	return err
}
