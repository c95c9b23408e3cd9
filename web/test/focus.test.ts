import { describe, expect, it } from "vitest";
import { answerNodes, contextFor, focusBBox, focusGraph, LABEL_PX, layeredLayout, positions, ROW_PX, stretchRows } from "../src/focus";
import { buildGraph } from "../src/model";
import type { Highlight } from "../src/overlays";
import { doc } from "./fixtures";

const g = () => buildGraph(doc).graph;
const hl = (nodes: [string, Highlight["nodes"] extends Map<string, infer S> ? S : never][], extra: Partial<Highlight> = {}): Highlight =>
  ({ nodes: new Map(nodes), edges: new Set(), summary: [], items: [], ...extra });

describe("focus view", () => {
  it("lays a dependency answer out as objective → capabilities → providers → nations and agreements", () => {
    const ids = new Set(["obj:air", "cap:aar", "cap:satcom", "agency:usa-dod", "nation:FRA", "nation:USA", "agr:nat"]);
    const placed = layeredLayout(g(), ids);
    const layer = Object.fromEntries([...placed].map(([id, p]) => [id, p.layer]));
    expect(layer).toEqual({
      "obj:air": 0, "cap:aar": 1, "cap:satcom": 2,
      "agency:usa-dod": 3, "nation:FRA": 3,
      "nation:USA": 4, "agr:nat": 4,
    });
    // Rows within a layer are a permutation of 0..n-1.
    expect([placed.get("agency:usa-dod")!.row, placed.get("nation:FRA")!.row].sort()).toEqual([0, 1]);
  });

  it("puts pursuers and threats left of the objectives", () => {
    const placed = layeredLayout(g(), new Set(["obj:air", "nation:FRA", "obj:cyber", "threat:cyber"]));
    expect(placed.get("nation:FRA")!.layer).toBe(0);
    expect(placed.get("threat:cyber")!.layer).toBe(0);
    expect(placed.get("obj:air")!.layer).toBe(1);
  });

  it("groups coalition members in a column per community", () => {
    const community = new Map([["nation:USA", 0], ["nation:FRA", 1]]);
    const placed = layeredLayout(g(), new Set(["nation:USA", "nation:FRA"]), community);
    expect(placed.get("nation:USA")!.layer).not.toBe(placed.get("nation:FRA")!.layer);
  });

  it("adds the capability chain and the agency's nation as context", () => {
    const ctx = contextFor(g(), new Set(["obj:air", "agency:usa-dod"]));
    expect([...ctx].sort()).toEqual(["cap:aar", "cap:satcom", "nation:USA"]);
    // Nothing to connect: no context.
    expect([...contextFor(g(), new Set(["obj:cyber", "nation:FRA"]))]).toEqual([]);
  });

  it("draws the top N answers with their explanations, or all of them", () => {
    const h = hl([["obj:air", "focus"], ["nation:FRA", "primary"], ["agency:usa-dod", "primary"], ["agr:nat", "highlight"], ["cap:aar", "highlight"]], {
      answers: [{ id: "nation:FRA", explanation: ["cap:aar"] }, { id: "agency:usa-dod", explanation: ["agr:nat"] }],
    });
    const top = answerNodes(g(), h, false, 1);
    expect([...top].sort()).toEqual(["cap:aar", "nation:FRA", "obj:air"]);
    const all = answerNodes(g(), h, true, 1);
    for (const id of h.nodes.keys()) expect(all.has(id)).toBe(true);
    expect(all.has("cap:satcom")).toBe(true); // the chain to the agency's capability
  });

  it("folds a column taller than the viewport and keeps every node apart", () => {
    const placed = new Map(Array.from({ length: 30 }, (_, i) => [`n${i}`, { layer: i < 25 ? 1 : 0, row: i < 25 ? i : i - 25 }]));
    const height = 60 + ROW_PX * 8; // 8 rows fit
    const pos = positions(placed, height);
    const ys = [...pos.values()].map((p) => p.y);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThanOrEqual(ROW_PX * 7);
    const keys = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
    expect(keys.size).toBe(30);
  });

  it("copies the answer's relationships as labelled arrows and grades sizes by measure", () => {
    const ids = new Set(["obj:air", "cap:aar", "nation:FRA"]);
    const h = hl([["obj:air", "focus"], ["nation:FRA", "primary"], ["cap:aar", "highlight"]], { measure: new Map([["nation:FRA", 1], ["cap:aar", 0]]) });
    const f = focusGraph(g(), ids, positions(layeredLayout(g(), ids), 600), h);
    expect(f.order).toBe(3);
    expect(f.edges().sort()).toEqual(["PROVIDES:nation:FRA->cap:aar", "PURSUES:nation:FRA->obj:air", "REQUIRES:obj:air->cap:aar"]);
    f.forEachEdge((_e, a) => {
      expect((a as unknown as { type: string }).type).toBe("arrow");
      expect((a as unknown as { label: string }).label).toBe(a.rel);
    });
    expect(f.getNodeAttribute("nation:FRA", "size")).toBeGreaterThan(f.getNodeAttribute("cap:aar", "size"));
  });

  it("fits one layout unit to about one pixel: the extent has the viewport's shape and holds the labels", () => {
    const pos = positions(new Map([["a", { layer: 0, row: 0 }], ["b", { layer: 1, row: 0 }], ["c", { layer: 1, row: 1 }]]), 700, 1100);
    const b = focusBBox(pos, 1100, 700);
    const w = b.x[1] - b.x[0], h = b.y[1] - b.y[0];
    expect(w / h).toBeCloseTo(1100 / 700, 6);
    expect(w).toBeGreaterThanOrEqual(1100 - 80);
    expect(w).toBeLessThanOrEqual(1100);
    const xs = [...pos.values()].map((p) => p.x);
    expect(b.x[0]).toBeLessThanOrEqual(Math.min(...xs));
    expect(b.x[1]).toBeGreaterThanOrEqual(Math.max(...xs) + LABEL_PX);
  });

  it("keeps the layout left of a drawer covering the right of the viewport", () => {
    const pos = positions(new Map([["a", { layer: 0, row: 0 }], ["b", { layer: 1, row: 0 }], ["c", { layer: 2, row: 0 }]]), 700, 1000 - 320);
    const b = focusBBox(pos, 1000, 700, 320);
    const scale = (b.x[1] - b.x[0]) / 1000; // layout units per pixel
    const right = Math.max(...[...pos.values()].map((p) => p.x)) + LABEL_PX;
    expect((right - b.x[0]) / scale).toBeLessThanOrEqual(1000 - 320);
    expect((b.y[1] - b.y[0]) / scale).toBeCloseTo(700, 6);
  });

  it("lays out nothing, or one column, without failing", () => {
    expect(layeredLayout(g(), new Set()).size).toBe(0);
    expect([...layeredLayout(g(), new Set(["nation:USA", "nation:FRA"])).values()].map((p) => p.layer)).toEqual([0, 0]);
  });

  it("spreads rows apart when a wide layout is scaled down, as far as the height allows", () => {
    const placed = new Map<string, { layer: number; row: number }>();
    for (let l = 0; l < 8; l++) for (let r = 0; r < 3; r++) placed.set(`n${l}-${r}`, { layer: l, row: r });
    const pos = positions(placed, 800, 700);
    const scale = (focusBBox(pos, 700, 800).x[1] - focusBBox(pos, 700, 800).x[0]) / 700;
    expect(scale).toBeGreaterThan(1);
    stretchRows(pos, 700, 800);
    const b = focusBBox(pos, 700, 800);
    const after = (b.x[1] - b.x[0]) / 700; // the width still decides the scale
    expect(after).toBeCloseTo(scale, 6);
    const gap = Math.abs(pos.get("n0-0")!.y - pos.get("n0-1")!.y) / after; // pixels between rows once fitted
    expect(gap).toBeGreaterThanOrEqual(ROW_PX - 1e-9);
  });
});
