package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph/gen"
)

// runGen writes a synthetic model, deterministic for a preset and seed, in the
// interchange format.
func runGen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "gen [-preset "+strings.Join(gen.Presets, "|")+"] [-seed N] [FILE]",
		"Writes a synthetic model in the interchange format to FILE (default standard output).")
	preset := fs.String("preset", "small", "size: "+strings.Join(gen.Presets, ", "))
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same model")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	cfg, ok := gen.Preset(*preset, *seed)
	if !ok {
		return fmt.Errorf("gen: unknown preset %q (want one of %s)", *preset, strings.Join(gen.Presets, ", "))
	}
	start := time.Now()
	doc := gen.Generate(cfg)
	if err := writeDocument(doc, fs.Arg(0), stdout); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated %d nodes and %d relationships in %s\n", len(doc.Nodes), len(doc.Relationships), time.Since(start).Round(time.Millisecond))
	return nil
}
