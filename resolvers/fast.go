package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/snapshot"
)

// The fast read path answers a query made only of model reads (the lists, lookups and
// traversals of schema/model.graphqls) by walking its selection over the snapshot and
// writing the JSON as it goes. gqlgen runs every resolver field, and marshals every
// element of every object list, in a goroutine of its own; for data already in memory
// that machinery cost several times the reads themselves (docs/benchmarks.md). The
// operation has been parsed, validated and checked against the limits by then; fields,
// fragments, aliases and @skip/@include are collected by gqlgen's own CollectFields, and
// scalars written by gqlgen's own marshalers, so the answer is byte for byte what the
// resolvers give — TestFastPathAnswersAsTheResolversDo compares the two on every field.
// Anything else (an analysis, a mutation, an argument it does not know, a value that
// would be an error) makes it decline, and the operation runs through gqlgen as before.

// errDecline stops a fast read: the operation goes through gqlgen instead.
var errDecline = errors.New("not a fast read")

// lists maps the root list fields to their label.
var lists = map[string]graph.Label{
	"nations": graph.LabelNation, "agencies": graph.LabelAgency, "objectives": graph.LabelObjective,
	"capabilities": graph.LabelCapability, "agreements": graph.LabelAgreement, "threats": graph.LabelThreat,
}

// lookups maps the root single-node fields to their label.
var lookups = map[string]graph.Label{
	"nation": graph.LabelNation, "agency": graph.LabelAgency, "objective": graph.LabelObjective,
	"capability": graph.LabelCapability, "agreement": graph.LabelAgreement, "threat": graph.LabelThreat,
}

// fastWriter is one fast read in progress.
type fastWriter struct {
	ctx context.Context
	op  *graphql.OperationContext
	g   *snapshot.Graph
	v   *graph.Viewer
	w   *bytes.Buffer
}

// fastRead answers op from the snapshot, or declines (nil, false).
func (r *Resolver) fastRead(ctx context.Context, op *graphql.OperationContext) (json.RawMessage, bool) {
	if op.Operation == nil || op.Operation.Operation != ast.Query {
		return nil, false
	}
	// Cheap checks first, so that an analysis query does not read the snapshot here.
	for _, cf := range graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"}) {
		if _, ok := lists[cf.Name]; !ok && lookups[cf.Name] == "" && cf.Name != "node" && cf.Name != "nodes" && cf.Name != "__typename" {
			return nil, false
		}
	}
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return nil, false // gqlgen's run meets the same error and reports it
	}
	f := &fastWriter{ctx: ctx, op: op, g: g, v: graph.ViewerFrom(ctx), w: &bytes.Buffer{}}
	if err := f.query(op.Operation.SelectionSet); err != nil {
		return nil, false
	}
	r.fastReads.Add(1)
	return f.w.Bytes(), true
}

// object writes one object: each collected field under its alias, in order.
func (f *fastWriter) object(sel ast.SelectionSet, satisfies []string, field func(cf graphql.CollectedField) error) error {
	f.w.WriteByte('{')
	for i, cf := range graphql.CollectFields(f.op, sel, satisfies) {
		if cf.IsDeferred() {
			return errDecline
		}
		if i > 0 {
			f.w.WriteByte(',')
		}
		f.w.WriteByte('"')
		f.w.WriteString(cf.Alias)
		f.w.WriteString(`":`)
		if cf.Name == "__typename" {
			graphql.MarshalString(satisfies[0]).MarshalGQL(f.w)
			continue
		}
		if err := field(cf); err != nil {
			return err
		}
	}
	f.w.WriteByte('}')
	return nil
}

func (f *fastWriter) query(sel ast.SelectionSet) error {
	return f.object(sel, []string{"Query"}, func(cf graphql.CollectedField) error {
		args := cf.ArgumentMap(f.op.Variables)
		if l, ok := lists[cf.Name]; ok {
			return f.connection(cf, l, args)
		}
		switch cf.Name {
		case "node":
			id, ok := args["id"].(string)
			if !ok {
				return errDecline
			}
			n, _ := f.g.Node(f.v, id)
			return f.nodeOrNull(cf.Selections, n)
		case "nodes":
			ids, ok := stringList(args["ids"])
			if !ok || len(ids) > maxPage {
				return errDecline
			}
			f.w.WriteByte('[')
			for i, id := range ids {
				if i > 0 {
					f.w.WriteByte(',')
				}
				n, _ := f.g.Node(f.v, id)
				if err := f.nodeOrNull(cf.Selections, n); err != nil {
					return err
				}
			}
			f.w.WriteByte(']')
			return nil
		}
		l := lookups[cf.Name]
		id, hasID := args["id"].(string)
		code, hasCode := args["code"].(string)
		var n *graph.Node
		switch {
		case hasID && !hasCode:
			if n, _ = f.g.Node(f.v, id); n != nil && n.Label != l {
				n = nil
			}
		case hasCode && !hasID && l == graph.LabelNation:
			if p := f.g.Find(f.v, graph.NodeFilter{Label: l, Code: code, First: 1}); len(p.Nodes) > 0 {
				n, _ = f.g.Node(f.v, p.Nodes[0].ID)
			}
		default:
			return errDecline
		}
		return f.nodeOrNull(cf.Selections, n)
	})
}

