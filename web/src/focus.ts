// The answer-first focus view: the subgraph of an analysis's answer (its explanation ids
// and the immediate context needed to read them as a chain), laid out in layers —
// pursuers → objective → required capabilities (and what they depend on) → providers →
// nations and agreements — so that every node can be labelled and every relationship's
// type and direction read. Pure functions of the display graph and the highlight.
import { MultiDirectedGraph } from "graphology";
import type { DisplayGraph, EdgeAttrs, NodeAttrs } from "./model";
import type { Highlight } from "./overlays";

/** How many answers the focus view draws before "show all". */
export const TOP_N = 15;

const out = (g: DisplayGraph, id: string, rel: string) => g.outEdges(id).filter((e) => g.getEdgeAttribute(e, "rel") === rel).map((e) => g.target(e));
const inn = (g: DisplayGraph, id: string, rel: string) => g.inEdges(id).filter((e) => g.getEdgeAttribute(e, "rel") === rel).map((e) => g.source(e));

/**
 * mustDraw is what the focus view has to show of an answer: every highlighted node; or,
 * when the answer is a ranked list longer than n and not showAll, its subjects (by default
 * the nodes in the focus and down states), the top n answers and their explanations.
 */
export function mustDraw(h: Highlight, showAll: boolean, n = TOP_N): Set<string> {
  const answers = h.answers ?? [];
  if (showAll || answers.length <= n) return new Set(h.nodes.keys());
  const ids = new Set(h.subjects ?? [...h.nodes].filter(([, st]) => st === "focus" || st === "down").map(([id]) => id));
  for (const a of answers.slice(0, n)) for (const id of [a.id, ...a.explanation]) ids.add(id);
  return ids;
}

/** answerNodes is what the focus view draws: mustDraw, present in g, and the context that ties it together (contextFor). */
export function answerNodes(g: DisplayGraph, h: Highlight, showAll: boolean, n = TOP_N): Set<string> {
  const ids = new Set([...mustDraw(h, showAll, n)].filter((id) => g.hasNode(id)));
  for (const id of contextFor(g, ids)) ids.add(id);
  return ids;
}

/**
 * contextFor lists the nodes that connect an answer's nodes into readable chains: the
 * capabilities between an objective of the set and a stakeholder or agreement of the set
 * that provides or governs one of them (along REQUIRES then DEPENDS_ON), and the nation of
 * every agency of the set.
 */
export function contextFor(g: DisplayGraph, ids: Set<string>): Set<string> {
  const add = new Set<string>();
  const events = new Set([...ids].filter((id) => ["Nation", "Agency", "Agreement"].includes(g.getNodeAttribute(id, "kind"))));
  for (const o of ids) {
    if (g.getNodeAttribute(o, "kind") !== "Objective") continue;
    // Breadth-first over REQUIRES, then DEPENDS_ON, remembering how each capability was reached.
    const parent = new Map<string, string | null>();
    const queue: string[] = [];
    for (const c of out(g, o, "REQUIRES")) if (!parent.has(c)) { parent.set(c, null); queue.push(c); }
    while (queue.length) {
      const c = queue.shift()!;
      for (const d of out(g, c, "DEPENDS_ON")) if (!parent.has(d)) { parent.set(d, c); queue.push(d); }
    }
    for (const c of parent.keys()) {
      const by = [...inn(g, c, "PROVIDES"), ...inn(g, c, "GOVERNS")];
      if (!by.some((x) => events.has(x))) continue;
      for (let x: string | null = c; x !== null && !ids.has(x); x = parent.get(x) ?? null) add.add(x);
    }
  }
  for (const id of ids) {
    if (g.getNodeAttribute(id, "kind") === "Agency") for (const n of out(g, id, "PART_OF")) if (!ids.has(n)) add.add(n);
  }
  return add;
}

/** Placed is a node's layer (column, left to right) and row in the focus view. */
export interface Placed {
  layer: number;
  row: number;
}

/**
 * layers assigns each node of ids a column: pursuing stakeholders and threats left of the
 * objectives; objectives; capabilities, deeper along DEPENDS_ON further right; providers;
 * then the nations of agency providers and the agreements. With communities (coalitions)
 * each community is a column of its own. Rows are ordered to cut crossings: by name first,
 * then two barycentre sweeps.
 */
