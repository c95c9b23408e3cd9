// ForceAtlas2 off the main thread, in bounded chunks, so the page stays interactive while
// the layout settles. It posts positions after every chunk and says when it has settled:
// when the mean displacement per iteration falls under a small share of the layout's
// extent, or at an iteration budget that depends on the size of the graph.
//
// Settings (layoutSettings) are chosen for readability rather than FA2's defaults, which
// pull a few hundred densely linked nodes into one ball: LinLog attraction makes clusters
// (a nation's family, an alliance's parties, a domain's objectives) compact and far apart;
// outbound attraction distribution pushes hubs (big alliances, busy nations) to the
// borders of their clusters instead of the centre; a weak, non-strong gravity keeps loose
// parts in view without crushing the whole. Once it has settled, small graphs get an
// overlap-removal pass (removeOverlaps) so that no two shapes sit on each other.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { layoutSettings, OVERLAP_MAX, removeOverlaps } from "./layout";

export interface LayoutRequest {
  positions: Float32Array; // x0, y0, x1, y1, …
  edges: Uint32Array; // source index, target index, …
  /** Drawn node sizes (pixels), for the overlap removal; optional. */
  sizes?: Float32Array;
  maxIterations?: number;
}

export interface LayoutUpdate {
  positions: Float32Array;
  iterations: number;
  settled: boolean;
}

/** budget is the iteration budget for a graph of n nodes. */
export function budget(n: number): number {
  if (n <= 500) return 600;
  if (n <= 3000) return 300;
  return 150;
}

/** chunkSize is how many iterations run between two reports: about 50 ms of work. */
export function chunkSize(n: number): number {
  if (n <= 300) return 25;
  if (n <= 1000) return 10;
  if (n <= 3000) return 3;
  return 1;
}

const ctx = self as unknown as Worker;

ctx.onmessage = (ev: MessageEvent<LayoutRequest>) => {
  const { positions, edges } = ev.data;
  const n = positions.length / 2;
  const g = new Graph({ type: "undirected", multi: true, allowSelfLoops: false });
  for (let i = 0; i < n; i++) g.addNode(i, { x: positions[2 * i], y: positions[2 * i + 1] });
  for (let i = 0; i < edges.length; i += 2) if (edges[i] !== edges[i + 1]) g.addEdge(edges[i], edges[i + 1]);
  const settings = layoutSettings(n);
  const max = ev.data.maxIterations ?? budget(n);
  let done = 0;
  // Chunks of a size fixed by the graph's size, not by how fast this machine is: the
  // settling test runs at the same iterations on every load, so the layout is the same.
  const chunk = chunkSize(n);
  const prev = new Float32Array(2 * n);
  const step = () => {
    let i = 0;
    g.forEachNode((_k, a) => {
      prev[i++] = a.x;
      prev[i++] = a.y;
    });
    const k = Math.min(chunk, max - done);
    forceAtlas2.assign(g, { iterations: k, settings });
    done += k;
    const out = new Float32Array(2 * n);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, moved = 0;
    i = 0;
    g.forEachNode((_key, a) => {
      out[i] = a.x;
      out[i + 1] = a.y;
      moved += Math.hypot(a.x - prev[i], a.y - prev[i + 1]);
      minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x);
      minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y);
      i += 2;
    });
    const extent = Math.hypot(maxX - minX, maxY - minY) || 1;
    const perIteration = moved / Math.max(n, 1) / k / extent;
    const settled = done >= max || perIteration < 0.0004;
    if (settled && ev.data.sizes && n <= OVERLAP_MAX) removeOverlaps(out, ev.data.sizes);
    ctx.postMessage({ positions: out, iterations: done, settled } satisfies LayoutUpdate, [out.buffer]);
    if (!settled) setTimeout(step, 0);
  };
  step();
};
