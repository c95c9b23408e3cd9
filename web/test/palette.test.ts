import { describe, expect, it } from "vitest";
import { LABELS } from "../src/model";
import { communityColor, DIM, KIND_STYLE, legend, nodeStyle, OKABE_ITO, SHAPES, shapeSVG, STATE_STYLE } from "../src/palette";

describe("palette", () => {
  it("gives every kind an Okabe–Ito colour and its own shape", () => {
    const okabe = new Set<string>(Object.values(OKABE_ITO));
    const colors = new Set<string>();
    const shapes = new Set<string>();
    for (const k of LABELS) {
      expect(okabe.has(KIND_STYLE[k].color)).toBe(true);
      colors.add(KIND_STYLE[k].color);
      shapes.add(KIND_STYLE[k].shape);
    }
    expect(colors.size).toBe(LABELS.length);
    expect(shapes.size).toBe(LABELS.length);
    expect(Object.keys(SHAPES)).toHaveLength(6);
  });

  it("greys out nodes an overlay is not about, and keeps kind colours without one", () => {
    expect(nodeStyle("Nation", undefined, true)).toEqual({ fill: DIM, ring: null });
    expect(nodeStyle("Nation", undefined, false)).toEqual({ fill: OKABE_ITO.blue, ring: null });
    expect(nodeStyle("Capability", "highlight", true)).toEqual({ fill: OKABE_ITO.bluishGreen, ring: null });
    expect(nodeStyle("Nation", "primary", true)).toEqual({ fill: OKABE_ITO.vermillion, ring: OKABE_ITO.black });
    expect(nodeStyle("Objective", "failed", true).fill).toBe(OKABE_ITO.yellow);
  });

  it("uses only Okabe–Ito colours (or greys) for states and communities", () => {
    const okabe = new Set<string>(Object.values(OKABE_ITO));
    for (const s of Object.values(STATE_STYLE)) if (s.fill && s.fill !== "#555555") expect(okabe.has(s.fill)).toBe(true);
    for (let i = 0; i < 20; i++) expect(okabe.has(communityColor(i))).toBe(true);
    expect(communityColor(0)).not.toBe(communityColor(1));
    expect(communityColor(7)).toBe(communityColor(0));
  });

  it("lists kinds in the legend, then the overlay's states, then the grey", () => {
    const plain = legend([]);
    expect(plain.map((r) => r.text)).toEqual([...LABELS]);
    const spof = legend(["focus", "primary", "highlight"]);
    expect(spof).toHaveLength(LABELS.length + 4);
    expect(spof[LABELS.length + 1].text).toMatch(/single point of failure/);
    expect(spof.at(-1)!.fill).toBe(DIM);
    expect(legend([], 3).filter((r) => r.text.startsWith("coalition"))).toHaveLength(3);
  });

  it("draws legend shapes as SVG", () => {
    expect(shapeSVG("circle", "#000", null)).toContain("<circle");
    expect(shapeSVG("hexagon", "#000", "#fff")).toContain('stroke="#fff"');
  });
});