export function layeredLayout(g: DisplayGraph, ids: Set<string>, community?: Map<string, number>): Map<string, Placed> {
  const layer = new Map<string, number>();
  const kind = (id: string) => g.getNodeAttribute(id, "kind");
  if (community && [...ids].some((id) => community.has(id))) {
    for (const id of ids) layer.set(id, community.has(id) ? community.get(id)! : -1);
  } else {
    // Capability depth: shortest DEPENDS_ON distance from a capability an objective of the set requires.
    const depth = new Map<string, number>();
    const queue: string[] = [];
    for (const o of ids) {
      if (kind(o) !== "Objective") continue;
      for (const c of out(g, o, "REQUIRES")) if (ids.has(c) && !depth.has(c)) { depth.set(c, 0); queue.push(c); }
    }
    while (queue.length) {
      const c = queue.shift()!;
      for (const d of out(g, c, "DEPENDS_ON")) if (ids.has(d) && !depth.has(d)) { depth.set(d, depth.get(c)! + 1); queue.push(d); }
    }
    let capMax = 0;
    for (const id of ids) {
      if (kind(id) === "Capability") {
        const l = 1 + (depth.get(id) ?? 0);
        layer.set(id, l);
        capMax = Math.max(capMax, l);
      } else if (kind(id) === "Objective") layer.set(id, 0);
    }
    const hasCaps = capMax > 0;
    const providers = new Set<string>();
    for (const id of ids) {
      const k = kind(id);
      if (k !== "Nation" && k !== "Agency") continue;
      if (out(g, id, "PROVIDES").some((c) => ids.has(c))) providers.add(id);
    }
    for (const id of ids) {
      if (layer.has(id)) continue;
      const k = kind(id);
      if (providers.has(id)) layer.set(id, capMax + 1);
      else if (k === "Agreement") layer.set(id, capMax + 2);
      else if (k === "Nation" && inn(g, id, "PART_OF").some((a) => providers.has(a))) layer.set(id, capMax + 2);
      else if (k === "Agency" && hasCaps && out(g, id, "PART_OF").some((n) => providers.has(n))) layer.set(id, capMax + 2);
      else if (k === "Threat") layer.set(id, -1);
      else if ((k === "Nation" || k === "Agency") && !out(g, id, "PURSUES").some((o) => ids.has(o)) && hasCaps) layer.set(id, capMax + 2);
      else layer.set(id, -1);
    }
  }
  // Compact the used layers to 0..L-1.
  const used = [...new Set(layer.values())].sort((a, b) => a - b);
  const cols: string[][] = used.map(() => []);
  for (const [id, l] of layer) cols[used.indexOf(l)].push(id);
  const name = (id: string) => g.getNodeAttribute(id, "label").toLowerCase();
  for (const c of cols) c.sort((a, b) => name(a).localeCompare(name(b)) || a.localeCompare(b));
  const rowOf = new Map<string, number>();
  const setRows = () => cols.forEach((c) => c.forEach((id, i) => rowOf.set(id, i / Math.max(c.length - 1, 1))));
  setRows();
  const sweep = (from: number, to: number, step: number) => {
    for (let i = from; i !== to; i += step) {
      const ref = new Set(cols[i - step]);
      const bary = new Map<string, number>();
      for (const id of cols[i]) {
        const ns = g.neighbors(id).filter((x) => ref.has(x));
        bary.set(id, ns.length ? ns.reduce((s, x) => s + rowOf.get(x)!, 0) / ns.length : rowOf.get(id)!);
      }
      cols[i].sort((a, b) => bary.get(a)! - bary.get(b)! || name(a).localeCompare(name(b)) || a.localeCompare(b));
      setRows();
    }
  };
  for (let k = 0; k < 2 && cols.length > 1; k++) {
    sweep(1, cols.length, 1);
    sweep(cols.length - 2, -1, -1);
  }
  const placed = new Map<string, Placed>();
  cols.forEach((c, l) => c.forEach((id, r) => placed.set(id, { layer: l, row: r })));
  return placed;
}

/** The pixel spacing the focus view aims at: rows far enough apart for a label, columns for a name. */
export const ROW_PX = 26;
/** The room a label takes right of its node (labels are shortened to fit, LABEL_CHARS). */
export const LABEL_PX = 180;
/** Focus-view labels longer than this are shortened with "…". */
export const LABEL_CHARS = 26;

/**
 * positions turns layers and rows into pixel coordinates for a viewport of width × height:
 * a column taller than the viewport holds is folded into side-by-side sub-columns, columns
 * share the width (at least LABEL_PX + a margin apart) and are centred vertically. y grows
 * upwards (sigma's convention).
 */
