// Report-grade exports of the current view: an SVG (and, drawn from it, a high-resolution
// PNG) with title, date, the graph as drawn, its legend, the answer in words and the
// answer list; the answer list as CSV; the visible subgraph as GraphML for yEd and as GEXF
// for Gephi.
// XML is built through a DOM and written by its serializer, CSV by papaparse, so escaping
// is never done by hand. Pure functions of what they are given (the DOM is passed in, so
// the tests run them on @xmldom/xmldom).
import writeGEXF from "graphology-gexf/browser/writer.js";
import Papa from "papaparse";
import type { DisplayGraph } from "./model";
import type { Highlight, ItemGroup } from "./overlays";
import type { ShapeName } from "./palette";

/** One node as drawn: viewport pixels, radius, colours, shape and label ("" when none drawn). */
export interface DrawnNode {
  x: number;
  y: number;
  r: number;
  fill: string;
  ring: string | null;
  shape: ShapeName;
  label: string;
}

/** One relationship as drawn, in viewport pixels; label when its type is written on it. */
export interface DrawnEdge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
  label?: string;
  arrow: boolean;
  /** The target's radius: an arrow stops at its edge, not its centre. */
  r2?: number;
}

/** What a report shows. */
export interface ReportView {
  title: string;
  date: string;
  width: number; // of the graph area, pixels
  height: number;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  legend: { shape: ShapeName; fill: string; ring: string | null; text: string }[];
  summary: string[];
  lines: string[];
}

const SVG = "http://www.w3.org/2000/svg";
const LEGEND_W = 300;
const LINE = 16;
/** The report lists at most this many answer lines; the CSV has them all. */
export const REPORT_LINES = 40;

/** shapePoints gives the polygon of a shape of radius r at (x, y); undefined for a circle. */
function shapePoints(shape: ShapeName, x: number, y: number, r: number): string | undefined {
  const pts = (ps: [number, number][]) => ps.map(([a, b]) => `${(x + a).toFixed(1)},${(y + b).toFixed(1)}`).join(" ");
  switch (shape) {
    case "square": return pts([[-r * 0.8, -r * 0.8], [r * 0.8, -r * 0.8], [r * 0.8, r * 0.8], [-r * 0.8, r * 0.8]]);
    case "diamond": return pts([[0, -r], [r, 0], [0, r], [-r, 0]]);
    case "triangle": return pts([[0, -r], [r * 0.87, r * 0.5], [-r * 0.87, r * 0.5]]);
    case "triangleDown": return pts([[0, r], [r * 0.87, -r * 0.5], [-r * 0.87, -r * 0.5]]);
    case "hexagon": return pts([0, 1, 2, 3, 4, 5].map((i) => [r * Math.cos((i * Math.PI) / 3), r * Math.sin((i * Math.PI) / 3)] as [number, number]));
  }
  return undefined;
}

/** wrap breaks text into lines of at most n characters, at spaces. */
export function wrap(text: string, n: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > n) {
      out.push(line);
      line = w;
    } else line = line ? line + " " + w : w;
  }
  if (line) out.push(line);
  return out;
}

/** reportSVG draws the view as an SVG document: title and date on top, the graph, the legend right of it, the answer below. */
export function reportSVG(v: ReportView, dom: DOMImplementation, serializer: { serializeToString(n: Node): string }): string {
  const doc = dom.createDocument(SVG, "svg", null);
  const svg = doc.documentElement;
  const el = (tag: string, attrs: Record<string, string | number>, parent: Element = svg, text?: string) => {
    const e = doc.createElementNS(SVG, tag);
    for (const [k, x] of Object.entries(attrs)) e.setAttribute(k, String(x));
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  };
  const top = 56;
  const textLines = [...v.summary.flatMap((s) => wrap(s, 150)), ...(v.lines.length ? [""] : []),
    ...v.lines.slice(0, REPORT_LINES).map((l) => "• " + l),
    ...(v.lines.length > REPORT_LINES ? [`… and ${v.lines.length - REPORT_LINES} more (the CSV export lists them all)`] : [])];
  const W = v.width + LEGEND_W;
  const H = top + Math.max(v.height, v.legend.length * 22 + 30) + 20 + textLines.length * LINE + 20;
  svg.setAttribute("width", String(W));
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("font-family", "system-ui, sans-serif");
  el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" });
  el("text", { x: 16, y: 28, "font-size": 20, "font-weight": 600, class: "title" }, svg, v.title);
  el("text", { x: 16, y: 48, "font-size": 13, fill: "#555555", class: "date" }, svg, `as of ${v.date} · stakegraph`);
  const g = el("g", { transform: `translate(0 ${top})`, class: "graph" });
  el("rect", { x: 0, y: 0, width: v.width, height: v.height, fill: "none", stroke: "#dddddd" }, g);
  const defs = el("defs", {}, g);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerUnits: "userSpaceOnUse", markerWidth: 9, markerHeight: 9, orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#555555" }, marker);
  for (const e of v.edges) {
    const len = Math.hypot(e.x2 - e.x1, e.y2 - e.y1) || 1;
    const cut = e.arrow ? Math.min((e.r2 ?? 0) + 1, len / 2) : 0;
    const x2 = e.x2 - ((e.x2 - e.x1) / len) * cut;
    const y2 = e.y2 - ((e.y2 - e.y1) / len) * cut;
    const line = el("line", { x1: e.x1.toFixed(1), y1: e.y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1), stroke: e.color, "stroke-width": e.width }, g);
    if (e.arrow) line.setAttribute("marker-end", "url(#arrow)");
    if (e.label) el("text", { x: ((e.x1 + e.x2) / 2).toFixed(1), y: ((e.y1 + e.y2) / 2 - 3).toFixed(1), "font-size": 10, fill: "#444444", "text-anchor": "middle" }, g, e.label);
  }
  for (const n of v.nodes) {
    const pts = shapePoints(n.shape, n.x, n.y, n.r);
    const attrs: Record<string, string | number> = { fill: n.fill, stroke: n.ring ?? "none", "stroke-width": n.ring ? 2 : 0 };
    if (pts) el("polygon", { points: pts, ...attrs }, g);
    else el("circle", { cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: n.r.toFixed(1), ...attrs }, g);
    if (n.label) el("text", { x: (n.x + n.r + 3).toFixed(1), y: (n.y + 4).toFixed(1), "font-size": 12, class: "label" }, g, n.label);
  }
  const lg = el("g", { transform: `translate(${v.width + 16} ${top})`, class: "legend" });
  el("text", { x: 0, y: 14, "font-size": 14, "font-weight": 600 }, lg, "Legend");
  v.legend.forEach((row, i) => {
    const y = 36 + i * 22;
    const pts = shapePoints(row.shape, 7, y - 4, 6);
    const attrs = { fill: row.fill, stroke: row.ring ?? "none", "stroke-width": row.ring ? 2 : 0 };
    if (pts) el("polygon", { points: pts, ...attrs }, lg);
    else el("circle", { cx: 7, cy: y - 4, r: 6, ...attrs }, lg);
    el("text", { x: 20, y, "font-size": 11 }, lg, row.text.length > 46 ? row.text.slice(0, 45) + "…" : row.text);
  });
  const tg = el("g", { transform: `translate(16 ${top + Math.max(v.height, v.legend.length * 22 + 30) + 24})`, class: "answer" });
  textLines.forEach((t, i) => el("text", { x: 0, y: i * LINE, "font-size": 12 }, tg, t));
  return serializer.serializeToString(doc);
}

