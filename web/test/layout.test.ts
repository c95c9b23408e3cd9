import { describe, expect, it } from "vitest";
import { layoutSettings, removeOverlaps, seedFamilies } from "../src/layout";
import { buildGraph } from "../src/model";
import { doc } from "./fixtures";

describe("layout", () => {
  it("uses LinLog with weak, non-strong gravity; Barnes-Hut only for large graphs", () => {
    const s = layoutSettings(270);
    expect(s).toMatchObject({ linLogMode: true, strongGravityMode: false, barnesHutOptimize: false });
    expect(layoutSettings(10_000).barnesHutOptimize).toBe(true);
  });
  it("removes overlaps: no two shapes closer than their radii once fitted to the view", () => {
    const n = 20;
    const pos = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      pos[2 * i] = (i % 3) * 0.001; // nearly on top of each other, and two far corners for the extent
      pos[2 * i + 1] = Math.floor(i / 10) * 0.001;
    }
    pos[0] = -100; pos[1] = -100; pos[2] = 100; pos[3] = 100;
    const sizes = new Float32Array(n).fill(5);
    const before = removeOverlaps(Float32Array.from(pos), sizes, 1);
    expect(before).toBeGreaterThan(0);
    expect(removeOverlaps(pos, sizes, 200)).toBe(0);
  });
  it("starts agencies next to their nation", () => {
    const { graph } = buildGraph(doc);
    seedFamilies(graph);
    const a = graph.getNodeAttributes("agency:usa-dod");
    const n = graph.getNodeAttributes("nation:USA");
    const far = graph.getNodeAttributes("obj:air");
    const d = (p: { x: number; y: number }, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);
    expect(d(a, n)).toBeLessThan(d(far, n));
    expect(d(a, n)).toBeGreaterThan(0);
  });
});