export function positions(placed: Map<string, Placed>, height: number, width = 1000): Map<string, { x: number; y: number }> {
  const maxRows = Math.max(4, Math.floor((height - 60) / ROW_PX));
  const byLayer = new Map<number, string[]>();
  for (const [id, p] of placed) {
    const l = byLayer.get(p.layer) ?? [];
    l[p.row] = id;
    byLayer.set(p.layer, l);
  }
  const layers = [...byLayer.keys()].sort((a, b) => a - b);
  const folds = new Map(layers.map((l) => [l, Math.ceil(byLayer.get(l)!.filter(Boolean).length / maxRows)]));
  const columns = layers.reduce((s, l) => s + folds.get(l)!, 0);
  const colPx = Math.max(LABEL_PX + 20, Math.min(320, (width - 80 - LABEL_PX) / Math.max(columns - 1, 1)));
  const outPos = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const l of layers) {
    const col = byLayer.get(l)!.filter(Boolean);
    const f = folds.get(l)!;
    const rows = Math.ceil(col.length / f);
    col.forEach((id, i) => {
      const k = Math.floor(i / rows);
      const r = i % rows;
      const inThis = Math.min(rows, col.length - k * rows);
      outPos.set(id, { x: x + k * colPx, y: ((inThis - 1) / 2 - r) * ROW_PX });
    });
    x += colPx * f;
  }
  return outPos;
}

/**
 * focusBBox is the extent sigma should fit to the viewport so that one unit of the layout is
 * about one pixel: the layout with room for the last column's labels, grown to the
 * viewport's size and shape (never shrunk below it, so a small answer is not blown up).
 */
export function focusBBox(pos: Map<string, { x: number; y: number }>, width: number, height: number, hiddenRight = 0): { x: [number, number]; y: [number, number] } {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const p of pos.values()) {
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  }
  if (minX > maxX) return { x: [0, width], y: [0, height] };
  maxX += LABEL_PX;
  const pad = 30; // sigma's stage padding
  let w = Math.max(maxX - minX, width - 2 * pad - 20);
  let h = Math.max(maxY - minY + ROW_PX, height - 2 * pad - 20);
  const aspect = width / Math.max(height, 1);
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  if (hiddenRight > 0 && hiddenRight < width) {
    // The layout fills the visible part: lay it out for width - hiddenRight and extend the
    // extent to the right by the covered share, so it lands left of the drawer.
    const vis = focusBBox(pos, width - hiddenRight, height);
    const vw = vis.x[1] - vis.x[0];
    const vh = vis.y[1] - vis.y[0];
    const scale = Math.max(vw / (width - hiddenRight), vh / height);
    return { x: [vis.x[0], vis.x[0] + width * scale], y: [cy - (height * scale) / 2, cy + (height * scale) / 2] };
  }
  return { x: [cx - w / 2, cx + w / 2], y: [cy - h / 2, cy + h / 2] };
}

/**
 * focusGraph copies the nodes of ids and the relationships between them into a new graph
 * with the layered positions; relationships carry their type as a label and are drawn as
 * arrows. measure (0..1 per node) grades the size of answers.
 */
export function focusGraph(g: DisplayGraph, ids: Set<string>, pos: Map<string, { x: number; y: number }>, h: Highlight): DisplayGraph {
  const f: DisplayGraph = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>();
  for (const id of ids) {
    const a = g.getNodeAttributes(id);
    const p = pos.get(id) ?? { x: 0, y: 0 };
    const st = h.nodes.get(id);
    const m = h.measure?.get(id);
    const size = m !== undefined ? 5 + 9 * Math.sqrt(Math.max(0, Math.min(1, m))) : st === "focus" ? 11 : st && st !== "highlight" ? 9 : 6;
    f.addNode(id, { ...a, x: p.x, y: p.y, size });
  }
  g.forEachEdge((key, a, s, t) => {
    if (!ids.has(s) || !ids.has(t) || s === t) return;
    f.addDirectedEdgeWithKey(key, s, t, { ...a, size: h.edges.has(key) ? 2 : 1, label: a.rel, type: "arrow" } as EdgeAttrs);
  });
  return f;
}

/**
 * stretchRows spreads the rows of a layout wider than the view: sigma scales a layout down
 * evenly to fit its width, which would press rows together until labels overlap; where the
 * view has height to spare, rows are moved apart by the same factor (in place).
 */
export function stretchRows(pos: Map<string, { x: number; y: number }>, width: number, height: number, hiddenRight = 0): void {
  const b = focusBBox(pos, width, height, hiddenRight);
  const scale = (b.x[1] - b.x[0]) / width; // layout units per pixel after fitting
  if (scale <= 1) return;
  const ys = [...pos.values()].map((p) => p.y);
  const span = Math.max(...ys) - Math.min(...ys) + ROW_PX;
  const room = (height - 80) * scale; // layout units the view's height holds at that scale
  const k = Math.min(scale, room / span);
  if (k <= 1) return;
  for (const p of pos.values()) p.y *= k;
}