// connection writes one keyset page of a root list, as helpers.go's page reads it.
func (f *fastWriter) connection(cf graphql.CollectedField, l graph.Label, args map[string]any) error {
	flt := graph.NodeFilter{Label: l, First: defaultPage}
	// The playground's arguments (where, orderBy, last, before) are gqlgen's to answer.
	for k, v := range args {
		if v != nil && k != "first" && k != "after" && k != "filter" {
			return errDecline
		}
	}
	if v, ok := args["first"]; ok && v != nil {
		n, ok := toInt(v)
		if !ok || n < 1 || n > maxPage {
			return errDecline
		}
		flt.First = n
	}
	if v, ok := args["after"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return errDecline
		}
		if s != "" {
			id, err := decodeCursor(s)
			if err != nil {
				return errDecline
			}
			flt.After = id
		}
	}
	if v, ok := args["filter"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			return errDecline
		}
		for k, x := range m {
			if x == nil {
				continue
			}
			if k == "ids" {
				ids, ok := stringList(x)
				if !ok {
					return errDecline
				}
				flt.IDs = ids
				continue
			}
			s, ok := x.(string)
			if !ok {
				return errDecline
			}
			switch k {
			case "nameContains":
				flt.NameContains = s
			case "region":
				flt.Region = s
			case "kind":
				flt.Kind = s
			case "domain":
				flt.Domain = s
			case "category":
				flt.Category = s
			default:
				return errDecline
			}
		}
	}
	p := f.g.Find(f.v, flt)
	return f.object(cf.Selections, []string{string(l) + "Connection"}, func(c graphql.CollectedField) error {
		switch c.Name {
		case "totalCount":
			graphql.MarshalInt(p.TotalCount).MarshalGQL(f.w)
		case "nodes":
			return f.nodeList(c.Selections, p.Nodes)
		case "edges":
			f.w.WriteByte('[')
			for i := range p.Nodes {
				if i > 0 {
					f.w.WriteByte(',')
				}
				err := f.object(c.Selections, []string{string(l) + "Edge"}, func(e graphql.CollectedField) error {
					if e.Name == "cursor" {
						graphql.MarshalString(encodeCursor(p.Nodes[i].ID)).MarshalGQL(f.w)
						return nil
					}
					return f.node(e.Selections, &p.Nodes[i])
				})
				if err != nil {
					return err
				}
			}
			f.w.WriteByte(']')
		case "pageInfo":
			return f.object(c.Selections, []string{"PageInfo"}, func(i graphql.CollectedField) error {
				if i.Name == "hasNextPage" {
					graphql.MarshalBoolean(p.HasNextPage).MarshalGQL(f.w)
				} else if i.Name != "endCursor" {
					return errDecline // hasPreviousPage, startCursor: gqlgen's to answer
				} else if len(p.Nodes) == 0 {
					f.w.WriteString("null")
				} else {
					graphql.MarshalString(encodeCursor(p.Nodes[len(p.Nodes)-1].ID)).MarshalGQL(f.w)
				}
				return nil
			})
		default:
			return errDecline
		}
		return nil
	})
}

func (f *fastWriter) nodeList(sel ast.SelectionSet, ns []graph.Node) error {
	f.w.WriteByte('[')
	for i := range ns {
		if i > 0 {
			f.w.WriteByte(',')
		}
		if err := f.node(sel, &ns[i]); err != nil {
			return err
		}
	}
	f.w.WriteByte(']')
	return nil
}

func (f *fastWriter) nodeOrNull(sel ast.SelectionSet, n *graph.Node) error {
	if n == nil {
		f.w.WriteString("null")
		return nil
	}
	return f.node(sel, n)
}

