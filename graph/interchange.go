package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DecodeDocument reads an interchange document strictly: unknown fields, wrong types and
// trailing data are EINVALID errors naming the JSON path ("nodes[3].confidence"). It does
// not check the model's rules; ValidateDocument does.
func DecodeDocument(r io.Reader) (*Document, error) {
	var raw struct {
		Version       int               `json:"version"`
		Nodes         []json.RawMessage `json:"nodes"`
		Relationships []json.RawMessage `json:"relationships"`
		Audit         []json.RawMessage `json:"audit"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonError("", err)
	}
	if dec.More() {
		return nil, Errorf(EINVALID, "", "trailing data after the document")
	}
	doc := &Document{Version: raw.Version, Nodes: make([]Node, len(raw.Nodes)), Relationships: make([]Relationship, len(raw.Relationships))}
	for i, m := range raw.Nodes {
		if err := strict(m, &doc.Nodes[i]); err != nil {
			return nil, jsonError(fmt.Sprintf("nodes[%d]", i), err)
		}
	}
	for i, m := range raw.Relationships {
		if err := strict(m, &doc.Relationships[i]); err != nil {
			return nil, jsonError(fmt.Sprintf("relationships[%d]", i), err)
		}
	}
	if raw.Audit != nil {
		doc.Audit = make([]AuditEvent, len(raw.Audit))
		for i, m := range raw.Audit {
			if err := strict(m, &doc.Audit[i]); err != nil {
				return nil, jsonError(fmt.Sprintf("audit[%d]", i), err)
			}
		}
	}
	return doc, nil
}

func strict(m json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(m))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// jsonError names where in the document a decoding error happened.
func jsonError(path string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &pe):
		// updatedAt, an audit event's at: the message would quote Go's reference layout.
		return Errorf(EINVALID, path, "%q is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z", pe.Value)
	case errors.As(err, &te):
		field := te.Field
		if path != "" && field != "" {
			field = path + "." + field
		} else if path != "" {
			field = path
		}
		return Errorf(EINVALID, field, "cannot use a JSON %s here (want %s)", te.Value, jsonKind(te.Type))
	case errors.As(err, &se):
		return Errorf(EINVALID, path, "malformed JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if u, err := strconv.Unquote(name); err == nil {
			name = u
		}
		return Errorf(EINVALID, member(path, name), "unknown field %q", name)
	case errors.Is(err, io.EOF):
		return Errorf(EINVALID, path, "empty document")
	}
	return Errorf(EINVALID, path, "%v", err)
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// member is the path of key name in the object at path. A name that is not an identifier
// is quoted in brackets (nodes[0]["a.b"]), so that a key holding dots or brackets cannot
// make the path name another field.
func member(path, name string) string {
	if identifier.MatchString(name) {
		return join(path, name)
	}
	return path + "[" + strconv.Quote(name) + "]"
}

// jsonKind names what JSON a Go type decodes from: the type's own name ("struct { Version
// int ... }", "graph.Node") means nothing to someone writing a document.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}
