package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeDocument reads an interchange document strictly: unknown fields, wrong types and
// trailing data are EINVALID errors naming the JSON path ("nodes[3].confidence"). It does
// not check the model's rules; ValidateDocument does.
func DecodeDocument(r io.Reader) (*Document, error) {
	var raw struct {
		Version       int               `json:"version"`
		Nodes         []json.RawMessage `json:"nodes"`
		Relationships []json.RawMessage `json:"relationships"`
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
	switch {
	case errors.As(err, &te):
		field := te.Field
		if path != "" && field != "" {
			field = path + "." + field
		} else if path != "" {
			field = path
		}
		return Errorf(EINVALID, field, "cannot use a JSON %s as %s", te.Value, te.Type)
	case errors.As(err, &se):
		return Errorf(EINVALID, path, "malformed JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Errorf(EINVALID, join(path, name), "unknown field %q", name)
	case errors.Is(err, io.EOF):
		return Errorf(EINVALID, path, "empty document")
	}
	return Errorf(EINVALID, path, "%v", err)
}
