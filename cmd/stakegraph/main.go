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
  stakegraph import [-replace] FILE      load an interchange document (all or nothing)
  stakegraph export [FILE]               write the model as an interchange document
  stakegraph gen    [-preset small|medium|large] [-seed N] [FILE]
                                         write a synthetic model
  stakegraph token  new | hash          make a static API token, or hash one read on stdin
  stakegraph query  [-url URL] [-var name=value]... [-o json|ndjson|csv|table] [-all] FILE|-
                                         run a GraphQL document against a server (docs/scripting.md)

Every command takes -h for its flags.

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
	err := dispatch(ctx, args, stdout)
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// errHelp says that a command printed its usage because -h asked for it: it did nothing,
// and succeeded.
var errHelp = errors.New("help requested")

// usageOf is a flag set's usage: the synopsis, what the command does, and its flags.
func usageOf(fs *flag.FlagSet, synopsis, about string) func() {
	return func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: stakegraph %s\n\n%s\n", synopsis, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
}

// parseFlags parses args into fs. -h (or -help) prints the usage on stdout and returns
// errHelp, which run turns into success; a bad flag prints the usage on stderr and returns
// the error.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard) // the flag package's own messages: ours follow
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return errHelp
	case err != nil:
		fs.SetOutput(os.Stderr)
		fs.Usage()
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	return nil
}

// dispatch runs the subcommand named by args[0].
func dispatch(ctx context.Context, args []string, stdout io.Writer) error {
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
		return runServe(ctx, args, stdout)
	case "import":
		return runImport(ctx, args, stdout)
	case "export":
		return runExport(ctx, args, stdout)
	case "gen":
		return runGen(args, stdout)
	case "query":
		return runQuery(ctx, args, os.Stdin, stdout, os.Stderr)
	case "token":
		return runToken(args, os.Stdin, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

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

// openStore connects and waits (with backoff) until Neo4j answers, for the one-shot
// commands.
func openStore(ctx context.Context) (*neo4j.Store, error) {
	s, err := neo4j.Open(neo4jConfig())
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := s.Wait(wctx); err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "import [-replace] FILE|-", "Loads an interchange document into Neo4j (NEO4J_URI...): all of it or, with the first\nerror and where it is, nothing.")
	replace := fs.Bool("replace", false, "empty the graph first, in the same transaction")
	if err := parseFlags(fs, args, stdout); err != nil {
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
	res, err := s.Import(ctx, doc, *replace)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "imported %d nodes and %d relationships in %s\n", res.Nodes, res.Relationships, time.Since(start).Round(time.Millisecond))
	return nil
}

func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "export [FILE]", "Writes the whole model in Neo4j (NEO4J_URI...) as an interchange document to FILE\n(default standard output).")
	if err := parseFlags(fs, args, stdout); err != nil {
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
