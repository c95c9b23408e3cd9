// The model as the explorer holds it: the interchange document the API's exportGraph
// returns, turned into a graphology graph with display attributes. Pure functions only,
// so that they are unit-tested without a browser.
import { MultiDirectedGraph } from "graphology";
import { colorOf, shapeOf } from "./palette";

export const LABELS = ["Nation", "Agency", "Objective", "Capability", "Agreement", "Threat"] as const;
export type Label = (typeof LABELS)[number];

export const REL_TYPES = [
  "PART_OF", "PURSUES", "REQUIRES", "PROVIDES", "DEPENDS_ON",
  "PARTY_TO", "GOVERNS", "COORDINATES_WITH", "ADDRESSES", "CONFLICTS_WITH",
] as const;
export type RelType = (typeof REL_TYPES)[number];

/** One node of the interchange document (docs/interchange.md). */
export interface DocNode {
  label: Label;
  id: string;
  name?: string;
  [prop: string]: unknown;
}

/** One relationship of the interchange document. */
export interface DocRel {
  type: RelType;
  from: string;
  to: string;
  [prop: string]: unknown;
}

/** The interchange document. */
export interface Doc {
  version: number;
  nodes: DocNode[];
  relationships: DocRel[];
}

/** Node attributes in the display graph. */
export interface NodeAttrs {
  label: string; // what sigma draws: the name
  kind: Label;
  x: number;
  y: number;
  size: number;
  color: string;
  shape: number;
  degree: number;
  props: DocNode;
}

/** Edge attributes in the display graph. */
export interface EdgeAttrs {
  rel: RelType; // not "type": sigma reads an edge's type as the name of its program
  size: number;
  color: string;
  props: DocRel;
}

export type DisplayGraph = MultiDirectedGraph<NodeAttrs, EdgeAttrs>;

/** relId is the API's relationship id, TYPE:from->to (explanations use it). */
export function relId(r: { type: string; from: string; to: string }): string {
  return `${r.type}:${r.from}->${r.to}`;
}

/** hash32 is FNV-1a over a string: stable seeds for positions derived from ids. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * initialPosition places a node deterministically: each kind gets a sector of a disc, the
 * node a hash-derived point inside it, so that the first frame already groups kinds and
 * the force layout starts from the same place on every load (shared URLs look alike).
 */
export function initialPosition(id: string, kind: Label, n: number): { x: number; y: number } {
  const h = hash32(id);
  const sector = LABELS.indexOf(kind);
  const angle = ((sector + ((h & 0xffff) / 0xffff) * 0.9) / LABELS.length) * 2 * Math.PI;
  const radius = Math.sqrt(Math.max(n, 1)) * (0.2 + 0.8 * Math.sqrt((h >>> 16) / 0xffff));
  return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
}

/** The result of buildGraph: the graph and what had to be left out, in plain words. */
export interface Built {
  graph: DisplayGraph;
  warnings: string[];
}

/**
 * buildGraph turns an interchange document into the display graph: one node per document
 * node (kind colour and shape, size by degree) and one edge per relationship keyed by its
 * API id. Relationships whose ends are missing, and unknown labels, are skipped and
 * reported rather than failing the whole view.
 */
export function buildGraph(doc: Doc): Built {
  const graph: DisplayGraph = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>();
  const warnings: string[] = [];
  if (!doc || !Array.isArray(doc.nodes) || !Array.isArray(doc.relationships)) {
    throw new Error("the API's exportGraph did not return an interchange document (nodes and relationships)");
  }
  const n = doc.nodes.length;
  let badLabels = 0;
  for (const node of doc.nodes) {
    if (!LABELS.includes(node.label) || typeof node.id !== "string" || graph.hasNode(node.id)) {
      badLabels++;
      continue;
    }
    const p = initialPosition(node.id, node.label, n);
    graph.addNode(node.id, {
      label: node.name || node.id,
      kind: node.label,
      x: p.x,
      y: p.y,
      size: 3,
      color: colorOf(node.label),
      shape: shapeOf(node.label),
      degree: 0,
      props: node,
    });
  }
  if (badLabels) warnings.push(`${badLabels} node(s) with an unknown label or a repeated id were left out`);
  let dangling = 0;
  for (const r of doc.relationships) {
    const key = relId(r);
    if (!graph.hasNode(r.from) || !graph.hasNode(r.to) || graph.hasEdge(key)) {
      dangling++;
      continue;
    }
    graph.addDirectedEdgeWithKey(key, r.from, r.to, { rel: r.type, size: 1, color: "#c8c8c8", props: r });
  }
  if (dangling) warnings.push(`${dangling} relationship(s) whose ends are not in the graph were left out`);
  graph.forEachNode((id) => graph.setNodeAttribute(id, "degree", graph.degree(id)));
  applySizes(graph, (id) => graph.getNodeAttribute(id, "degree"));
  return { graph, warnings };
}

