package graph

import (
	"strings"
	"time"
)

// Cond is a condition on a node or on a relationship seen from one of its ends, as the
// API's `where` inputs are turned into it. Every part that is set must hold (the zero Cond
// holds for everything). Conditions are evaluated in memory over the snapshot, never
// translated to Cypher: properties and operators come from the closed sets below.
type Cond struct {
	And []Cond // every one holds
	Or  []Cond // at least one holds (a non-nil empty Or holds for nothing)
	Not *Cond  // it does not hold

	Props []PropCond // comparisons of the node's (or relationship's) own properties
	Rels  []RelCond  // on a node: quantifiers over its relationships

	// On a node: the node carries this label (a Stakeholder narrowed to Nation or Agency).
	Label Label
	// On a relationship: conditions on its start, its end, and the end that is not the
	// node it was reached from.
	From, To, Other *Cond
}

// Prop names a property a condition or an order may read. The set is closed.
type Prop string

// The properties of nodes and relationships that conditions read (docs/analyses.md describes the model).
const (
	PropID           Prop = "id"
	PropName         Prop = "name"
	PropDescription  Prop = "description"
	PropSource       Prop = "source"
	PropConfidence   Prop = "confidence"
	PropReleasableTo Prop = "releasableTo"
	PropReliability  Prop = "reliability"
	PropUpdatedAt    Prop = "updatedAt"
	PropCode         Prop = "code"
	PropRegion       Prop = "region"
	PropKind         Prop = "kind"
	PropDomain       Prop = "domain"
	PropCategory     Prop = "category"
	PropSigned       Prop = "signed"
	PropExpires      Prop = "expires"
	PropPriority     Prop = "priority"
	PropValidFrom    Prop = "validFrom"
	PropValidTo      Prop = "validTo"
	PropCapacity     Prop = "capacity"
	PropRole         Prop = "role"
	PropMechanism    Prop = "mechanism"
)

// Op is a comparison operator. The set is closed.
type Op string

// The comparison operators, as the API names them after the property (name_CONTAINS).
const (
	OpEQ           Op = "EQ"
	OpIN           Op = "IN"
	OpContains     Op = "CONTAINS"
	OpStartsWith   Op = "STARTS_WITH"
	OpEndsWith     Op = "ENDS_WITH"
	OpLT           Op = "LT"
	OpLTE          Op = "LTE"
	OpGT           Op = "GT"
	OpGTE          Op = "GTE"
	OpIncludes     Op = "INCLUDES"      // a list property contains the value
	OpIsNull       Op = "IS_NULL"       // the property is absent (Bool says which way)
	OpContainsFold Op = "CONTAINS_FOLD" // case-insensitive substring, as nameContains
)

// PropCond compares one property with a value. Text, enum, date and id values are in
// Strings (dates in ISO form, times in the fixed UTC form of TimeKey), numbers in Numbers;
// IN takes several, the others one. An absent property satisfies no comparison but
// IS_NULL: true.
type PropCond struct {
	Prop    Prop
	Op      Op
	Strings []string
	Numbers []float64
	Bool    bool // IS_NULL: true for absent, false for present
}

// Quant says how a relationship condition counts the related items that match.
type Quant string

// Quantifiers: some, none, all (true when there are none) or exactly one of the related
// items match; or their number compares with N.
const (
	QuantSome   Quant = "SOME"
	QuantNone   Quant = "NONE"
	QuantAll    Quant = "ALL"
	QuantSingle Quant = "SINGLE"
	QuantCount  Quant = "COUNT"
)

// RelCond is a condition on a node's relationships of one type and direction: the items
// are the relationships whose far end the viewer may see (a hidden node does not exist),
// whose far end carries Far when set, and each matches Where, evaluated on the
// relationship (its properties, From/To/Other) — or, when OnNode is set, on the far node.
type RelCond struct {
	Type   RelType
	Dir    Direction
	Far    Label // empty: any label
	Quant  Quant
	OnNode bool
	Where  *Cond
	Op     Op  // QuantCount: EQ, LT, LTE, GT, GTE
	N      int // QuantCount: the number compared with
}

// Order is one key of an order: a property, ascending unless Desc. Absent values sort
// after every value ascending (before, descending), as in Cypher.
type Order struct {
	Prop Prop
	Desc bool
}

