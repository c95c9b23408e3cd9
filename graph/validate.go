package graph

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var nationCode = regexp.MustCompile(`^[A-Z]{3}$`)

// ValidateNode checks n against the rules of the model. field prefixes the names of
// offending fields in the error ("input", "nodes[3]").
func ValidateNode(n *Node, field string) error {
	f := func(name string) string { return join(field, name) }
	if !n.Label.Valid() {
		return Errorf(EINVALID, f("label"), "unknown label %q (want one of %s)", n.Label, joinLabels(Labels))
	}
	if strings.TrimSpace(n.ID) == "" {
		return Errorf(EINVALID, f("id"), "id is required")
	}
	if len(n.ID) > 200 {
		return Errorf(EINVALID, f("id"), "id is longer than 200 characters")
	}
	if strings.TrimSpace(n.Name) == "" {
		return Errorf(EINVALID, f("name"), "name is required")
	}
	if err := unit(n.Confidence, f("confidence")); err != nil {
		return err
	}
	if err := unit(n.Reliability, f("reliability")); err != nil {
		return err
	}
	for i, c := range n.ReleasableTo {
		if !nationCode.MatchString(c) {
			return Errorf(EINVALID, f(fmt.Sprintf("releasableTo[%d]", i)), "%q is not an ISO 3166-1 alpha-3 code", c)
		}
	}
	only := func(name, v string, labels ...Label) error {
		if v != "" && !slices.Contains(labels, n.Label) {
			return Errorf(EINVALID, f(name), "a %s has no %s", n.Label, name)
		}
		return nil
	}
	for _, err := range []error{
		only("code", n.Code, LabelNation), only("region", n.Region, LabelNation),
		only("kind", n.Kind, LabelAgency, LabelAgreement, LabelThreat),
		only("domain", n.Domain, LabelObjective), only("category", n.Category, LabelCapability),
		only("signed", string(n.Signed), LabelAgreement), only("expires", string(n.Expires), LabelAgreement),
	} {
		if err != nil {
			return err
		}
	}
	switch n.Label {
	case LabelNation:
		if !nationCode.MatchString(n.Code) {
			return Errorf(EINVALID, f("code"), "%q is not an ISO 3166-1 alpha-3 code", n.Code)
		}
	case LabelAgency:
		return enum(n.Kind, AgencyKinds, f("kind"), true)
	case LabelObjective:
		return enum(n.Domain, ObjectiveDomains, f("domain"), true)
	case LabelAgreement:
		if err := enum(n.Kind, AgreementKinds, f("kind"), true); err != nil {
			return err
		}
		return dateRange(n.Signed, n.Expires, f("signed"), f("expires"))
	case LabelThreat:
		return enum(n.Kind, ThreatKinds, f("kind"), true)
	}
	return nil
}

// ValidateRelationship checks r against the rules of the model, given the labels of its
// endpoints (an unknown endpoint has the empty label).
func ValidateRelationship(r *Relationship, from, to Label, field string) error {
	f := func(name string) string { return join(field, name) }
	ends, ok := Endpoints[r.Type]
	if !ok {
		return Errorf(EINVALID, f("type"), "unknown relationship type %q", r.Type)
	}
	if from == "" {
		return Errorf(EINVALID, f("from"), "unknown node id %q", r.From)
	}
	if to == "" {
		return Errorf(EINVALID, f("to"), "unknown node id %q", r.To)
	}
	if !slices.Contains(ends[0], from) {
		return Errorf(EINVALID, f("from"), "%s cannot start at a %s (want %s)", r.Type, from, joinLabels(ends[0]))
	}
	if !slices.Contains(ends[1], to) {
		return Errorf(EINVALID, f("to"), "%s cannot end at a %s (want %s)", r.Type, to, joinLabels(ends[1]))
	}
	if r.From == r.To {
		return Errorf(EINVALID, f("to"), "a %s relationship cannot join %q to itself", r.Type, r.From)
	}
	if err := unit(r.Confidence, f("confidence")); err != nil {
		return err
	}
	only := func(name string, set bool, types ...RelType) error {
		if set && !slices.Contains(types, r.Type) {
			return Errorf(EINVALID, f(name), "a %s relationship has no %s", r.Type, name)
		}
		return nil
	}
	for _, err := range []error{
		only("priority", r.Priority != 0, RelPursues),
		only("validFrom", r.ValidFrom != "", RelProvides, RelPartyTo),
		only("validTo", r.ValidTo != "", RelProvides, RelPartyTo),
		only("capacity", r.Capacity != nil, RelProvides),
		only("role", r.Role != "", RelPartyTo),
		only("mechanism", r.Mechanism != "", RelCoordinatesWith),
	} {
		if err != nil {
			return err
		}
	}
	switch r.Type {
	case RelPursues:
		if r.Priority < 1 || r.Priority > 5 {
			return Errorf(EINVALID, f("priority"), "priority must be between 1 and 5, got %d", r.Priority)
		}
	case RelProvides, RelPartyTo:
		if r.Capacity != nil && *r.Capacity < 0 {
			return Errorf(EINVALID, f("capacity"), "capacity must not be negative")
		}
		return dateRange(r.ValidFrom, r.ValidTo, f("validFrom"), f("validTo"))
	case RelCoordinatesWith:
		return enum(r.Mechanism, Mechanisms, f("mechanism"), false)
	}
	return nil
}

