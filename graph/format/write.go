package format

import (
	"archive/zip"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// Write writes doc to w in format, one of Formats: JSON is the interchange document
// (indented, as `stakegraph export` writes it), CSV a zip archive of CSVFiles, GraphML
// and GEXF one XML document each. An unknown format is EINVALID.
func Write(w io.Writer, format string, doc *graph.Document) error {
	switch format {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case CSV:
		zw := zip.NewWriter(w)
		now := time.Now() // without a time, unzip lists the files as made in 1980-00-00
		if err := WriteCSV(doc, func(name string) (io.Writer, error) {
			return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		}); err != nil {
			return err
		}
		return zw.Close()
	case GraphML:
		return WriteGraphML(w, doc)
	case GEXF:
		return WriteGEXF(w, doc)
	}
	return graph.Errorf(graph.EINVALID, "format", "unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// ContentType is the media type of format's output.
func ContentType(format string) string {
	switch format {
	case JSON:
		return "application/json"
	case CSV:
		return "application/zip"
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	}
	return "application/octet-stream"
}
