package resolvers

import (
	"context"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/resolvers/generated"
)

// directives implements the schema's directives (schema/auth.graphqls).
func directives() generated.DirectiveRoot {
	return generated.DirectiveRoot{HasRole: hasRole}
}

// hasRole refuses the field with FORBIDDEN unless the viewer has at least role (or, when
// bulk is set and a list argument holds more than one item, at least bulk). gqlgen runs it
// before the resolver, with the field's arguments already decoded, so a refused mutation
// writes nothing.
func hasRole(ctx context.Context, _ any, next graphql.Resolver, role string, bulk *string) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	need := graph.Role(strings.ToLower(role))
	if bulk != nil && manyItems(fc.Args) {
		need = graph.Role(strings.ToLower(*bulk))
	}
	v := graph.ViewerFrom(ctx)
	if !v.Role.AtLeast(need) {
		what := fc.Field.Name
		if need != graph.Role(strings.ToLower(role)) {
			what += " of more than one item"
		}
		return nil, graph.Errorf(graph.EFORBIDDEN, "", "%s needs the role %s; this token's role is %s", what, need, v.Role)
	}
	return next(ctx)
}

// manyItems reports whether any list argument holds more than one item.
func manyItems(args map[string]any) bool {
	for _, a := range args {
		if v := reflect.ValueOf(a); v.Kind() == reflect.Slice && v.Len() > 1 {
			return true
		}
	}
	return false
}
