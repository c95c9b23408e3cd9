// Package seed holds stakegraph's demo dataset: an illustrative model of NATO Allies,
// partners, their ministries and agencies, international bodies, objectives, capabilities,
// agreements and threats, compiled from public sources (README.md says what it shows).
// The data is demo.json, in the interchange format (graph.Document); nothing generates it.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/stakegraph/stakegraph/graph"
)

//go:embed demo.json
var demoJSON []byte

// Demo decodes the embedded demo model. Decoding is strict (unknown fields are errors), so
// a typo in demo.json fails here and in the tests rather than silently dropping data. The
// document is not validated; callers import it through the same path as any other.
func Demo() (*graph.Document, error) {
	return decode(demoJSON)
}

func decode(b []byte) (*graph.Document, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var doc graph.Document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("seed: decode demo.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("seed: decode demo.json: trailing data after the document")
	}
	return &doc, nil
}