// node writes one node as its label's type; the same field name means the same thing on
// every node type, and validation has let through only the fields the type has.
func (f *fastWriter) node(sel ast.SelectionSet, n *graph.Node) error {
	satisfies := []string{string(n.Label), "Node"}
	if n.Label.IsStakeholder() {
		satisfies = append(satisfies, "Stakeholder")
	}
	return f.object(sel, satisfies, func(cf graphql.CollectedField) error {
		w := f.w
		switch cf.Name {
		case "id":
			graphql.MarshalString(n.ID).MarshalGQL(w)
		case "name":
			graphql.MarshalString(n.Name).MarshalGQL(w)
		case "description":
			optString(w, n.Description)
		case "source":
			optString(w, n.Source)
		case "confidence":
			optFloat(f.ctx, w, n.Confidence)
		case "reliability":
			optFloat(f.ctx, w, n.Reliability)
		case "releasableTo":
			w.WriteByte('[')
			for i, s := range n.ReleasableTo {
				if i > 0 {
					w.WriteByte(',')
				}
				graphql.MarshalString(s).MarshalGQL(w)
			}
			w.WriteByte(']')
		case "updatedAt":
			if n.UpdatedAt == nil {
				w.WriteString("null")
			} else {
				graphql.MarshalTime(*n.UpdatedAt).MarshalGQL(w)
			}
		case "code", "kind", "domain":
			graphql.MarshalString(map[string]string{"code": n.Code, "kind": n.Kind, "domain": n.Domain}[cf.Name]).MarshalGQL(w)
		case "region":
			optString(w, n.Region)
		case "category":
			optString(w, n.Category)
		case "signed":
			n.Signed.MarshalGQL(w)
		case "expires":
			n.Expires.MarshalGQL(w)
		default:
			// The traversals are where.go's table of every relationship field.
			rs, ok := relField(string(n.Label), cf.Name)
			if !ok || len(cf.Arguments) > 0 {
				return errDecline
			}
			return f.traverse(cf, n, rs)
		}
		return nil
	})
}

func (f *fastWriter) traverse(cf graphql.CollectedField, n *graph.Node, rs relSpec) error {
	edges := f.g.Related(f.v, n.ID, rs.rel, rs.dir)
	switch {
	case rs.one:
		if len(edges) == 0 {
			return f.nodeOrNull(cf.Selections, nil)
		}
		return f.node(cf.Selections, edges[0].Node)
	case rs.view == "":
		f.w.WriteByte('[')
		for i, e := range edges {
			if i > 0 {
				f.w.WriteByte(',')
			}
			if err := f.node(cf.Selections, e.Node); err != nil {
				return err
			}
		}
		f.w.WriteByte(']')
		return nil
	}
	f.w.WriteByte('[')
	for i, e := range edges {
		if i > 0 {
			f.w.WriteByte(',')
		}
		if err := f.link(cf.Selections, rs.view, n, e); err != nil {
			return err
		}
	}
	f.w.WriteByte(']')
	return nil
}

// link writes one relationship view (Pursuit, Provision, Membership, Coordination) of a
// relationship reached from n.
func (f *fastWriter) link(sel ast.SelectionSet, typ string, n *graph.Node, e snapshot.Edge) error {
	r := e.Rel
	from, to := n, e.Node
	if r.From != n.ID {
		from, to = e.Node, n
	}
	return f.object(sel, []string{typ}, func(cf graphql.CollectedField) error {
		w := f.w
		switch cf.Name {
		case "id":
			graphql.MarshalString(r.Key().ID()).MarshalGQL(w)
		case "priority":
			graphql.MarshalInt(r.Priority).MarshalGQL(w)
		case "validFrom":
			r.ValidFrom.MarshalGQL(w)
		case "validTo":
			r.ValidTo.MarshalGQL(w)
		case "capacity":
			optFloat(f.ctx, w, r.Capacity)
		case "role":
			optString(w, r.Role)
		case "mechanism":
			optString(w, r.Mechanism)
		case "source":
			optString(w, r.Source)
		case "confidence":
			optFloat(f.ctx, w, r.Confidence)
		case "stakeholder", "provider", "party":
			return f.node(cf.Selections, from)
		case "objective", "capability", "agreement":
			return f.node(cf.Selections, to)
		case "agency": // the far end of a coordination, seen from n
			return f.node(cf.Selections, e.Node)
		default:
			return errDecline
		}
		return nil
	})
}

func optString(w io.Writer, s string) {
	if s == "" {
		_, _ = io.WriteString(w, "null")
		return
	}
	graphql.MarshalString(s).MarshalGQL(w)
}

func optFloat(ctx context.Context, w io.Writer, x *float64) {
	if x == nil {
		_, _ = io.WriteString(w, "null")
		return
	}
	if err := graphql.MarshalFloatContext(*x).MarshalGQLContext(ctx, w); err != nil {
		_, _ = io.WriteString(w, "null")
	}
}

// toInt reads an Int argument as gqlgen hands it over: a literal or a decoded variable.
func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case json.Number:
		n, err := strconv.Atoi(string(x))
		return n, err == nil
	case float64:
		return int(x), float64(int(x)) == x
	}
	return 0, false
}

// stringList reads a [String!] or [ID!] argument.
func stringList(v any) ([]string, bool) {
	xs, ok := v.([]any)
	if !ok {
		if s, ok := v.(string); ok { // a single value where a list is expected is coerced to a list
			return []string{s}, true
		}
		return nil, false
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		if out[i], ok = x.(string); !ok {
			return nil, false
		}
	}
	return out, true
}
