package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
)

// envPrefix starts the environment variable of every serve flag.
const envPrefix = "STAKEGRAPH_"

// envName is the environment variable that sets a flag: -max-body is STAKEGRAPH_MAX_BODY.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseWithEnv sets each of fs's flags from its environment variable (envName) when that is
// set, then parses args as parseFlags does: a flag on the command line overrides the
// environment, which overrides the default. A value the flag refuses is an error naming the
// variable.
func parseWithEnv(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if v, ok := os.LookupEnv(name); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return parseFlags(fs, args, stdout)
}

// logFlags registers -log-level and -log-format on fs; the function it returns builds the
// logger they ask for, writing to w.
func logFlags(fs *flag.FlagSet) func(w io.Writer) (zerolog.Logger, error) {
	level := fs.String("log-level", "info", "least severe log level written: trace, debug, info, warn, error")
	format := fs.String("log-format", "json", "log format: json (one object a line, for collectors) or console (readable, for a terminal)")
	return func(w io.Writer) (zerolog.Logger, error) {
		lvl, err := zerolog.ParseLevel(strings.ToLower(*level))
		if err != nil || lvl == zerolog.NoLevel || lvl > zerolog.ErrorLevel {
			return zerolog.Logger{}, fmt.Errorf("-log-level %q: want trace, debug, info, warn or error", *level)
		}
		switch *format {
		case "json":
		case "console":
			// Colours only on a terminal: escape codes would litter a file or a journal.
			f, isFile := w.(*os.File)
			w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05.000", NoColor: !isFile || !isatty.IsTerminal(f.Fd())}
		default:
			return zerolog.Logger{}, fmt.Errorf("-log-format %q: want json or console", *format)
		}
		return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
	}
}
