package auth

import (
	"strings"

	"github.com/stakegraph/stakegraph/graph"
)

// viewer reads whom a token's claims stand for, as m maps them: a subject, a known role, and
// a well-formed nation, which every role but admin needs because releasability is judged
// against it. Errors name the configured claim, never its value.
func (m ClaimMapping) viewer(all map[string]any) (*graph.Viewer, error) {
	subject, err := m.values(all, m.Subject)
	if err != nil {
		return nil, err
	}
	if len(subject) != 1 || subject[0] == "" {
		return nil, fail(`the token has no %q claim (subject)`, m.Subject)
	}
	role, err := m.role(all)
	if err != nil {
		return nil, err
	}
	nation, err := m.nation(all)
	if err != nil {
		return nil, err
	}
	if nation == "" && role != graph.RoleAdmin {
		return nil, fail(`the token has no %q claim, which every role but admin needs`, m.Nation)
	}
	return &graph.Viewer{Subject: subject[0], Role: role, Nation: nation}, nil
}

// role is the strongest role the role claim's values give: through Roles when it is set,
// else by a value's own name.
func (m ClaimMapping) role(all map[string]any) (graph.Role, error) {
	values, err := m.values(all, m.Role)
	switch {
	case err != nil:
		return "", err
	case len(values) == 0 || len(values) == 1 && values[0] == "":
		return "", fail(`the token has no %q claim`, m.Role)
	}
	var best graph.Role
	for _, v := range values {
		r := graph.Role(v)
		if m.Roles != nil {
			r = m.Roles[v]
		}
		if r.Valid() && (best == "" || r.AtLeast(best)) {
			best = r
		}
	}
	if best == "" {
		if m.Roles != nil {
			return "", fail(`the token's %q claim holds no value that claims.roles maps to a role`, m.Role)
		}
		return "", fail(`the token's %q is not one of viewer, analyst, editor, admin`, m.Role)
	}
	return best, nil
}

// nation is the one nation the nation claim's values give (through Nations or NationPrefix
// when set), "" when none does.
func (m ClaimMapping) nation(all map[string]any) (string, error) {
	values, err := m.values(all, m.Nation)
	if err != nil {
		return "", err
	}
	nation := ""
	for _, v := range values {
		switch {
		case m.Nations != nil:
			v = m.Nations[v]
		case m.NationPrefix != "":
			var ok bool
			if v, ok = strings.CutPrefix(v, m.NationPrefix); !ok {
				v = ""
			}
		}
		if v == "" || v == nation {
			continue
		}
		if nation != "" {
			return "", fail(`the token's %q claim names more than one nation`, m.Nation)
		}
		nation = v
	}
	if nation != "" && !nationCode.MatchString(nation) {
		return "", fail(`the token's %q is not an ISO 3166-1 alpha-3 code (three capital letters)`, m.Nation)
	}
	return nation, nil
}

// values reads the claim named name (a claim of that very name, else a dotted path into
// nested objects) as strings: none when it is absent, one for a string, each for an array
// of strings. Anything else is malformed.
func (m ClaimMapping) values(all map[string]any, name string) ([]string, error) {
	v, ok := all[name]
	if !ok {
		var cur any = all
		for _, part := range strings.Split(name, ".") {
			obj, isObj := cur.(map[string]any)
			if !isObj {
				return nil, nil
			}
			if cur, ok = obj[part]; !ok {
				return nil, nil
			}
		}
		v = cur
	}
	wrongType := fail("the token is malformed: its %q claim has the wrong type", name)
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, wrongType
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, wrongType
}
