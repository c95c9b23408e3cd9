package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Environment of `stakegraph query`.
const (
	envURL   = "STAKEGRAPH_URL"   // the server, when -url is not given
	envToken = "STAKEGRAPH_TOKEN" // sent as the bearer token, so that it stays out of the process list
)

// defaultURL is where `stakegraph serve` listens by default.
const defaultURL = "http://127.0.0.1:8080"

// queryFormats are the values of query -o.
var queryFormats = []string{"json", "ndjson", "csv", "table"}

// runQuery runs a GraphQL document against a server and writes its answer in one of
// queryFormats. GraphQL errors go to stderr with their codes and make it fail.
func runQuery(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.Usage = usageOf(fs, "query [-url URL] [-var name=value]... [-vars FILE] [-o json|ndjson|csv|table] [-all] FILE|-",
		"Runs the GraphQL document in FILE (- for standard input) against a stakegraph server.\n"+
			"The bearer token is read from $"+envToken+".")
	base := fs.String("url", "", "the server (default $"+envURL+", else "+defaultURL+")")
	vars := queryVars{}
	fs.Var(vars, "var", "a variable `name=value`; the value is read as JSON when it parses, else as a string (repeatable)")
	varsFile := fs.String("vars", "", "a JSON object of variables from `FILE`; -var overrides its members")
	format := fs.String("o", "json", "output: json (the data object), ndjson (one line per row), csv or table (the first list in the answer as rows)")
	all := fs.Bool("all", false, "follow the first connection's pageInfo { hasNextPage endCursor } through the query's $after variable and join every page")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("query: give one FILE holding the GraphQL document (- for standard input)")
	}
	if !slices.Contains(queryFormats, *format) {
		return fmt.Errorf("query: -o %q is not one of %s", *format, strings.Join(queryFormats, ", "))
	}
	doc, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	variables := map[string]any{}
	if *varsFile != "" {
		b, err := os.ReadFile(*varsFile)
		if err != nil {
			return fmt.Errorf("query: %w", err)
		}
		if err := json.Unmarshal(b, &variables); err != nil {
			return fmt.Errorf("query: -vars %s is not a JSON object: %w", *varsFile, err)
		}
	}
	for k, v := range vars {
		variables[k] = v
	}
	c := &gqlClient{url: endpoint(*base), token: os.Getenv(envToken), stderr: stderr}
	var data any
	if *all {
		data, err = c.fetchAll(ctx, string(doc), variables)
	} else {
		data, err = c.do(ctx, string(doc), variables)
	}
	if data != nil {
		// Partial data comes with errors: it is written before failing, as GraphQL sends it.
		if werr := writeAnswer(stdout, data, *format); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

// readInput reads the named file, or r when name is "-".
func readInput(name string, r io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(r)
	}
	return os.ReadFile(name)
}

// endpoint is the GraphQL URL of the server at base: base itself when it names a path,
// else base + /graphql.
func endpoint(base string) string {
	if base == "" {
		base = os.Getenv(envURL)
	}
	if base == "" {
		base = defaultURL
	}
	if u, err := url.Parse(base); err == nil && strings.Trim(u.Path, "/") == "" {
		u.Path = "/graphql"
		return u.String()
	}
	return base
}

// queryVars collects -var name=value flags.
type queryVars map[string]any

// String implements flag.Value.
func (v queryVars) String() string { return "" }

// Set implements flag.Value: a value that parses as JSON is that JSON (10, true, null,
// ["a"], "quoted"); anything else is the string as written, so -var code=USA needs no quotes.
func (v queryVars) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not name=value", s)
	}
	var x any
	dec := json.NewDecoder(strings.NewReader(value))
	dec.UseNumber()
	if err := dec.Decode(&x); err == nil && !dec.More() {
		v[name] = x
		return nil
	}
	v[name] = value
	return nil
}