// TimeKey writes t in a fixed-width UTC form, so that times compare as strings.
func TimeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// NodeProp reads a scalar property of n as a condition sees it: a string (text, enum,
// date, time in TimeKey form) or a float64; ok is false when the property is absent or
// not a scalar of nodes.
func NodeProp(n *Node, p Prop) (s string, f float64, isNum, ok bool) {
	str := func(v string) (string, float64, bool, bool) { return v, 0, false, v != "" }
	num := func(v *float64) (string, float64, bool, bool) {
		if v == nil {
			return "", 0, true, false
		}
		return "", *v, true, true
	}
	switch p {
	case PropID:
		return str(n.ID)
	case PropName:
		return str(n.Name)
	case PropDescription:
		return str(n.Description)
	case PropSource:
		return str(n.Source)
	case PropConfidence:
		return num(n.Confidence)
	case PropReliability:
		return num(n.Reliability)
	case PropUpdatedAt:
		if n.UpdatedAt == nil {
			return "", 0, false, false
		}
		return TimeKey(*n.UpdatedAt), 0, false, true
	case PropCode:
		return str(n.Code)
	case PropRegion:
		return str(n.Region)
	case PropKind:
		return str(n.Kind)
	case PropDomain:
		return str(n.Domain)
	case PropCategory:
		return str(n.Category)
	case PropSigned:
		return str(string(n.Signed))
	case PropExpires:
		return str(string(n.Expires))
	}
	return "", 0, false, false
}

// RelProp reads a scalar property of r as NodeProp reads a node's. A relationship's id
// is its "TYPE:from->to".
func RelProp(r *Relationship, p Prop) (s string, f float64, isNum, ok bool) {
	str := func(v string) (string, float64, bool, bool) { return v, 0, false, v != "" }
	switch p {
	case PropID:
		return str(r.Key().ID())
	case PropSource:
		return str(r.Source)
	case PropConfidence:
		if r.Confidence == nil {
			return "", 0, true, false
		}
		return "", *r.Confidence, true, true
	case PropPriority:
		if r.Type != RelPursues {
			return "", 0, true, false
		}
		return "", float64(r.Priority), true, true
	case PropValidFrom:
		return str(string(r.ValidFrom))
	case PropValidTo:
		return str(string(r.ValidTo))
	case PropCapacity:
		if r.Capacity == nil {
			return "", 0, true, false
		}
		return "", *r.Capacity, true, true
	case PropRole:
		return str(r.Role)
	case PropMechanism:
		return str(r.Mechanism)
	}
	return "", 0, false, false
}

// Holds reports whether a property value (s or f, by isNum; ok false when absent)
// satisfies c. List properties (releasableTo) are not read here: see HoldsList.
func (c *PropCond) Holds(s string, f float64, isNum, ok bool) bool {
	if c.Op == OpIsNull {
		return c.Bool == !ok
	}
	if !ok {
		return false
	}
	if isNum {
		switch c.Op {
		case OpEQ:
			return len(c.Numbers) > 0 && f == c.Numbers[0]
		case OpIN:
			for _, x := range c.Numbers {
				if f == x {
					return true
				}
			}
			return false
		case OpLT:
			return len(c.Numbers) > 0 && f < c.Numbers[0]
		case OpLTE:
			return len(c.Numbers) > 0 && f <= c.Numbers[0]
		case OpGT:
			return len(c.Numbers) > 0 && f > c.Numbers[0]
		case OpGTE:
			return len(c.Numbers) > 0 && f >= c.Numbers[0]
		}
		return false
	}
	if c.Op == OpIN {
		for _, x := range c.Strings {
			if s == x {
				return true
			}
		}
		return false
	}
	if len(c.Strings) == 0 {
		return false
	}
	v := c.Strings[0]
	switch c.Op {
	case OpEQ:
		return s == v
	case OpContains:
		return strings.Contains(s, v)
	case OpStartsWith:
		return strings.HasPrefix(s, v)
	case OpEndsWith:
		return strings.HasSuffix(s, v)
	case OpContainsFold:
		return strings.Contains(strings.ToLower(s), strings.ToLower(strings.TrimSpace(v)))
	case OpLT:
		return s < v
	case OpLTE:
		return s <= v
	case OpGT:
		return s > v
	case OpGTE:
		return s >= v
	}
	return false
}

// HoldsList reports whether a list property satisfies c: INCLUDES one value, IS_NULL
// (true when empty), or EQ (the same values in the same order).
func (c *PropCond) HoldsList(list []string) bool {
	switch c.Op {
	case OpIsNull:
		return c.Bool == (len(list) == 0)
	case OpIncludes:
		for _, s := range list {
			if len(c.Strings) > 0 && s == c.Strings[0] {
				return true
			}
		}
	case OpEQ:
		if len(list) != len(c.Strings) {
			return false
		}
		for i := range list {
			if list[i] != c.Strings[i] {
				return false
			}
		}
		return true
	}
	return false
}