/** answerRows lists what the answer panel lists, as rows with a header: the table, the groups, or the items. */
export function answerRows(h: Highlight): string[][] {
  if (h.table) return [["id", ...h.table.head], ...h.table.rows.map((r) => [r.id, ...r.cells])];
  const rows: string[][] = [["group", "subgroup", "text", "id"]];
  const walk = (gs: ItemGroup[], path: string[]) => {
    for (const g of gs) {
      for (const it of g.items) rows.push([...[...path, g.title, ""].slice(0, 2), it.text, it.id ?? ""]);
      if (g.groups) walk(g.groups, [...path, g.title]);
    }
  };
  if (h.groups?.length) walk(h.groups, []);
  else for (const it of h.items) rows.push(["", "", it.text, it.id ?? ""]);
  return rows;
}

/** answerCSV is answerRows as RFC 4180 CSV (papaparse). */
export function answerCSV(h: Highlight): string {
  return Papa.unparse(answerRows(h), { newline: "\r\n" });
}

const GRAPHML = "http://graphml.graphdrawing.org/xmlns";

/**
 * graphML writes the nodes ids of g and the relationships between them as GraphML, with
 * name, kind and id as node data and the relationship type as edge data (what yEd and
 * Gephi show), directed as stored.
 */
export function graphML(g: DisplayGraph, ids: Iterable<string>, dom: DOMImplementation, serializer: { serializeToString(n: Node): string }): string {
  const doc = dom.createDocument(GRAPHML, "graphml", null);
  const root = doc.documentElement;
  const el = (tag: string, attrs: Record<string, string>, parent: Element, text?: string) => {
    const e = doc.createElementNS(GRAPHML, tag);
    for (const [k, x] of Object.entries(attrs)) e.setAttribute(k, x);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  };
  el("key", { id: "label", for: "node", "attr.name": "label", "attr.type": "string" }, root);
  el("key", { id: "kind", for: "node", "attr.name": "kind", "attr.type": "string" }, root);
  el("key", { id: "type", for: "edge", "attr.name": "type", "attr.type": "string" }, root);
  const graph = el("graph", { id: "stakegraph", edgedefault: "directed" }, root);
  const sub = subgraph(g, ids);
  sub.forEachNode((id, a) => {
    const n = el("node", { id }, graph);
    el("data", { key: "label" }, n, a.label);
    el("data", { key: "kind" }, n, a.kind);
  });
  sub.forEachEdge((key, a, s, t) => {
    const e = el("edge", { id: key, source: s, target: t }, graph);
    el("data", { key: "type" }, e, a.rel);
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + serializer.serializeToString(doc);
}

/**
 * gexf writes the same subgraph as graphML as GEXF 1.3 for Gephi (graphology-gexf's writer):
 * the name as label, kind as a node attribute, the relationship type as an edge attribute.
 */
export function gexf(g: DisplayGraph, ids: Iterable<string>): string {
  return writeGEXF(subgraph(g, ids), {
    version: "1.3",
    formatNode: (_, a) => ({ label: a.label, attributes: { kind: a.kind } }),
    formatEdge: (_, a) => ({ label: a.rel, attributes: { type: a.rel } }),
  });
}

/** subgraph is the nodes ids of g (unknown ones left out) and the relationships between them. */
function subgraph(g: DisplayGraph, ids: Iterable<string>): DisplayGraph {
  const sub = g.nullCopy();
  for (const id of ids) if (g.hasNode(id) && !sub.hasNode(id)) sub.addNode(id, g.getNodeAttributes(id));
  g.forEachEdge((key, a, s, t) => {
    if (sub.hasNode(s) && sub.hasNode(t)) sub.addEdgeWithKey(key, s, t, a);
  });
  return sub;
}
