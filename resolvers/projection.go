package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/graph/analysis"
)

// model returns the projection of the graph at asOf (today when nil), from the snapshot
// cache: built once per graph version, class of viewer and date.
func (r *Resolver) model(ctx context.Context, asOf *graph.Date) (*analysis.Model, error) {
	_, m, err := r.loader(ctx).model(ctx, asOf)
	return m, err
}

// remembered returns what compute answers, from the snapshot cache when the same name
// (the analysis and its resolved arguments) was answered before on this graph version for
// this class of viewer. compute reports how many items the answer holds; each is estimated
// at itemBytes for the cache's budget. Callers must not modify what it returns: it is
// shared with later requests.
func remembered[T any](ctx context.Context, r *Resolver, name string, itemBytes int64, compute func(context.Context) (T, int, error)) (T, error) {
	var zero T
	g, err := r.loader(ctx).graph(ctx)
	if err != nil {
		return zero, err
	}
	v, err := r.snapshots().Result(ctx, g, graph.ViewerFrom(ctx), name, func(ctx context.Context) (any, int64, error) {
		x, n, err := compute(ctx)
		return x, int64(n) * itemBytes, err
	})
	if err != nil {
		return zero, err
	}
	return v.(T), nil
}

// Estimated bytes of one item of a remembered answer, with its ids and explanation.
const (
	gapBytes       = 400
	cutSetBytes    = 300
	communityBytes = 200
)

// entity resolves an id in an analysis result to its node, from the snapshot the
// analysis ran on; nil for an empty id or one the viewer may not see.
func (r *Resolver) entity(ctx context.Context, id string) graph.Entity {
	if id == "" {
		return nil
	}
	if n, _ := r.loader(ctx).node(ctx, id); n != nil {
		return graph.AsEntity(n)
	}
	return nil
}

// entities resolves ids, dropping any the projection lacks.
func (r *Resolver) entities(ctx context.Context, ids []string) []graph.Entity {
	out := make([]graph.Entity, 0, len(ids))
	for _, id := range ids {
		if e := r.entity(ctx, id); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// typedEntities resolves ids to nodes of one label's type.
func typedEntities[T nodeKind](ctx context.Context, r *Resolver, ids []string) []T {
	out := make([]T, 0, len(ids))
	for _, e := range r.entities(ctx, ids) {
		out = append(out, T(*e.Data()))
	}
	return out
}

// typedEntity resolves one id to a node of one label's type; nil when empty.
func typedEntity[T nodeKind](ctx context.Context, r *Resolver, id string) *T {
	e := r.entity(ctx, id)
	if e == nil {
		return nil
	}
	t := T(*e.Data())
	return &t
}

// analysisError reports an unknown id given to an analysis as the client's input error
// (BAD_USER_INPUT), like every other bad argument.
func analysisError(err error) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Code == graph.ENOTFOUND {
		return &graph.Error{Code: graph.EINVALID, Field: e.Field, Message: e.Message}
	}
	return err
}

// cutSets runs the cut-set analysis for one objective or all.
func (r *Resolver) cutSets(ctx context.Context, objective *string, maxOrder int, view *analysis.View, asOf *graph.Date) ([]analysis.ObjectiveCutSets, error) {
	m, err := r.model(ctx, asOf)
	if err != nil {
		return nil, err
	}
	if objective == nil {
		name := fmt.Sprintf("cutSets|%q|%d|%s", deref(view).Stakeholder, maxOrder, m.AsOf)
		return remembered(ctx, r, name, cutSetBytes, func(ctx context.Context) ([]analysis.ObjectiveCutSets, int, error) {
			all, err := m.AllCutSets(ctx, deref(view), maxOrder)
			n := 0
			for _, o := range all {
				n += 1 + len(o.CutSets)
			}
			return all, n, analysisError(err)
		})
	}
	one, err := m.CutSets(ctx, *objective, deref(view), maxOrder)
	if err != nil {
		return nil, analysisError(err)
	}
	return []analysis.ObjectiveCutSets{one}, nil
}

// renameField gives a coded error the field name the API uses for it.
func renameField(err error, from, to string) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Field == from {
		return &graph.Error{Code: e.Code, Field: to, Message: e.Message}
	}
	return err
}

// ratio shows RAW or RRW: both are at least 1 when defined, and the analysis reports 0 for
// a ratio that does not exist (as SCRAM prints it), which the API shows as null.
func ratio(x float64) *float64 {
	if x == 0 {
		return nil
	}
	return &x
}

// gaps finds the gaps the filters select, at asOf and, for EXPIRING, at the horizon
// (default: a year after asOf).
func (r *Resolver) gaps(ctx context.Context, kinds []string, objective, stakeholder *string, asOf, horizon *graph.Date) ([]analysis.Gap, error) {
	at, err := r.model(ctx, asOf)
	if err != nil {
		return nil, err
	}
	f := analysis.GapFilter{Kinds: kinds, Objective: deref(objective), Stakeholder: deref(stakeholder)}
	var later *analysis.Model
	if len(kinds) == 0 || slices.Contains(kinds, analysis.GapExpiring) {
		h := at.AsOf.AddDays(365)
		if horizon != nil {
			h = *horizon
		}
		if h < at.AsOf {
			return nil, graph.Errorf(graph.EINVALID, "horizon", "horizon %s is before asOf %s", h, at.AsOf)
		}
		if later, err = r.model(ctx, &h); err != nil {
			return nil, err
		}
		f.Horizon = h
	}
	name := fmt.Sprintf("gaps|%q|%q|%q|%s|%s", f.Kinds, f.Objective, f.Stakeholder, at.AsOf, f.Horizon)
	return remembered(ctx, r, name, gapBytes, func(ctx context.Context) ([]analysis.Gap, int, error) {
		gaps, err := analysis.Gaps(ctx, at, later, f)
		return gaps, len(gaps), analysisError(err)
	})
}