/** The measures a node's size can show. */
export const SIZE_MEASURES = {
  degree: "number of relationships",
  downstream: "objectives downstream of it",
  hanging: "objectives that hang on it alone (single point of failure)",
} as const;
export type SizeMeasure = keyof typeof SIZE_MEASURES;

/** sizeFor maps a measure value to a node size: 3 px for 0, growing with the square root. */
export function sizeFor(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 3;
  return 3 + 12 * Math.sqrt(value / max);
}

/** applySizes sets every node's size from measure(id). */
export function applySizes(graph: DisplayGraph, measure: (id: string) => number): void {
  let max = 0;
  graph.forEachNode((id) => {
    max = Math.max(max, measure(id) || 0);
  });
  graph.forEachNode((id) => graph.setNodeAttribute(id, "size", sizeFor(measure(id) || 0, max)));
}

/**
 * downstreamObjectives counts, for each node, the objectives downstream of it as docs/analyses.md, "Analyses"
 * "impact" defines them, ignoring dates: a stakeholder's provided capabilities, an
 * agreement's governed ones or the capability itself; every capability depending on
 * those (transitively); the objectives requiring any of them.
 */
export function downstreamObjectives(graph: DisplayGraph): Map<string, number> {
  // dependents[c] = capabilities that DEPENDS_ON c; requiredBy[c] = objectives requiring c.
  const dependents = new Map<string, string[]>();
  const requiredBy = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  graph.forEachEdge((_e, a, from, to) => {
    if (a.rel === "DEPENDS_ON") push(dependents, to, from);
    else if (a.rel === "REQUIRES") push(requiredBy, to, from);
  });
  const memo = new Map<string, Set<string>>(); // capability -> objectives downstream
  const objectivesOfCapability = (c: string): Set<string> => {
    const known = memo.get(c);
    if (known) return known;
    const seen = new Set<string>([c]);
    const stack = [c];
    const out = new Set<string>();
    while (stack.length) {
      const x = stack.pop()!;
      for (const o of requiredBy.get(x) ?? []) out.add(o);
      for (const d of dependents.get(x) ?? []) if (!seen.has(d)) { seen.add(d); stack.push(d); }
    }
    memo.set(c, out);
    return out;
  };
  const result = new Map<string, number>();
  graph.forEachNode((id, a) => {
    let caps: string[] = [];
    if (a.kind === "Capability") caps = [id];
    else if (a.kind === "Nation" || a.kind === "Agency") caps = graph.outEdges(id).filter((e) => graph.getEdgeAttribute(e, "rel") === "PROVIDES").map((e) => graph.target(e));
    else if (a.kind === "Agreement") caps = graph.outEdges(id).filter((e) => graph.getEdgeAttribute(e, "rel") === "GOVERNS").map((e) => graph.target(e));
    const objs = new Set<string>();
    for (const c of caps) for (const o of objectivesOfCapability(c)) objs.add(o);
    result.set(id, objs.size);
  });
  return result;
}

/** countsAt: a relationship with these bounds counts at date d (docs/analyses.md, "Validity by date": from <= d < to). */
export function countsAt(from: unknown, to: unknown, d: string): boolean {
  const f = typeof from === "string" && from !== "" ? from : undefined;
  const t = typeof to === "string" && to !== "" ? to : undefined;
  return (f === undefined || f <= d) && (t === undefined || d < t);
}

/**
 * outOfForce lists the ids of agreements not in force and relationships not valid at d,
 * together with every relationship of such an agreement: what the analyses at d ignore.
 */
export function outOfForce(graph: DisplayGraph, d: string): Set<string> {
  const out = new Set<string>();
  graph.forEachNode((id, a) => {
    if (a.kind === "Agreement" && !countsAt(a.props.signed, a.props.expires, d)) {
      out.add(id);
      graph.forEachEdge(id, (e) => out.add(e));
    }
  });
  graph.forEachEdge((e, a) => {
    if (!countsAt(a.props.validFrom, a.props.validTo, d)) out.add(e);
  });
  return out;
}

