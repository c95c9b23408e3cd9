import { describe, expect, it } from "vitest";
import { LABELS } from "../src/model";
import { COMMUNITY_COLORS, communityColor, DIM, KIND_STYLE, legend, nodeStyle, OKABE_ITO, SHAPES, shapeSVG, STATE_STYLE } from "../src/palette";

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
    expect(nodeStyle("Nation", "primary", true)).toEqual({ fill: OKABE_ITO.black, ring: OKABE_ITO.yellow });
    expect(nodeStyle("Objective", "failed", true).fill).toBe(OKABE_ITO.yellow);
  });

  it("never gives kinds, answer states and coalitions the same colour, nor close ones", () => {
    const kinds = LABELS.map((k) => KIND_STYLE[k].color.toUpperCase());
    const states = Object.values(STATE_STYLE).map((s) => s.fill).filter((f): f is string => !!f).map((f) => f.toUpperCase());
    const communities = Array.from({ length: COMMUNITY_COLORS.length }, (_, i) => communityColor(i).toUpperCase());
    const families = { kinds, states, communities, dim: [DIM.toUpperCase()] };
    for (const [name, list] of Object.entries(families)) expect(new Set(list).size, `${name} repeat a colour`).toBe(list.length);
    // Pairwise across families: different, and apart by CIE76 ΔE ≥ 10 both as seen with
    // normal vision and as simulated for deuteranopia (Machado et al. 2009, severity 1).
    const names = Object.keys(families) as (keyof typeof families)[];
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) {
      for (const a of families[names[i]]) for (const b of families[names[j]]) {
        expect(a, `${names[i]} and ${names[j]} share ${a}`).not.toBe(b);
        expect(deltaE(lab(a), lab(b)), `${names[i]} ${a} vs ${names[j]} ${b}`).toBeGreaterThanOrEqual(10);
        expect(deltaE(lab(deutan(a)), lab(deutan(b))), `deuteranopia: ${names[i]} ${a} vs ${names[j]} ${b}`).toBeGreaterThanOrEqual(10);
      }
    }
    expect(communityColor(COMMUNITY_COLORS.length)).toBe(communityColor(0));
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

const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const gam = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
/** lab converts an sRGB hex colour to CIE L*a*b* (D65). */
function lab(hex: string): number[] {
  const [r, g, b] = rgb(hex).map(lin);
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
/** deutan simulates deuteranopia (Machado, Oliveira & Fernandes 2009, severity 1.0) in linear RGB. */
function deutan(hex: string): string {
  const [r, g, b] = rgb(hex).map(lin);
  const m = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]];
  const out = m.map((row) => Math.min(1, Math.max(0, row[0] * r + row[1] * g + row[2] * b)));
  return "#" + out.map((c) => Math.round(gam(c) * 255).toString(16).padStart(2, "0")).join("");
}
