package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stakegraph/stakegraph/auth"
)

const tokenUsage = `usage: stakegraph token new | hash

  new    prints a fresh static API token and its SHA-256 hash
  hash   reads a token on standard input and prints its hash, for staticTokens[].sha256
`

// runToken makes static API tokens: `token new` prints a fresh token and its hash, `token
// hash` reads a token on standard input (so that it stays out of the shell history and the
// process list) and prints its hash, for staticTokens[].sha256 in the configuration.
func runToken(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("token: say new or hash")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, tokenUsage)
		return nil
	case "new":
		tok, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token:  %s\nsha256: %s\n", tok, hash)
		return nil
	case "hash":
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		hash, err := auth.HashToken(strings.TrimRight(line, "\r\n"))
		if err != nil {
			return fmt.Errorf("token hash: %w", err)
		}
		fmt.Fprintln(stdout, hash)
		return nil
	}
	return fmt.Errorf("token: unknown subcommand %q (new or hash)", args[0])
}