/** Filters of the view; empty fields do not filter. */
export interface Filters {
  kinds: Label[]; // the kinds shown; empty means all
  region?: string; // nations of that region and their agencies (other stakeholders hidden)
  domain?: string; // objectives of that domain (other objectives hidden)
  agreement?: string; // that agreement's neighbourhood only
}

/**
 * visibleNodes applies the filters: kinds; region keeps only the stakeholders of nations in
 * that region; domain keeps only objectives of that domain; agreement keeps only the
 * agreement, its parties (with the agencies of party nations) and the capabilities it
 * governs with their providers.
 */
export function visibleNodes(graph: DisplayGraph, f: Filters): Set<string> {
  const nationOf = (id: string): string | undefined => {
    for (const e of graph.outEdges(id)) if (graph.getEdgeAttribute(e, "rel") === "PART_OF") return graph.target(e);
    return undefined;
  };
  let scope: Set<string> | undefined;
  if (f.agreement && graph.hasNode(f.agreement)) {
    scope = new Set([f.agreement]);
    for (const e of graph.inEdges(f.agreement)) {
      if (graph.getEdgeAttribute(e, "rel") !== "PARTY_TO") continue;
      const party = graph.source(e);
      scope.add(party);
      if (graph.getNodeAttribute(party, "kind") === "Nation") {
        for (const pe of graph.inEdges(party)) if (graph.getEdgeAttribute(pe, "rel") === "PART_OF") scope.add(graph.source(pe));
      }
    }
    for (const e of graph.outEdges(f.agreement)) {
      if (graph.getEdgeAttribute(e, "rel") !== "GOVERNS") continue;
      const cap = graph.target(e);
      scope.add(cap);
      for (const pe of graph.inEdges(cap)) if (graph.getEdgeAttribute(pe, "rel") === "PROVIDES") scope.add(graph.source(pe));
    }
  }
  const out = new Set<string>();
  graph.forEachNode((id, a) => {
    if (f.kinds.length && !f.kinds.includes(a.kind)) return;
    if (scope && !scope.has(id)) return;
    if (f.region) {
      if (a.kind === "Nation" && a.props.region !== f.region) return;
      if (a.kind === "Agency") {
        const nat = nationOf(id);
        if (!nat || graph.getNodeAttribute(nat, "props").region !== f.region) return;
      }
    }
    if (f.domain && a.kind === "Objective" && a.props.domain !== f.domain) return;
    out.add(id);
  });
  return out;
}

/** distinctValues lists the sorted distinct non-empty values of a property over one kind. */
export function distinctValues(graph: DisplayGraph, kind: Label, prop: string): string[] {
  const s = new Set<string>();
  graph.forEachNode((_id, a) => {
    const v = a.props[prop];
    if (a.kind === kind && typeof v === "string" && v) s.add(v);
  });
  return [...s].sort();
}

/**
 * kindWord is the kind to show after a node's name, or "" when the name already says it
 * ("National Security Agency" is not followed by "Agency" again).
 */
export function kindWord(name: string, kind: string | undefined): string {
  if (!kind) return "";
  const last = name.trim().split(/\s+/).pop()?.replace(/[^\p{L}]/gu, "").toLowerCase();
  return last === kind.toLowerCase() ? "" : kind;
}

/**
 * sharedProps lists the properties (of keys) that every item has with one same value, when
 * there are at least two items: said once above a list instead of on every line.
 */
export function sharedProps(items: Record<string, unknown>[], keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (items.length < 2) return out;
  for (const k of keys) {
    const v = items[0][k];
    if (v === null || v === undefined || v === "") continue;
    if (items.every((it) => it[k] === v)) out[k] = v;
  }
  return out;
}

/**
 * validityDates lists the dates at which something starts or stops counting — agreements'
 * signed and expires, relationships' validFrom and validTo — with extra (today), sorted and
 * distinct: the stops of the date slider.
 */
export function validityDates(graph: DisplayGraph, extra: string[] = []): string[] {
  const s = new Set<string>(extra);
  const add = (v: unknown) => {
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) s.add(v);
  };
  graph.forEachNode((_id, a) => {
    if (a.kind === "Agreement") {
      add(a.props.signed);
      add(a.props.expires);
    }
  });
  graph.forEachEdge((_e, a) => {
    add(a.props.validFrom);
    add(a.props.validTo);
  });
  return [...s].sort();
}
