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

describe("layout cache", () => {
  it("round-trips positions through base64", async () => {
    const { encodePositions, decodePositions } = await import("../src/layout");
    const pos = new Float32Array([1.5, -2.25, 1e6, 0, -0.125, 3]);
    expect([...decodePositions(encodePositions(pos), 3)!]).toEqual([...pos]);
    expect(decodePositions(encodePositions(pos), 4)).toBeUndefined();
    expect(decodePositions("not base64!", 3)).toBeUndefined();
  });
  it("keys the model version: any node update or relationship changes it", async () => {
    const { modelKey } = await import("../src/layout");
    const { buildGraph } = await import("../src/model");
    const { doc } = await import("./fixtures");
    const base = modelKey(buildGraph(doc).graph);
    expect(modelKey(buildGraph(doc).graph)).toBe(base);
    const touched = { ...doc, nodes: doc.nodes.map((n, i) => (i === 0 ? { ...n, updatedAt: "2027-01-01T00:00:00Z" } : n)) };
    expect(modelKey(buildGraph(touched).graph)).not.toBe(base);
    const more = { ...doc, relationships: [...doc.relationships, { type: "PURSUES" as const, from: "nation:FRA", to: "obj:cyber" }] };
    expect(modelKey(buildGraph(more).graph)).not.toBe(base);
  });
});
