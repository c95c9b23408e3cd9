package graph

// One named type per label, all sharing Node's layout, so the API can show a GraphQL type
// per label (and tell them apart in interfaces) without copying nodes: converting a
// *Node to a *Nation is free.
type (
	// Nation is a Node labelled Nation.
	Nation Node
	// Agency is a Node labelled Agency.
	Agency Node
	// Objective is a Node labelled Objective.
	Objective Node
	// Capability is a Node labelled Capability.
	Capability Node
	// Agreement is a Node labelled Agreement.
	Agreement Node
	// Threat is a Node labelled Threat.
	Threat Node
)

// Entity is any node of the model seen through its label's type.
type Entity interface {
	// Data is the underlying node.
	Data() *Node
}

// Stakeholder is a nation or an agency seen through its label's type.
type Stakeholder interface {
	Entity
	isStakeholder()
}

// Data implements Entity.
func (n *Nation) Data() *Node { return (*Node)(n) }

// Data implements Entity.
func (n *Agency) Data() *Node { return (*Node)(n) }

// Data implements Entity.
func (n *Objective) Data() *Node { return (*Node)(n) }

// Data implements Entity.
func (n *Capability) Data() *Node { return (*Node)(n) }

// Data implements Entity.
func (n *Agreement) Data() *Node { return (*Node)(n) }

// Data implements Entity.
func (n *Threat) Data() *Node { return (*Node)(n) }

func (n *Nation) isStakeholder() {}
func (n *Agency) isStakeholder() {}

// AsEntity views n through its label's type; nil for an unknown label.
func AsEntity(n *Node) Entity {
	switch n.Label {
	case LabelNation:
		return (*Nation)(n)
	case LabelAgency:
		return (*Agency)(n)
	case LabelObjective:
		return (*Objective)(n)
	case LabelCapability:
		return (*Capability)(n)
	case LabelAgreement:
		return (*Agreement)(n)
	case LabelThreat:
		return (*Threat)(n)
	}
	return nil
}

// Optional text properties read as null in the API when absent, rather than as "": the
// API binds them to these methods (gqlgen.yml), since the domain keeps them as plain
// strings.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// OptDescription is the description, nil when absent.
func (n *Nation) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Nation) OptSource() *string { return opt(n.Source) }

// OptRegion is the region, nil when absent.
func (n *Nation) OptRegion() *string { return opt(n.Region) }

// OptDescription is the description, nil when absent.
func (n *Agency) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Agency) OptSource() *string { return opt(n.Source) }

// OptDescription is the description, nil when absent.
func (n *Objective) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Objective) OptSource() *string { return opt(n.Source) }

// OptDescription is the description, nil when absent.
func (n *Capability) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Capability) OptSource() *string { return opt(n.Source) }

// OptCategory is the category, nil when absent.
func (n *Capability) OptCategory() *string { return opt(n.Category) }

// OptDescription is the description, nil when absent.
func (n *Agreement) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Agreement) OptSource() *string { return opt(n.Source) }

// OptDescription is the description, nil when absent.
func (n *Threat) OptDescription() *string { return opt(n.Description) }

// OptSource is the provenance, nil when absent.
func (n *Threat) OptSource() *string { return opt(n.Source) }

// OptRole is the membership's role, nil when absent.
func (l *Link) OptRole() *string { return opt(l.Role) }

// OptMechanism is the coordination mechanism, nil when absent.
func (l *Link) OptMechanism() *string { return opt(l.Mechanism) }

// OptSource is the relationship's provenance, nil when absent.
func (l *Link) OptSource() *string { return opt(l.Source) }

// The ends of a link, typed for the relationship views of the API (gqlgen.yml binds
// provider, capability, party… to these): plain methods, so the API reads them in line
// rather than as resolvers of their own.

// FromEntity is the link's start node.
func (l *Link) FromEntity() Entity { return AsEntity(l.FromNode) }

// ToEntity is the link's end node.
func (l *Link) ToEntity() Entity { return AsEntity(l.ToNode) }

// FromStakeholder is the start node of a PURSUES, PROVIDES or PARTY_TO link.
func (l *Link) FromStakeholder() Stakeholder {
	s, _ := AsEntity(l.FromNode).(Stakeholder)
	return s
}

// ToObjective is the end node of a PURSUES link.
func (l *Link) ToObjective() *Objective { return (*Objective)(l.ToNode) }

// ToCapability is the end node of a PROVIDES link.
func (l *Link) ToCapability() *Capability { return (*Capability)(l.ToNode) }

// ToAgreement is the end node of a PARTY_TO link.
func (l *Link) ToAgreement() *Agreement { return (*Agreement)(l.ToNode) }

// OtherAgency is the far end of a COORDINATES_WITH link, seen from Side.
func (l *Link) OtherAgency() *Agency { return (*Agency)(l.Other()) }
