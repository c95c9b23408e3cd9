package format

import (
	"encoding/xml"
	"io"
	"strconv"

	"github.com/stakegraph/stakegraph/graph"
)

// typeAttr is the attribute that carries a node's label (Nation, Agency, …) and a
// relationship's type (PART_OF, …) in GraphML and GEXF. It is not called "label": GEXF
// and the tools that read it give that name to the text shown on a node.
const typeAttr = "type"

// WriteGraphML writes doc as a GraphML document (graphml.graphdrawing.org): one directed
// graph, every node with the attribute "type" (its label) and its properties, every
// relationship as an edge with "type" and its properties. Each attribute is declared by a
// <key> with its attr.type (string, double or int); lists are strings joined with ";";
// absent values have no <data>. COORDINATES_WITH and CONFLICTS_WITH keep the direction
// they are stored in, which carries no meaning.
func WriteGraphML(w io.Writer, doc *graph.Document) error {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type key struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	type node struct {
		ID   string `xml:"id,attr"`
		Data []data `xml:"data"`
	}
	type edge struct {
		ID     string `xml:"id,attr"`
		Source string `xml:"source,attr"`
		Target string `xml:"target,attr"`
		Data   []data `xml:"data"`
	}
	type graphml struct {
		XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
		Keys    []key    `xml:"key"`
		Graph   struct {
			ID          string `xml:"id,attr"`
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []node `xml:"node"`
			Edges       []edge `xml:"edge"`
		} `xml:"graph"`
	}
	g := graphml{}
	g.Graph.ID, g.Graph.EdgeDefault = "stakegraph", "directed"
	a := newAttributes()
	for _, d := range a.node {
		g.Keys = append(g.Keys, key{ID: "n_" + d.name, For: "node", Name: d.name, Type: graphmlType(d.kind)})
	}
	for _, d := range a.edge {
		g.Keys = append(g.Keys, key{ID: "e_" + d.name, For: "edge", Name: d.name, Type: graphmlType(d.kind)})
	}
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		x := node{ID: n.ID}
		for _, v := range a.ofNode(n) {
			x.Data = append(x.Data, data{"n_" + a.node[v.pos].name, v.value})
		}
		g.Graph.Nodes = append(g.Graph.Nodes, x)
	}
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		x := edge{ID: r.Key().ID(), Source: r.From, Target: r.To}
		for _, v := range a.ofRel(r) {
			x.Data = append(x.Data, data{"e_" + a.edge[v.pos].name, v.value})
		}
		g.Graph.Edges = append(g.Graph.Edges, x)
	}
	return writeXML(w, g)
}

// graphAttrs are what GraphML and GEXF declare for the whole graph: for nodes and for
// edges, typeAttr first and then every property.
type graphAttrs struct {
	node, edge []declared
	nodeFs     []nodeField
}

type declared struct {
	name string
	kind kind
}

// value is one attribute an element has: its position among the declared ones, and its text.
type value struct {
	pos   int
	value string
}

func newAttributes() graphAttrs {
	a := graphAttrs{node: []declared{{typeAttr, text}}, edge: []declared{{typeAttr, text}}, nodeFs: allNodeFields()}
	for _, f := range a.nodeFs {
		a.node = append(a.node, declared{f.name, f.kind})
	}
	for _, f := range relFields {
		a.edge = append(a.edge, declared{f.name, f.kind})
	}
	return a
}

// ofNode lists n's label and the properties it has (absent ones are left out).
func (a graphAttrs) ofNode(n *graph.Node) []value {
	out := []value{{0, string(n.Label)}}
	for i, f := range a.nodeFs {
		if v := f.get(n); v != "" {
			out = append(out, value{i + 1, v})
		}
	}
	return out
}

// ofRel lists r's type and the properties it has.
func (a graphAttrs) ofRel(r *graph.Relationship) []value {
	out := []value{{0, string(r.Type)}}
	for i, f := range relFields {
		if v := f.get(r); v != "" {
			out = append(out, value{i + 1, v})
		}
	}
	return out
}

func graphmlType(k kind) string {
	switch k {
	case number:
		return "double"
	case integer:
		return "int"
	}
	return "string"
}

// WriteGEXF writes doc as a GEXF 1.2 document (gexf.net), which Gephi opens: one directed
// static graph whose nodes carry their name as label, and whose declared attributes are
// "type" (the node's label, the relationship's type) and the properties, typed string,
// double or integer; lists are strings joined with ";". An edge's label is its type.
func WriteGEXF(w io.Writer, doc *graph.Document) error {
	type attribute struct {
		ID    string `xml:"id,attr"`
		Title string `xml:"title,attr"`
		Type  string `xml:"type,attr"`
	}
	type attributes struct {
		Class      string      `xml:"class,attr"`
		Attributes []attribute `xml:"attribute"`
	}
	type attvalue struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	}
	type node struct {
		ID     string     `xml:"id,attr"`
		Label  string     `xml:"label,attr"`
		Values []attvalue `xml:"attvalues>attvalue"`
	}
	type edge struct {
		ID     string     `xml:"id,attr"`
		Source string     `xml:"source,attr"`
		Target string     `xml:"target,attr"`
		Label  string     `xml:"label,attr"`
		Values []attvalue `xml:"attvalues>attvalue"`
	}
	type gexf struct {
		XMLName xml.Name `xml:"http://www.gexf.net/1.2draft gexf"`
		Version string   `xml:"version,attr"`
		Creator string   `xml:"meta>creator"`
		Graph   struct {
			DefaultEdgeType string       `xml:"defaultedgetype,attr"`
			Mode            string       `xml:"mode,attr"`
			Attributes      []attributes `xml:"attributes"`
			Nodes           []node       `xml:"nodes>node"`
			Edges           []edge       `xml:"edges>edge"`
		} `xml:"graph"`
	}
	g := gexf{Version: "1.2", Creator: "stakegraph"}
	g.Graph.DefaultEdgeType, g.Graph.Mode = "directed", "static"
	a := newAttributes()
	declare := func(class string, ds []declared) attributes {
		out := attributes{Class: class}
		for i, d := range ds {
			out.Attributes = append(out.Attributes, attribute{strconv.Itoa(i), d.name, gexfType(d.kind)})
		}
		return out
	}
	g.Graph.Attributes = []attributes{declare("node", a.node), declare("edge", a.edge)}
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		x := node{ID: n.ID, Label: n.Name}
		for _, v := range a.ofNode(n) {
			x.Values = append(x.Values, attvalue{strconv.Itoa(v.pos), v.value})
		}
		g.Graph.Nodes = append(g.Graph.Nodes, x)
	}
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		x := edge{ID: r.Key().ID(), Source: r.From, Target: r.To, Label: string(r.Type)}
		for _, v := range a.ofRel(r) {
			x.Values = append(x.Values, attvalue{strconv.Itoa(v.pos), v.value})
		}
		g.Graph.Edges = append(g.Graph.Edges, x)
	}
	return writeXML(w, g)
}

func gexfType(k kind) string {
	switch k {
	case number:
		return "double"
	case integer:
		return "integer"
	}
	return "string"
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