// ValidateDocument checks a whole interchange document: every node and relationship,
// duplicate ids and nation codes, and endpoints that exist in the document or in
// existing (labels of stored nodes by id; may be nil). The error names the JSON path
// of the first problem ("nodes[3].priority").
func ValidateDocument(doc *Document, existing map[string]Label) error {
	if doc.Version != DocumentVersion {
		return Errorf(EINVALID, "version", "unsupported version %d (want %d)", doc.Version, DocumentVersion)
	}
	labels := make(map[string]Label, len(doc.Nodes))
	codes := make(map[string]string)
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		field := fmt.Sprintf("nodes[%d]", i)
		if err := ValidateNode(n, field); err != nil {
			return err
		}
		if _, dup := labels[n.ID]; dup {
			return Errorf(EINVALID, field+".id", "duplicate id %q", n.ID)
		}
		labels[n.ID] = n.Label
		if n.Label == LabelNation {
			if other, dup := codes[n.Code]; dup {
				return Errorf(EINVALID, field+".code", "nation code %q is already used by %q", n.Code, other)
			}
			codes[n.Code] = n.ID
		}
	}
	label := func(id string) Label {
		if l, ok := labels[id]; ok {
			return l
		}
		return existing[id]
	}
	seen := make(map[RelKey]bool, len(doc.Relationships))
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		field := fmt.Sprintf("relationships[%d]", i)
		if err := ValidateRelationship(r, label(r.From), label(r.To), field); err != nil {
			return err
		}
		k := r.Key()
		if r.Type.Undirected() && k.From > k.To {
			k.From, k.To = k.To, k.From
		}
		if seen[k] {
			return Errorf(EINVALID, field, "duplicate %s relationship between %q and %q", r.Type, r.From, r.To)
		}
		seen[k] = true
	}
	return nil
}

func unit(v *float64, field string) error {
	if v != nil && !(*v >= 0 && *v <= 1) {
		return Errorf(EINVALID, field, "must be between 0 and 1, got %v", *v)
	}
	return nil
}

func enum(v string, values []string, field string, required bool) error {
	if v == "" && !required {
		return nil
	}
	if !slices.Contains(values, v) {
		return Errorf(EINVALID, field, "%q is not one of %s", v, strings.Join(values, ", "))
	}
	return nil
}

func dateRange(from, to Date, fromField, toField string) error {
	if from != "" {
		if _, err := ParseDate(string(from)); err != nil {
			return Errorf(EINVALID, fromField, "%v", err)
		}
	}
	if to != "" {
		if _, err := ParseDate(string(to)); err != nil {
			return Errorf(EINVALID, toField, "%v", err)
		}
	}
	if from != "" && to != "" && to <= from {
		return Errorf(EINVALID, toField, "%s (%s) must be after %s (%s)", lastPart(toField), to, lastPart(fromField), from)
	}
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func lastPart(field string) string { return field[strings.LastIndex(field, ".")+1:] }

func joinLabels(ls []Label) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}
