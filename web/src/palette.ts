// Colours and shapes. Three families that never share a colour, so that a colour means one
// thing: kinds in Okabe–Ito (Okabe & Ito 2008); answer states in black, yellow, white, dark
// grey and Tol's wine; coalitions from Paul Tol's schemes, apart from both. The schemes are
// built to stay apart with the common colour-vision deficiencies, and every kind
// also has its own shape and every state a ring, so colour is never the only cue.
import type { Label } from "./model";

/** The eight Okabe–Ito colours. */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Shapes the node program draws; the number is what the shader receives. */
export const SHAPES = { circle: 0, square: 1, diamond: 2, triangle: 3, hexagon: 4, triangleDown: 5 } as const;
export type ShapeName = keyof typeof SHAPES;

/** KIND_STYLE gives each kind its colour and shape. */
export const KIND_STYLE: Record<Label, { color: string; shape: ShapeName }> = {
  Nation: { color: OKABE_ITO.blue, shape: "circle" },
  Agency: { color: OKABE_ITO.skyBlue, shape: "square" },
  Objective: { color: OKABE_ITO.orange, shape: "diamond" },
  Capability: { color: OKABE_ITO.bluishGreen, shape: "triangle" },
  Agreement: { color: OKABE_ITO.reddishPurple, shape: "hexagon" },
  Threat: { color: OKABE_ITO.vermillion, shape: "triangleDown" },
};

export function colorOf(kind: Label): string {
  return KIND_STYLE[kind]?.color ?? "#999999";
}

export function shapeOf(kind: Label): number {
  return SHAPES[KIND_STYLE[kind]?.shape ?? "circle"];
}

/** States an overlay gives a node; the legend explains each in words. */
export type NodeState =
  | "focus" // what the overlay is about (the objective, the two nations)
  | "primary" // the answer itself (a single point of failure, a broker, a gap's missing capability)
  | "highlight" // part of the explanation (the capability chain, providers, agreements)
  | "down" // set down in the what-if
  | "failed" // stops working in the what-if
  | "shared" // overlap: objective both pursue
  | "conflict"; // overlap: objective in a conflict

/** Tol's wine (from his colour-blind-safe "muted" scheme): conflicts. */
export const WINE = "#882255";

/** STATE_STYLE: fill (null keeps the kind colour) and ring colour per state. */
export const STATE_STYLE: Record<NodeState, { fill: string | null; ring: string | null; words: string }> = {
  focus: { fill: null, ring: OKABE_ITO.black, words: "subject of the analysis (kind colour, black ring)" },
  primary: { fill: OKABE_ITO.black, ring: OKABE_ITO.yellow, words: "the answer: single point of failure, broker, missing or single-source capability (black, yellow ring)" },
  highlight: { fill: null, ring: null, words: "part of the explanation (kind colour)" },
  down: { fill: "#555555", ring: OKABE_ITO.black, words: "marked down in the what-if (dark grey)" },
  failed: { fill: OKABE_ITO.yellow, ring: OKABE_ITO.black, words: "fails as a result; in a comparison, appears or is lost (yellow, black ring)" },
  shared: { fill: "#FFFFFF", ring: OKABE_ITO.black, words: "objective both pursue; in a comparison, disappears or is gained (white, black ring)" },
  conflict: { fill: WINE, ring: OKABE_ITO.black, words: "objective in a conflict between them (wine, black ring)" },
};

/** DIM is the colour of nodes an overlay is not about. */
export const DIM = "#dedede";

/**
 * Community colours for the coalitions overlay, from Paul Tol's colour-blind-safe schemes
 * (muted, light, pale, and "iridescent" brown): chosen so that each stays at least ΔE 10
 * from every kind and state colour with normal vision and with deuteranopia (the palette
 * test checks it); then repeated. The focus view also puts each coalition in its own column.
 */
export const COMMUNITY_COLORS = ["#332288", "#EEDD88", "#117733", "#EE8866", "#99DDFF", "#AA4499", "#662506", "#999933"];

export function communityColor(i: number): string {
  return COMMUNITY_COLORS[((i % COMMUNITY_COLORS.length) + COMMUNITY_COLORS.length) % COMMUNITY_COLORS.length];
}

/** nodeStyle resolves what a node looks like in a state: fill and ring colours. */
export function nodeStyle(kind: Label, state: NodeState | undefined, overlayActive: boolean): { fill: string; ring: string | null } {
  if (!state) return { fill: overlayActive ? DIM : colorOf(kind), ring: null };
  const s = STATE_STYLE[state];
  return { fill: s.fill ?? colorOf(kind), ring: s.ring };
}

/** One legend row. */
export interface LegendEntry {
  shape: ShapeName;
  fill: string;
  ring: string | null;
  text: string;
}

/** legend lists the kinds, then the states the active overlay uses. */
export function legend(states: NodeState[], communities = 0): LegendEntry[] {
  const rows: LegendEntry[] = (Object.keys(KIND_STYLE) as Label[]).map((k) => ({
    shape: KIND_STYLE[k].shape, fill: KIND_STYLE[k].color, ring: null, text: k,
  }));
  for (const s of states) {
    rows.push({ shape: "circle", fill: STATE_STYLE[s].fill ?? "#ffffff", ring: STATE_STYLE[s].ring ?? "#888888", text: STATE_STYLE[s].words });
  }
  for (let i = 0; i < communities; i++) {
    rows.push({ shape: "circle", fill: communityColor(i), ring: null, text: `coalition ${i + 1}` });
  }
  if (states.length || communities) rows.push({ shape: "circle", fill: DIM, ring: null, text: "not part of the answer" });
  return rows;
}

/** shapeSVG draws a shape as an SVG element string for the legend (trusted input only). */
export function shapeSVG(shape: ShapeName, fill: string, ring: string | null, px = 14): string {
  const r = px / 2 - 1.5;
  const c = px / 2;
  const stroke = ring ? `stroke="${ring}" stroke-width="2"` : `stroke="none"`;
  const pts = (ps: [number, number][]) => ps.map(([x, y]) => `${(c + x).toFixed(2)},${(c + y).toFixed(2)}`).join(" ");
  let body: string;
  switch (shape) {
    case "square": body = `<rect x="${c - r * 0.8}" y="${c - r * 0.8}" width="${r * 1.6}" height="${r * 1.6}"`; break;
    case "diamond": body = `<polygon points="${pts([[0, -r], [r, 0], [0, r], [-r, 0]])}"`; break;
    case "triangle": body = `<polygon points="${pts([[0, -r], [r * 0.87, r * 0.5], [-r * 0.87, r * 0.5]])}"`; break;
    case "triangleDown": body = `<polygon points="${pts([[0, r], [r * 0.87, -r * 0.5], [-r * 0.87, -r * 0.5]])}"`; break;
    case "hexagon": body = `<polygon points="${pts([0, 1, 2, 3, 4, 5].map((i) => [r * Math.cos((i * Math.PI) / 3), r * Math.sin((i * Math.PI) / 3)] as [number, number]))}"`; break;
    default: body = `<circle cx="${c}" cy="${c}" r="${r}"`;
  }
  return `<svg width="${px}" height="${px}" viewBox="0 0 ${px} ${px}" aria-hidden="true">${body} fill="${fill}" ${stroke}/></svg>`;
}
