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
	nodeFs, relFs := allNodeFields(), relFields
	g.Keys = append(g.Keys, key{ID: "n_" + typeAttr, For: "node", Name: typeAttr, Type: "string"})
	for _, f := range nodeFs {
		g.Keys = append(g.Keys, key{ID: "n_" + f.name, For: "node", Name: f.name, Type: graphmlType(f.kind)})
	}
	g.Keys = append(g.Keys, key{ID: "e_" + typeAttr, For: "edge", Name: typeAttr, Type: "string"})
	for _, f := range relFs {
		g.Keys = append(g.Keys, key{ID: "e_" + f.name, For: "edge", Name: f.name, Type: graphmlType(f.kind)})
	}
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		x := node{ID: n.ID, Data: []data{{"n_" + typeAttr, string(n.Label)}}}
		for _, f := range nodeFs {
			if v := f.get(n); v != "" {
				x.Data = append(x.Data, data{"n_" + f.name, v})
			}
		}
		g.Graph.Nodes = append(g.Graph.Nodes, x)
	}
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		x := edge{ID: r.Key().ID(), Source: r.From, Target: r.To, Data: []data{{"e_" + typeAttr, string(r.Type)}}}
		for _, f := range relFs {
			if v := f.get(r); v != "" {
				x.Data = append(x.Data, data{"e_" + f.name, v})
			}
		}
		g.Graph.Edges = append(g.Graph.Edges, x)
	}
	return writeXML(w, g)
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
	nodeFs, relFs := allNodeFields(), relFields
	nodeAttrs := attributes{Class: "node", Attributes: []attribute{{"0", typeAttr, "string"}}}
	for i, f := range nodeFs {
		nodeAttrs.Attributes = append(nodeAttrs.Attributes, attribute{strconv.Itoa(i + 1), f.name, gexfType(f.kind)})
	}
	edgeAttrs := attributes{Class: "edge", Attributes: []attribute{{"0", typeAttr, "string"}}}
	for i, f := range relFs {
		edgeAttrs.Attributes = append(edgeAttrs.Attributes, attribute{strconv.Itoa(i + 1), f.name, gexfType(f.kind)})
	}
	g.Graph.Attributes = []attributes{nodeAttrs, edgeAttrs}
	for i := range doc.Nodes {
		n := &doc.Nodes[i]
		x := node{ID: n.ID, Label: n.Name, Values: []attvalue{{"0", string(n.Label)}}}
		for j, f := range nodeFs {
			if v := f.get(n); v != "" {
				x.Values = append(x.Values, attvalue{strconv.Itoa(j + 1), v})
			}
		}
		g.Graph.Nodes = append(g.Graph.Nodes, x)
	}
	for i := range doc.Relationships {
		r := &doc.Relationships[i]
		x := edge{ID: r.Key().ID(), Source: r.From, Target: r.To, Label: string(r.Type), Values: []attvalue{{"0", string(r.Type)}}}
		for j, f := range relFs {
			if v := f.get(r); v != "" {
				x.Values = append(x.Values, attvalue{strconv.Itoa(j + 1), v})
			}
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
