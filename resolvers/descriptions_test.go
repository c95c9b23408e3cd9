package resolvers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/resolvers"
)

// descriptionQuery asks the running schema, through the ordinary introspection query, for
// every type, field, argument, input field and enum value with its description.
const descriptionQuery = `{ __schema { types {
	name kind description
	fields(includeDeprecated: true) { name description args { name description } }
	inputFields { name description }
	enumValues(includeDeprecated: true) { name description }
} } }`

type introspected struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// TestSchemaDescriptionCoverage keeps GraphiQL's documentation pane useful: at least 90%
// of the schema's types, fields, arguments, input fields and enum values carry a
// description (GraphQL's built-in scalars and introspection types are not ours to count).
// It prints the figure and, with -v, what is still undescribed.
func TestSchemaDescriptionCoverage(t *testing.T) {
	h := resolvers.NewHandler(&resolvers.Resolver{}, resolvers.Options{Introspection: true})
	body, _ := json.Marshal(map[string]any{"query": descriptionQuery})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	asLocal(h).ServeHTTP(rec, req)
	var resp struct {
		Data struct {
			Schema struct {
				Types []struct {
					introspected
					Kind   string `json:"kind"`
					Fields []struct {
						introspected
						Args []introspected `json:"args"`
					} `json:"fields"`
					InputFields []introspected `json:"inputFields"`
					EnumValues  []introspected `json:"enumValues"`
				} `json:"types"`
			} `json:"__schema"`
		} `json:"data"`
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("introspection failed (%d): %v %s", rec.Code, err, rec.Body.String())
	}
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	var total, described int
	var missing []string
	count := func(what string, x introspected) {
		total++
		if strings.TrimSpace(x.Description) != "" {
			described++
		} else {
			missing = append(missing, what)
		}
	}
	for _, ty := range resp.Data.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || builtin[ty.Name] {
			continue
		}
		count("type "+ty.Name, ty.introspected)
		for _, f := range ty.Fields {
			count("field "+ty.Name+"."+f.Name, f.introspected)
			for _, a := range f.Args {
				count("argument "+ty.Name+"."+f.Name+"("+a.Name+")", a)
			}
		}
		for _, f := range ty.InputFields {
			count("input field "+ty.Name+"."+f.Name, f)
		}
		for _, v := range ty.EnumValues {
			count("enum value "+ty.Name+"."+v.Name, v)
		}
	}
	if total < 100 {
		t.Fatalf("introspection listed only %d schema elements: the query or its decoding is wrong", total)
	}
	share := float64(described) / float64(total)
	t.Logf("schema descriptions: %d of %d elements (%.1f%%)", described, total, 100*share)
	for _, m := range missing {
		t.Logf("undescribed: %s", m)
	}
	if share < 0.9 {
		t.Fatalf("only %.1f%% of the schema's types, fields, arguments, input fields and enum values are described, want at least 90%%", 100*share)
	}
}
