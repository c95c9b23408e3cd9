// The view state the URL carries, so a view can be shared: selection, overlay and its
// parameters, what-if events, date, filters and size measure. encode/decode are pure and
// round-trip: decode(encode(s)) equals s for every valid state.
import { LABELS, SIZE_MEASURES, type Label, type SizeMeasure } from "./model";

export const OVERLAYS = {
  spof: "Single points of failure",
  gaps: "Gaps",
  brokers: "Brokers",
  overlap: "Overlap of two nations",
  coalitions: "Coalitions",
  whatif: "What if",
  resilience: "Resilience of an objective",
  impact: "Impact of a node",
  partners: "Partners of a stakeholder",
  compare: "Compare: a date or a what-if against now",
} as const;
export type Overlay = keyof typeof OVERLAYS;

export const GAP_KINDS = ["COVERAGE", "ACCESS", "SINGLE_SOURCE", "EXPIRING", "UNADDRESSED_THREAT", "UNSPECIFIED"] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export interface ViewState {
  sel?: string; // selected node
  overlay?: Overlay;
  objective?: string; // spof, resilience
  view?: string; // stakeholder of the access view (spof, whatif, resilience, impact); absent = coalition view
  of?: string; // impact (stakeholder, agreement or capability), partners (stakeholder)
  gap?: GapKind; // gaps
  a?: string; // overlap
  b?: string;
  threshold?: number; // coalitions
  down: string[]; // whatif
  asOf?: string; // ISO date; absent = today
  horizon?: string; // EXPIRING gaps
  to?: string; // compare: the scenario's date (the baseline is asOf)
  kinds: Label[]; // shown kinds; empty = all
  region?: string;
  domain?: string;
  agreement?: string;
  size: SizeMeasure;
  /** The rest of the graph beside an analysis's answer: hidden (the focus view, default) or dimmed. */
  rest?: "dim";
  /** Draw every answer, not only the top N. */
  all?: boolean;
}

/** The parameters each analysis reads; the URL carries only the current analysis's. */
export const OVERLAY_PARAMS: Record<Overlay, readonly (keyof ViewState)[]> = {
  spof: ["objective", "view"],
  gaps: ["gap", "horizon"],
  brokers: [],
  overlap: ["a", "b"],
  coalitions: ["threshold"],
  whatif: ["down", "view"],
  resilience: ["objective", "view"],
  impact: ["of", "view"],
  partners: ["of"],
  compare: ["to", "down", "view", "threshold"],
};
const ALL_PARAMS = ["objective", "view", "of", "gap", "horizon", "to", "a", "b", "threshold", "down", "rest", "all"] as const;

/**
 * prune drops the settings of analyses other than the current one (and the focus-view
 * settings without an analysis), so that a shared link holds only what its view uses.
 */
export function prune(s: ViewState): ViewState {
  const keep = new Set<string>(s.overlay ? [...OVERLAY_PARAMS[s.overlay], "rest", "all"] : []);
  const out: ViewState = { ...s };
  for (const k of ALL_PARAMS) {
    if (keep.has(k)) continue;
    if (k === "down") out.down = [];
    else delete out[k];
  }
  return out;
}

export function emptyState(): ViewState {
  return { down: [], kinds: [], size: "degree" };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** isDate reports whether s is an ISO calendar date that exists. */
export function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(s + "T00:00:00Z");
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** encode writes the state as a query string (without "?"), keys in a fixed order; only the current analysis's settings (prune). */
export function encode(state: ViewState): string {
  const s = prune(state);
  const p = new URLSearchParams();
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== "") p.set(k, v);
  };
  set("sel", s.sel);
  set("overlay", s.overlay);
  set("objective", s.objective);
  set("view", s.view);
  set("of", s.of);
  set("gap", s.gap);
  set("a", s.a);
  set("b", s.b);
  if (s.threshold !== undefined) set("threshold", String(s.threshold));
  if (s.down.length) set("down", s.down.join(","));
  set("asOf", s.asOf);
  set("horizon", s.horizon);
  set("to", s.to);
  if (s.kinds.length) set("kinds", s.kinds.join(","));
  set("region", s.region);
  set("domain", s.domain);
  set("agreement", s.agreement);
  if (s.size !== "degree") set("size", s.size);
  set("rest", s.rest);
  if (s.all) set("all", "1");
  return p.toString();
}

