package resolvers

import "github.com/stakegraph/stakegraph/graph"

// WhereField is one operator of a where input, for the tests of package resolvers_test.
type WhereField struct {
	Type, Field, Prop, Op, Kind string // Kind: string, number, date, time, list, enum, id
	Edge                        bool
}

// WhereRel is one traversal of a node type, for tests.
type WhereRel struct {
	Type, Field string
	Rel         graph.RelType
	Dir         graph.Direction
	Far         graph.Label
	View        string
	one         bool
}

// One reports whether the traversal holds at most one node (Agency.nation).
func (r WhereRel) One() bool { return r.one }

// WhereFields lists every property operator of every where input.
func WhereFields() []WhereField {
	kinds := map[valueKind]string{vID: "id", vString: "string", vEnum: "enum", vDate: "date", vTime: "time", vFloat: "number", vInt: "number", vList: "list"}
	var out []WhereField
	for _, s := range whereSpecs {
		for _, p := range s.props {
			for _, op := range p.operators() {
				out = append(out, WhereField{Type: s.typ, Field: p.field + "_" + string(op), Prop: p.field, Op: string(op), Kind: kinds[p.kind], Edge: s.edge})
			}
		}
	}
	return out
}

// WhereRels lists every traversal of every node type.
func WhereRels() []WhereRel {
	var out []WhereRel
	for _, s := range whereSpecs {
		for _, r := range s.rels {
			out = append(out, WhereRel{Type: s.typ, Field: r.field, Rel: r.rel, Dir: r.dir, Far: r.far, View: r.view, one: r.one})
		}
	}
	return out
}
