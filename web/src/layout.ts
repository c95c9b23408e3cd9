// The layout's pure parts (the worker in layout.worker.ts runs them): ForceAtlas2 settings
// chosen for readability, initial positions seeded by kind and family, and overlap removal.
import { hash32, type DisplayGraph } from "./model";

/** layoutSettings are the ForceAtlas2 settings for a graph of n nodes (see the top). */
export function layoutSettings(n: number) {
  return {
    linLogMode: true,
    outboundAttractionDistribution: false,
    adjustSizes: false,
    barnesHutOptimize: n > 1000,
    barnesHutTheta: 0.6,
    strongGravityMode: false,
    gravity: 1,
    scalingRatio: n > 3000 ? 2 : 4,
    slowDown: 1 + Math.log(Math.max(n, 1)),
    edgeWeightInfluence: 1,
  };
}

/** The view width, in pixels, that the overlap removal assumes the layout is fitted to. */
const VIEW_PX = 800;
/** The largest graph whose overlaps are removed (the pass is quadratic). */
export const OVERLAP_MAX = 2000;

/**
 * removeOverlaps pushes apart nodes whose drawn shapes would overlap once the layout is
 * fitted to a view about VIEW_PX wide (sizes are pixel radii, plus a margin), in a few
 * passes. Positions are x0, y0, x1, y1, … and are changed in place; it returns how many
 * overlapping pairs the last pass still found.
 */
export function removeOverlaps(pos: Float32Array, sizes: Float32Array, passes = 30, marginPx = 2): number {
  const n = sizes.length;
  let left = 0;
  for (let pass = 0; pass < passes; pass++) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, pos[2 * i]); maxX = Math.max(maxX, pos[2 * i]);
      minY = Math.min(minY, pos[2 * i + 1]); maxY = Math.max(maxY, pos[2 * i + 1]);
    }
    const scale = Math.max(maxX - minX, maxY - minY, 1e-9) / VIEW_PX; // graph units per pixel
    left = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[2 * j] - pos[2 * i];
        const dy = pos[2 * j + 1] - pos[2 * i + 1];
        const need = (sizes[i] + sizes[j] + marginPx) * scale;
        const d2 = dx * dx + dy * dy;
        if (d2 >= need * need * 0.99) continue; // a 0.5 % tolerance: positions are float32
        left++;
        const d = Math.sqrt(d2) || 1e-6 * scale;
        const push = (need * 1.01 - d) / 2;
        const ux = d2 ? dx / d : Math.cos(i + j);
        const uy = d2 ? dy / d : Math.sin(i + j);
        pos[2 * i] -= ux * push; pos[2 * i + 1] -= uy * push;
        pos[2 * j] += ux * push; pos[2 * j + 1] += uy * push;
      }
    }
    if (!left) break;
  }
  return left;
}


/**
 * seedFamilies moves every agency next to its nation (PART_OF) before the force layout
 * starts, on a small ring around it, so that a nation's family begins together instead of
 * across the disc (the kinds' sectors of initialPosition) and the layout need not untangle it.
 */
export function seedFamilies(graph: DisplayGraph): void {
  const n = Math.max(graph.order, 1);
  const r = Math.sqrt(n) * 0.08;
  graph.forEachEdge((_e, a, from, to) => {
    if (a.rel !== "PART_OF") return;
    const nat = graph.getNodeAttributes(to);
    const angle = ((hash32(from) % 3600) / 3600) * 2 * Math.PI;
    graph.setNodeAttribute(from, "x", nat.x + r * Math.cos(angle));
    graph.setNodeAttribute(from, "y", nat.y + r * Math.sin(angle));
  });
}

/**
 * modelKey identifies a version of the model for the layout cache: a hash over every node's
 * id and updatedAt and every relationship's ends and type, so any write changes it.
 */
export function modelKey(g: DisplayGraph): string {
  let h = 0x811c9dc5;
  let k = 0;
  const mix = (s: string) => {
    h = hash32(h.toString(36) + s);
    k++;
  };
  g.forEachNode((id, a) => mix(id + "@" + String(a.props.updatedAt ?? "")));
  g.forEachEdge((e) => mix(e));
  return `${g.order}.${g.size}.${h.toString(36)}.${k}`;
}

/** encodePositions packs x, y pairs (node order) as base64 of float32s, for localStorage. */
export function encodePositions(pos: Float32Array): string {
  const bytes = new Uint8Array(pos.buffer, pos.byteOffset, pos.byteLength);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** decodePositions reverses encodePositions; undefined when the text does not hold n pairs. */
export function decodePositions(text: string, n: number): Float32Array | undefined {
  try {
    const bin = atob(text);
    if (bin.length !== n * 8) return undefined;
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  } catch {
    return undefined;
  }
}