/** The decoded state and what in the URL could not be used, in plain words. */
export interface Decoded {
  state: ViewState;
  problems: string[];
}

/**
 * decode reads a query string. Unknown keys are ignored; values that cannot be used
 * (a bad date, an unknown overlay or kind) are dropped and reported in problems, so a
 * mistyped link still opens a view and says what it ignored.
 */
export function decode(search: string): Decoded {
  const p = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const s = emptyState();
  const problems: string[] = [];
  const str = (k: string) => {
    const v = p.get(k);
    return v === null || v === "" ? undefined : v;
  };
  s.sel = str("sel");
  const overlay = str("overlay");
  if (overlay !== undefined) {
    if (overlay in OVERLAYS) s.overlay = overlay as Overlay;
    else problems.push(`unknown overlay "${overlay}" in the URL (known: ${Object.keys(OVERLAYS).join(", ")})`);
  }
  s.objective = str("objective");
  s.view = str("view");
  s.of = str("of");
  const gap = str("gap");
  if (gap !== undefined) {
    if ((GAP_KINDS as readonly string[]).includes(gap)) s.gap = gap as GapKind;
    else problems.push(`unknown gap kind "${gap}" in the URL`);
  }
  s.a = str("a");
  s.b = str("b");
  const th = str("threshold");
  if (th !== undefined) {
    const n = Number(th);
    if (Number.isFinite(n) && n >= 0 && n <= 1) s.threshold = n;
    else problems.push(`threshold "${th}" in the URL is not a number between 0 and 1`);
  }
  const down = str("down");
  if (down !== undefined) s.down = down.split(",").filter((x) => x !== "");
  for (const k of ["asOf", "horizon", "to"] as const) {
    const v = str(k);
    if (v === undefined) continue;
    if (isDate(v)) s[k] = v;
    else problems.push(`${k} "${v}" in the URL is not a date (YYYY-MM-DD)`);
  }
  const kinds = str("kinds");
  if (kinds !== undefined) {
    for (const k of kinds.split(",")) {
      if ((LABELS as readonly string[]).includes(k)) s.kinds.push(k as Label);
      else if (k) problems.push(`unknown kind "${k}" in the URL`);
    }
  }
  s.region = str("region");
  s.domain = str("domain");
  s.agreement = str("agreement");
  const size = str("size");
  if (size !== undefined) {
    if (size in SIZE_MEASURES) s.size = size as SizeMeasure;
    else problems.push(`unknown size measure "${size}" in the URL`);
  }
  const rest = str("rest");
  if (rest !== undefined) {
    if (rest === "dim") s.rest = "dim";
    else problems.push(`rest "${rest}" in the URL is not "dim"`);
  }
  if (str("all") === "1") s.all = true;
  return { state: prune(s), problems };
}

/** idsInState lists the node ids a state refers to, with where, to check them against the graph. */
export function idsInState(s: ViewState): { id: string; where: string }[] {
  const out: { id: string; where: string }[] = [];
  const add = (id: string | undefined, where: string) => {
    if (id) out.push({ id, where });
  };
  add(s.sel, "selection");
  add(s.objective, "objective");
  add(s.view, "access view");
  add(s.of, s.overlay === "partners" ? "partners' stakeholder" : "impact's node");
  add(s.a, "first nation");
  add(s.b, "second nation");
  add(s.agreement, "agreement filter");
  for (const d of s.down) add(d, "what-if");
  return out;
}