// gqlClient posts GraphQL requests to one server.
type gqlClient struct {
	url, token string
	stderr     io.Writer
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// do runs one request and returns its data (nil when there is none). Errors in the answer
// are written to stderr, each with its code, and make do fail.
func (c *gqlClient) do(ctx context.Context, doc string, vars map[string]any) (any, error) {
	body, err := json.Marshal(map[string]any{"query": doc, "variables": vars})
	if err != nil {
		return nil, err
	}
	var resp *http.Response
	var raw []byte
	for attempt := 0; ; attempt++ {
		if resp, raw, err = c.post(ctx, body); err != nil {
			return nil, err
		}
		wait, limited := retryAfter(resp)
		if !limited || attempt == maxRateRetries {
			break
		}
		// A server with authentication limits each token's rate: a long -all run waits as
		// told rather than failing half-way.
		fmt.Fprintf(c.stderr, "rate limited: retrying in %s\n", wait)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
	// Refusals before GraphQL (401, 413, 429) come in the same shape as GraphQL errors.
	var answer struct {
		Errors []gqlError `json:"errors"`
	}
	top, derr := decodeOrdered(raw)
	obj, isObj := top.(*object)
	if derr != nil || !isObj || json.Unmarshal(raw, &answer) != nil {
		return nil, fmt.Errorf("query: %s answered %s with no GraphQL response: %.200s", c.url, resp.Status, raw)
	}
	data := obj.vals["data"]
	if len(answer.Errors) > 0 {
		for _, e := range answer.Errors {
			fmt.Fprintln(c.stderr, "error:", e)
		}
		return data, fmt.Errorf("query: the server answered %d error(s)", len(answer.Errors))
	}
	if resp.StatusCode/100 != 2 {
		return data, fmt.Errorf("query: %s answered %s", c.url, resp.Status)
	}
	return data, nil
}

// maxRateRetries is how many times one request is retried after HTTP 429.
const maxRateRetries = 5

// post sends one request and reads the whole answer.
func (c *gqlClient) post(ctx context.Context, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("query: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("query: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("query: reading the answer: %w", err)
	}
	return resp, raw, nil
}

// retryAfter says whether resp is a rate-limit refusal worth waiting for, and how long:
// HTTP 429 with a Retry-After of 1 to 60 seconds.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 60 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}

// String is the error as a line: its code, its message and where in the answer.
func (e gqlError) String() string {
	code, _ := e.Extensions["code"].(string)
	if code == "" {
		code = "UNKNOWN"
	}
	s := code + ": " + e.Message
	if len(e.Path) > 0 {
		parts := make([]string, len(e.Path))
		for i, p := range e.Path {
			parts[i] = fmt.Sprint(p)
		}
		s += " (at " + strings.Join(parts, ".") + ")"
	}
	return s
}

var afterVariable = regexp.MustCompile(`\$after\b`)

// fetchAll runs doc page after page: it finds the first connection of the answer (an
// object outside any list with pageInfo { hasNextPage endCursor }), and while it has a next
// page asks again with $after set to the end cursor, appending the page's nodes and edges.
func (c *gqlClient) fetchAll(ctx context.Context, doc string, vars map[string]any) (any, error) {
	if !afterVariable.MatchString(doc) {
		return nil, errors.New("query: -all needs a document that takes an $after variable and passes it to the connection (after: $after)")
	}
	data, err := c.do(ctx, doc, vars)
	if err != nil || data == nil {
		return data, err
	}
	path, conn := firstConnection(data, nil)
	if conn == nil {
		return nil, errors.New("query: -all found no connection with pageInfo { hasNextPage endCursor } outside a list in the answer")
	}
	for {
		info := conn.vals["pageInfo"].(*object)
		if more, _ := info.vals["hasNextPage"].(bool); !more {
			return data, nil
		}
		cursor, _ := info.vals["endCursor"].(string)
		if cursor == "" || cursor == fmt.Sprint(vars["after"]) {
			return data, fmt.Errorf("query: -all: the connection at %s says it has a next page but gives no new endCursor", strings.Join(path, "."))
		}
		vars["after"] = cursor
		next, err := c.do(ctx, doc, vars)
		if err != nil {
			return data, err
		}
		page, _ := at(next, path).(*object)
		if page == nil {
			return data, fmt.Errorf("query: -all: a later page has no connection at %s", strings.Join(path, "."))
		}
		for _, k := range []string{"nodes", "edges"} {
			if l, ok := page.vals[k].([]any); ok {
				prev, _ := conn.vals[k].([]any)
				conn.vals[k] = append(prev, l...)
			}
		}
		conn.vals["pageInfo"] = page.vals["pageInfo"]
	}
}

// firstConnection finds, depth-first and outside lists, the first object with a pageInfo
// object that says hasNextPage, and the path of keys to it.
func firstConnection(v any, path []string) ([]string, *object) {
	o, ok := v.(*object)
	if !ok {
		return nil, nil
	}
	if info, ok := o.vals["pageInfo"].(*object); ok {
		if _, ok := info.vals["hasNextPage"].(bool); ok {
			return path, o
		}
	}
	for _, k := range o.keys {
		if p, c := firstConnection(o.vals[k], append(path[:len(path):len(path)], k)); c != nil {
			return p, c
		}
	}
	return nil, nil
}

// at follows path through objects.
func at(v any, path []string) any {
	for _, k := range path {
		o, ok := v.(*object)
		if !ok {
			return nil
		}
		v = o.vals[k]
	}
	return v
}

// writeAnswer writes data in format.
func writeAnswer(w io.Writer, data any, format string) error {
	switch format {
	case "json":
		b, err := json.MarshalIndent(data, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "ndjson":
		for _, r := range rowsOf(data) {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
				return err
			}
		}
		return nil
	}
	cols, rows := table(rowsOf(data))
	if format == "csv" {
		cw := csv.NewWriter(w)
		_ = cw.Write(cols)
		_ = cw.WriteAll(rows) // flushes
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells []string) {
		for i, c := range cells {
			// A tab or newline inside a value would break the columns.
			cells[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	line(cols)
	for _, r := range rows {
		line(r)
	}
	return tw.Flush()
}

// rowsOf is the first list in data, depth-first in the answer's order; an answer without a
// list is one row.
func rowsOf(data any) []any {
	if l, ok := firstList(data); ok {
		return l
	}
	return []any{data}
}

func firstList(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case *object:
		for _, k := range v.keys {
			if l, ok := firstList(v.vals[k]); ok {
				return l, true
			}
		}
	}
	return nil, false
}

// table flattens rows: nested objects become dotted column names, nested lists join their
// values with ";" (a list of objects gives one joined column per field), and the columns
// are in the order they first appear.
func table(rows []any) ([]string, [][]string) {
	var cols []string
	index := map[string]int{}
	flat := make([]map[string]string, len(rows))
	for i, r := range rows {
		cells := &row{vals: map[string]string{}}
		cells.flatten("", r)
		for _, c := range cells.keys {
			if _, ok := index[c]; !ok {
				index[c] = len(cols)
				cols = append(cols, c)
			}
		}
		flat[i] = cells.vals
	}
	// An empty list is a column of its own, as nothing says what it would hold; once another
	// row shows its fields (cutSets.events.id), it is those columns instead.
	all := slices.Clone(cols)
	cols = slices.DeleteFunc(cols, func(c string) bool {
		return slices.ContainsFunc(all, func(d string) bool { return strings.HasPrefix(d, c+".") })
	})
	if len(cols) == 0 {
		cols = []string{"value"}
	}
	out := make([][]string, len(rows))
	for i, r := range flat {
		out[i] = make([]string, len(cols))
		for j, c := range cols {
			out[i][j] = r[c]
		}
	}
	return cols, out
}

// row is one flattened row: cells by column, and the columns in order of appearance.
type row struct {
	keys []string
	vals map[string]string
}

func (r *row) set(col, v string) {
	if _, ok := r.vals[col]; !ok {
		r.keys = append(r.keys, col)
	}
	r.vals[col] = v
}

func (r *row) flatten(prefix string, v any) {
	switch v := v.(type) {
	case *object:
		for _, k := range v.keys {
			r.flatten(dotted(prefix, k), v.vals[k])
		}
	case []any:
		joined := &row{vals: map[string]string{}}
		for i, x := range v {
			item := &row{vals: map[string]string{}}
			item.flatten(prefix, x)
			for _, c := range item.keys {
				if prev, ok := joined.vals[c]; ok {
					joined.vals[c] = prev + ";" + item.vals[c]
				} else {
					// A column first seen at the i-th item keeps its place among the items.
					joined.set(c, strings.Repeat(";", i)+item.vals[c])
				}
			}
		}
		if len(v) == 0 {
			joined.set(prefix, "")
		}
		for _, c := range joined.keys {
			r.set(c, joined.vals[c])
		}
	default:
		col := prefix
		if col == "" {
			col = "value"
		}
		r.set(col, scalar(v))
	}
}

func dotted(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// scalar is a JSON scalar as a cell: null is empty.
func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}

// object is a JSON object that keeps its members in the order the server sent them, which
// is the order of the query's selection: columns and JSON output follow the query as written.
type object struct {
	keys []string
	vals map[string]any
}

// MarshalJSON implements json.Marshaler, in the members' order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// decodeOrdered decodes one JSON value with objects as *object and numbers as json.Number.
func decodeOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'):
		o := &object{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := o.vals[k]; !dup {
				o.keys = append(o.keys, k)
			}
			o.vals[k] = v
		}
		_, err := dec.Token() // }
		return o, err
	case json.Delim('['):
		l := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := dec.Token() // ]
		return l, err
	}
	return t, nil
}
