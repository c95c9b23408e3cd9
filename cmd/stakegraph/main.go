// Command stakegraph is the one binary: it serves the GraphQL API and the explorer, and
// imports, exports and generates models. This file and main_*.go only wire things.
package main

import (
	"archive/zip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/format"
	"github.com/stakegraph/stakegraph/graph/neo4j"
	"github.com/stakegraph/stakegraph/internal/gctune"
	"github.com/stakegraph/stakegraph/internal/version"
)

const usage = `stakegraph — stakeholder and dependency modeler for defense policy synchronization

Usage:
  stakegraph serve  [-addr 127.0.0.1:8080] [-auth-config FILE] [-log-format console] ...
                                         serve the API (every flag can also be set as
                                         STAKEGRAPH_<FLAG>; README, "Configuration")
  stakegraph import [-replace] [-id ID] [-format json|csv] FILE|DIR
                                         load a model (all or nothing); restores the
                                         audit trail of a backup
  stakegraph export [-format json|csv|graphml|gexf] [-audit] [FILE|DIR]
                                         write the model; -audit adds the audit trail
  stakegraph gen    [-preset small|medium|large] [-seed N] [FILE]
                                         write a synthetic model
  stakegraph token  new | hash          make a static API token, or hash one read on stdin
  stakegraph query  [-url URL] [-var name=value]... [-o json|ndjson|csv|table] [-all] FILE|-
                                         run a GraphQL document against a server (docs/scripting.md)
  stakegraph version                     print the version and the commit it was built from

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
	case "version":
		fmt.Fprintln(stdout, version.Get())
		return nil
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
	fs.Usage = usageOf(fs, "import [-replace] [-id ID] [-format json|csv] FILE|DIR|-",
		"Loads a model into Neo4j (NEO4J_URI...): all of it or, with the first error and where it\n"+
			"is, nothing. json reads an interchange document from FILE (- for standard input); csv\n"+
			"reads nations.csv, agencies.csv, ..., relationships.csv from DIR or from a FILE.zip\n"+
			"(docs/interchange.md).")
	replace := fs.Bool("replace", false, "empty the graph first, in the same transaction")
	formatName := fs.String("format", format.JSON, "what FILE holds: json or csv")
	id := fs.String("id", "", "the import's `ID` in the audit trail; importing again with the same ID and document does nothing, so a failed import can be retried safely (default: a new one)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import: give one FILE or DIR (- for standard input)")
	}
	gctune.ForImport()
	var doc *graph.Document
	locate := func(err error) error { return err }
	switch *formatName {
	case format.JSON:
		in := io.Reader(os.Stdin)
		if name := fs.Arg(0); name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		var err error
		if doc, err = graph.DecodeDocument(in); err != nil {
			return describe(err)
		}
	case format.CSV:
		fsys, closeFS, err := openCSV(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer closeFS()
		d, err := format.ReadCSV(fsys)
		if err != nil {
			return describe(err)
		}
		doc, locate = d.Document, d.Locate
	default:
		return fmt.Errorf("import: -format %q is not json or csv", *formatName)
	}
	s, err := openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	start := time.Now()
	res, err := s.Import(ctx, doc, graph.ImportOptions{Replace: *replace, ID: *id})
	if err != nil {
		return describe(locate(err))
	}
	if res.Repeated {
		fmt.Fprintf(stdout, "import %s was already applied to this document: nothing written\n", res.ImportID)
		return nil
	}
	fmt.Fprintf(stdout, "imported %d nodes and %d relationships in %s (import id %s)\n", res.Nodes, res.Relationships, time.Since(start).Round(time.Millisecond), res.ImportID)
	return nil
}

// openCSV opens the CSV files of the CSV form: a directory, or a zip archive (a name
// ending in .zip).
func openCSV(name string) (fs.FS, func(), error) {
	if strings.EqualFold(filepath.Ext(name), ".zip") {
		z, err := zip.OpenReader(name)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%s is neither a directory nor a .zip file of CSV files", name)
	}
	return os.DirFS(name), func() {}, nil
}

func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "export [-format json|csv|graphml|gexf] [-audit] [FILE|DIR]",
		"Writes the whole model in Neo4j (NEO4J_URI...) to FILE (default standard output). csv\n"+
			"writes nations.csv, ..., relationships.csv into DIR, or a zip archive of them to a\n"+
			"FILE.zip or - (docs/interchange.md). -audit (json only) adds the audit trail: a\n"+
			"backup that import restores whole (docs/operations.md).")
	formatName := fs.String("format", format.JSON, "one of "+strings.Join(format.Formats, ", "))
	audit := fs.Bool("audit", false, "include the audit trail (a backup that import restores whole; json only)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if !slices.Contains(format.Formats, *formatName) {
		return fmt.Errorf("export: -format %q is not one of %s", *formatName, strings.Join(format.Formats, ", "))
	}
	if *audit && *formatName != format.JSON {
		return errors.New("export: -audit writes the interchange document, so it needs -format json")
	}
	name := fs.Arg(0)
	if fs.NArg() > 1 {
		return errors.New("export: give at most one FILE or DIR")
	}
	if *formatName == format.CSV && name == "" {
		return errors.New("export: -format csv writes into a DIR, or a zip archive to a FILE.zip or - (standard output)")
	}
	s, err := openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	export := s.Export
	if *audit {
		export = s.Backup
	}
	doc, err := export(ctx)
	if err != nil {
		return describe(err)
	}
	if *formatName == format.CSV && name != "-" && !strings.EqualFold(filepath.Ext(name), ".zip") {
		return writeCSVDir(doc, name)
	}
	return writeFile(name, stdout, func(w io.Writer) error { return format.Write(w, *formatName, doc) })
}

// writeCSVDir writes doc's CSV files into dir, which it creates when missing.
func writeCSVDir(doc *graph.Document, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	err := format.WriteCSV(doc, func(name string) (io.Writer, error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err == nil {
			files = append(files, f)
		}
		return f, err
	})
	for _, f := range files {
		err = errors.Join(err, f.Close())
	}
	files = nil
	return err
}

// writeDocument writes doc as indented JSON to the named file, or stdout when name is
// empty or "-".
func writeDocument(doc *graph.Document, name string, stdout io.Writer) error {
	return writeFile(name, stdout, func(w io.Writer) error { return format.Write(w, format.JSON, doc) })
}

// writeFile runs write on the named file, or on stdout when name is empty or "-".
func writeFile(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "" || name == "-" {
		return write(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// describe formats a coded error for the terminal: the JSON path first.
func describe(err error) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Field != "" {
		return fmt.Errorf("%s at %s: %s", e.Code, e.Field, e.Message)
	}
	return err
}
