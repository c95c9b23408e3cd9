package main

import (
	"context"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/format"
)

// exportFiles are the HTTP exports, by path: GET /export.json and so on. The CSV form is a
// zip archive of its files.
var exportFiles = map[string]string{
	"/export.json":    format.JSON,
	"/export.csv":     format.CSV,
	"/export.graphml": format.GraphML,
	"/export.gexf":    format.GEXF,
}

// exportHandler serves the model in one format, read as the request's viewer sees it: the
// store leaves out what is not releasable to the viewer's nation, and the relationships
// of what it leaves out, so every role may fetch it; an admin gets everything. It must
// run inside the authentication middleware, as /graphql does.
func exportHandler(store graph.Store, formatName string, timeout time.Duration) http.Handler {
	name := "stakegraph." + formatName
	if formatName == format.CSV {
		name = "stakegraph-csv.zip"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		doc, err := store.Export(ctx)
		if err != nil {
			status, code, msg := http.StatusInternalServerError, graph.ErrorCode(err), "the export failed; the server log has the details"
			switch code {
			case graph.EUNAVAILABLE:
				status, msg = http.StatusServiceUnavailable, "the database does not answer"
			case graph.ETIMEOUT:
				status, msg = http.StatusGatewayTimeout, "the export ran past the request's deadline"
			default:
				code = graph.EINTERNAL
			}
			zerolog.Ctx(ctx).Error().Err(err).Str("format", formatName).Msg("export failed")
			writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
			return
		}
		w.Header().Set("Content-Type", format.ContentType(formatName))
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if err := format.Write(w, formatName, doc); err != nil {
			// The status is sent by now; the truncated body is all the client can be told.
			zerolog.Ctx(ctx).Error().Err(err).Str("format", formatName).Msg("writing the export failed")
		}
	})
}
