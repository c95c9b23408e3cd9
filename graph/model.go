// Package graph is stakegraph's domain: the model of nations, agencies, objectives,
// capabilities, agreements and threats, the Store that keeps it, and errors with codes.
// It imports nothing of the project; adapters (graph/neo4j, resolvers) surround it.
package graph

import (
	"slices"
	"time"
)

// Label names the kind of a node. The set is closed: adapters switch over it and
// never take a label from user input.
type Label string

// The six labels of the model (docs/analyses.md, "The model").
const (
	LabelNation     Label = "Nation"
	LabelAgency     Label = "Agency"
	LabelObjective  Label = "Objective"
	LabelCapability Label = "Capability"
	LabelAgreement  Label = "Agreement"
	LabelThreat     Label = "Threat"
)

// Labels lists every label in a fixed order.
var Labels = []Label{LabelNation, LabelAgency, LabelObjective, LabelCapability, LabelAgreement, LabelThreat}

// Valid reports whether l is one of the six labels.
func (l Label) Valid() bool { return slices.Contains(Labels, l) }

// IsStakeholder reports whether nodes of l are stakeholders (nations and agencies).
func (l Label) IsStakeholder() bool { return l == LabelNation || l == LabelAgency }

// RelType names a relationship type. Like Label, the set is closed.
type RelType string

// The relationship types of the model (docs/analyses.md, "The model").
const (
	RelPartOf          RelType = "PART_OF"
	RelPursues         RelType = "PURSUES"
	RelRequires        RelType = "REQUIRES"
	RelProvides        RelType = "PROVIDES"
	RelDependsOn       RelType = "DEPENDS_ON"
	RelPartyTo         RelType = "PARTY_TO"
	RelGoverns         RelType = "GOVERNS"
	RelCoordinatesWith RelType = "COORDINATES_WITH"
	RelAddresses       RelType = "ADDRESSES"
	RelConflictsWith   RelType = "CONFLICTS_WITH"
)

// RelTypes lists every relationship type in a fixed order.
var RelTypes = []RelType{
	RelPartOf, RelPursues, RelRequires, RelProvides, RelDependsOn,
	RelPartyTo, RelGoverns, RelCoordinatesWith, RelAddresses, RelConflictsWith,
}

// Endpoints gives, for each relationship type, the labels allowed at its start and end.
var Endpoints = map[RelType][2][]Label{
	RelPartOf:          {{LabelAgency}, {LabelNation}},
	RelPursues:         {{LabelNation, LabelAgency}, {LabelObjective}},
	RelRequires:        {{LabelObjective}, {LabelCapability}},
	RelProvides:        {{LabelNation, LabelAgency}, {LabelCapability}},
	RelDependsOn:       {{LabelCapability}, {LabelCapability}},
	RelPartyTo:         {{LabelNation, LabelAgency}, {LabelAgreement}},
	RelGoverns:         {{LabelAgreement}, {LabelCapability}},
	RelCoordinatesWith: {{LabelAgency}, {LabelAgency}},
	RelAddresses:       {{LabelObjective}, {LabelThreat}},
	RelConflictsWith:   {{LabelObjective}, {LabelObjective}},
}

// Valid reports whether t is one of the model's relationship types.
func (t RelType) Valid() bool { _, ok := Endpoints[t]; return ok }

// Undirected reports whether the direction of t carries no meaning.
func (t RelType) Undirected() bool { return t == RelCoordinatesWith || t == RelConflictsWith }

// Enumerations of the model. Each value set is closed and validated on write.
var (
	AgencyKinds      = []string{"MILITARY", "DIPLOMATIC", "INTELLIGENCE", "CIVIL", "INTERNATIONAL"}
	ObjectiveDomains = []string{"LAND", "MARITIME", "AIR", "SPACE", "CYBER", "INFORMATION",
		"COUNTER_TERRORISM", "STABILITY", "DETERRENCE", "OTHER"}
	AgreementKinds = []string{"TREATY", "ALLIANCE", "MOU", "ARRANGEMENT", "PROGRAMME"}
	ThreatKinds    = []string{"CYBER", "TERRORISM", "HYBRID", "CONVENTIONAL", "WMD", "OTHER"}
	Mechanisms     = []string{"JOINT_TASK_FORCE", "COMMITTEE", "LIAISON", "OTHER"}
)

