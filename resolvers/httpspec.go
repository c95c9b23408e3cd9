package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// GraphQLOverHTTP makes h's answers to operations that fail before execution (a document
// that does not parse or validate, variables that do not coerce, a persisted query not
// found, the operation limits) follow the GraphQL over HTTP spec's recommendations, which
// gqlgen's transports do not:
//
//   - with Accept: application/json, the status is 200, as for any well-formed GraphQL
//     request (gqlgen answers 422);
//   - with application/graphql-response+json, the body has no "data" entry, since the
//     operation never ran (gqlgen writes "data": null), and the status stays 400;
//   - a request that carries no query at all is not a GraphQL request: 400 with either.
//
// Other answers pass through untouched and unbuffered.
func GraphQLOverHTTP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &specWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), noQueryKey{}, &sw.noQuery)))
		sw.finish()
	})
}

type noQueryKey struct{}

// requireQuery refuses a request without a query (after APQ has looked its hash up), and
// tells GraphQLOverHTTP so, which answers it 400: gqlgen's own check comes too late to tell
// such a request from a document without operations.
type requireQuery struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = requireQuery{}

// ExtensionName implements graphql.HandlerExtension.
func (requireQuery) ExtensionName() string { return "RequireQuery" }

// Validate implements graphql.HandlerExtension.
func (requireQuery) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (requireQuery) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if strings.TrimSpace(p.Query) != "" {
		return nil
	}
	if flag, ok := ctx.Value(noQueryKey{}).(*bool); ok {
		*flag = true
	}
	err := gqlerror.Errorf(`the request has no query: send the operation's text as "query"`)
	errcode.Set(err, errcode.ValidationFailed)
	return err
}

// specWriter rewrites the status, and holds the body of an application/graphql-response+json
// refusal to drop its data entry.
type specWriter struct {
	http.ResponseWriter
	held    *bytes.Buffer // non-nil while holding a refusal's body
	noQuery bool          // set by requireQuery
}

// WriteHeader implements http.ResponseWriter.
func (w *specWriter) WriteHeader(status int) {
	ct, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	switch {
	case w.noQuery && status >= 400:
		status = http.StatusBadRequest
	case status == http.StatusUnprocessableEntity && ct == "application/json":
		status = http.StatusOK
	}
	if status == http.StatusBadRequest && ct == "application/graphql-response+json" {
		w.held = new(bytes.Buffer)
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *specWriter) Write(b []byte) (int, error) {
	if w.held != nil {
		return w.held.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// finish writes a held body without its data entry when that is null. A body that is not a
// JSON object (it always is) goes out as it came.
func (w *specWriter) finish() {
	if w.held == nil {
		return
	}
	body := w.held.Bytes()
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil && string(resp["data"]) == "null" {
		delete(resp, "data")
		if b, err := json.Marshal(resp); err == nil {
			body = b
		}
	}
	_, _ = w.ResponseWriter.Write(body)
}
