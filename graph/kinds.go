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