// Node is one node of the model. Properties that do not belong to its label stay empty.
// The same struct serves storage, interchange and analysis; the API shows one GraphQL
// type per label through the named types below.
type Node struct {
	Label Label  `json:"label"`
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`

	Description  string     `json:"description,omitempty"`
	Source       string     `json:"source,omitempty"`
	Confidence   *float64   `json:"confidence,omitempty"`
	ReleasableTo []string   `json:"releasableTo,omitempty"`
	Reliability  *float64   `json:"reliability,omitempty"`
	UpdatedAt    *time.Time `json:"updatedAt,omitempty"`

	Code     string `json:"code,omitempty"`     // Nation: ISO 3166-1 alpha-3
	Region   string `json:"region,omitempty"`   // Nation
	Kind     string `json:"kind,omitempty"`     // Agency, Agreement, Threat
	Domain   string `json:"domain,omitempty"`   // Objective
	Category string `json:"category,omitempty"` // Capability
	Signed   Date   `json:"signed,omitempty"`   // Agreement
	Expires  Date   `json:"expires,omitempty"`  // Agreement
}

// ReliabilityOrOne is the node's reliability, 1 when absent (docs/analyses.md, "The model").
func (n *Node) ReliabilityOrOne() float64 {
	if n.Reliability == nil {
		return 1
	}
	return *n.Reliability
}

// Relationship is one relationship of the model. Properties that do not belong to its
// type stay empty.
type Relationship struct {
	Type RelType `json:"type"`
	From string  `json:"from"`
	To   string  `json:"to"`

	Priority  int      `json:"priority,omitempty"`  // PURSUES, 1..5
	ValidFrom Date     `json:"validFrom,omitempty"` // PROVIDES, PARTY_TO
	ValidTo   Date     `json:"validTo,omitempty"`   // PROVIDES, PARTY_TO
	Capacity  *float64 `json:"capacity,omitempty"`  // PROVIDES
	Role      string   `json:"role,omitempty"`      // PARTY_TO
	Mechanism string   `json:"mechanism,omitempty"` // COORDINATES_WITH

	Source     string   `json:"source,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"`
}

// Key identifies a relationship: the model holds at most one relationship of a type
// between two nodes.
func (r *Relationship) Key() RelKey { return RelKey{Type: r.Type, From: r.From, To: r.To} }

// RelKey identifies a relationship by its type and endpoints.
type RelKey struct {
	Type RelType `json:"type"`
	From string  `json:"from"`
	To   string  `json:"to"`
}

// ID is the relationship's stable identifier, used in explanations: "TYPE:from->to".
func (k RelKey) ID() string { return string(k.Type) + ":" + k.From + "->" + k.To }

// CountsAt reports whether a relationship with these bounds counts at date d:
// validFrom <= d < validTo, a missing bound being open (docs/analyses.md, "Validity by date").
func CountsAt(from, to, d Date) bool {
	return (from == "" || from <= d) && (to == "" || d < to)
}

// Document is the interchange format: the nodes and relationships of a model, as read by
// import and written by export. docs/interchange.schema.json describes it.
type Document struct {
	Version       int            `json:"version"`
	Nodes         []Node         `json:"nodes"`
	Relationships []Relationship `json:"relationships"`
	// Audit is the audit trail, oldest first, in a backup (`stakegraph export -audit`);
	// absent from ordinary exports. An import restores the events it lacks.
	Audit []AuditEvent `json:"audit,omitempty"`
}

// DocumentVersion is the interchange format version this build reads and writes.
const DocumentVersion = 1

// Link is a relationship with its end nodes, as traversals and writes return it.
type Link struct {
	Relationship
	FromNode, ToNode *Node
	// Side is the id of the node the link was reached from, so an undirected link can
	// show "the other end".
	Side string
}

// ID is the relationship's stable identifier ("TYPE:from->to").
func (l *Link) ID() string { return l.Key().ID() }

// Other is the end of the link that is not Side.
func (l *Link) Other() *Node {
	if l.FromNode != nil && l.FromNode.ID == l.Side {
		return l.ToNode
	}
	return l.FromNode
}
