// The explorer: loads the whole model with exportGraph (one request), draws it with sigma
// (WebGL), lays it out with ForceAtlas2 in a worker, and keeps the view state in the URL.
// Analyses come from the API and are drawn as overlays (overlays.ts).
import Sigma from "sigma";
import { MultiDirectedGraph } from "graphology";
import type { EdgeDisplayData, NodeDisplayData } from "sigma/types";
import * as api from "./api";
import * as auth from "./auth";
import { renderDetails, renderMessage } from "./details";
import {
  applySizes, buildGraph, distinctValues, downstreamObjectives, kindWord, LABELS, outOfForce, validityDates,
  SIZE_MEASURES, visibleNodes, type DisplayGraph, type EdgeAttrs, type Label, type NodeAttrs, type SizeMeasure,
} from "./model";
import * as ov from "./overlays";
import { communityColor, DIM, legend, nodeStyle, shapeSVG, type NodeState } from "./palette";
import { NodeShapeProgram } from "./shapes";
import { decode, emptyState, encode, GAP_KINDS, idsInState, OVERLAYS, prune, type GapKind, type Overlay, type ViewState } from "./urlstate";
import { answerNodes, focusBBox, focusGraph, LABEL_CHARS, layeredLayout, mustDraw, positions, stretchRows, TOP_N } from "./focus";
import { EdgeArrowProgram, EdgeRectangleProgram } from "sigma/rendering";
import type { LayoutUpdate } from "./layout.worker";
import { decodePositions, encodePositions, modelKey, seedFamilies } from "./layout";
import * as report from "./report";
import * as views from "./views";
import { KIND_STYLE } from "./palette";
import "./style.css";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** The hook the end-to-end tests and the benchmark read. */
interface Hook {
  state: ViewState;
  loaded: boolean;
  nodeCount: number;
  edgeCount: number;
  t0: number;
  firstFrameAt?: number;
  interactiveAt?: number;
  layoutSettledAt?: number;
  layoutIterations: number;
  /** The positions came from this browser's cache for this model version (no layout ran). */
  layoutFromCache?: boolean;
  overlayStatus: "idle" | "loading" | "ready" | "error";
  highlighted(): string[];
  failed(): string[];
  select(id: string): void;
  /** The report PNG of the view (3× resolution) as a data URL. */
  exportPNG(): Promise<string>;
  /** The report SVG of the view. */
  exportSVG(): string;
  /** What the focus view draws and whether each node is labelled inside the viewport. */
  focusReport(): FocusReport;
  sigma?: Sigma<NodeAttrs, EdgeAttrs>;
  graph?: DisplayGraph;
  errors: string[];
  /** Milestones of the start-up, ms from navigation start (the benchmark reports them). */
  phases: Record<string, number>;
}

/** FocusReport: the answer nodes drawn, those without a drawn label, those outside the viewport. */
interface FocusReport {
  mode: "focus" | "dim" | "none";
  /** How many ranked answers the focus view draws (unless all). */
  n: number;
  drawn: string[];
  answers: string[];
  unlabelled: string[];
  outside: string[];
  width: number;
  height: number;
}

const hook: Hook = {
  state: emptyState(),
  loaded: false,
  nodeCount: 0,
  edgeCount: 0,
  t0: 0, // times are from navigation start (performance.timeOrigin)
  layoutIterations: 0,
  overlayStatus: "idle",
  highlighted: () => ov.highlightedIds(highlight),
  failed: () => ov.failedIds(highlight),
  select: (id) => update({ sel: id }),
  exportPNG: () => exportPNG(false),
  exportSVG: () => report.reportSVG(reportView(), document.implementation, new XMLSerializer()),
  focusReport: () => focusReport(),
  errors: [],
  phases: {},
};
const phase = (name: string) => {
  hook.phases[name] = Math.round(performance.now());
};
(window as unknown as { stakegraph: Hook }).stakegraph = hook;

let state: ViewState = emptyState();
let graph: DisplayGraph | undefined;
let renderer: Sigma<NodeAttrs, EdgeAttrs> | undefined;
let highlight: ov.Highlight | undefined;
let visible: Set<string> | undefined;
let inactive = new Set<string>(); // not in force at asOf
let hovered: string | undefined;
let overlayKey = "";
let overlaySeq = 0;
let detailsKey = "";
let sizeKey = "";
// Large graphs draw their relationships only once the layout has settled: with software
// WebGL a frame of 40k edges costs about a second, which would hold back the first frame
// and starve the layout worker of CPU. Until then sigma draws `shown`, a copy of the nodes
// alone, while `graph` keeps the whole model for everything else; positions are also
// applied less often while the layout runs.
const LARGE_EDGES = 10_000;
let shown: DisplayGraph | undefined;
// Large models start from search: the whole model is loaded (analyses and search need it)
// but only what the analyst asks for is drawn — a selected node's neighbourhood, growing as
// neighbours are clicked — laid out in layers like a focus view. No force layout runs.
const LARGE_NODES = 3000;
let largeMode = false;
let local: DisplayGraph | undefined;
let localKey = "";
// The focus view: the answer's own subgraph, laid out in layers, drawn instead of the model.
let focused: DisplayGraph | undefined;
let focusFor: [ov.Highlight | undefined, boolean, number] = [undefined, false, 0];
let focusN = TOP_N; // how many ranked answers the focus view draws (fewer when they would not fit)
// The selected node and its neighbours: the rest is dimmed while nothing else is highlighted.
let selNeighbours: Set<string> | undefined;

// --- messages -------------------------------------------------------------------------

/** showMessage puts a readable message at the top of the page; never a blank screen. */
function showMessage(text: string, kind: "error" | "info" = "error"): void {
  const box = $("message");
  // One banner per distinct message: the same failure reached twice says so once.
  for (const p of box.querySelectorAll("p")) if (p.firstChild?.textContent === text) return;
  const p = document.createElement("p");
  p.textContent = text;
  p.className = kind;
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "×";
  close.title = "dismiss";
  close.addEventListener("click", () => {
    p.remove();
    if (!box.childElementCount) box.hidden = true;
  });
  p.append(close);
  box.append(p);
  box.hidden = false;
  if (kind === "error") hook.errors.push(text);
}

window.addEventListener("error", (e) => showMessage(`Something went wrong in the page: ${e.message}`));
window.addEventListener("unhandledrejection", (e) => showMessage(`Something went wrong: ${(e.reason as Error)?.message ?? e.reason}`));

// --- sign-in ------------------------------------------------------------------------

/** showSignIn puts the sign-in panel over the graph, saying why it is needed. */
function showSignIn(reason: string): void {
  const form = $("signin");
  const err = $("signin-error");
  const had = auth.getToken();
  err.textContent = had ? `The server refused the token: ${reason}` : "";
  err.hidden = !had;
  form.hidden = false;
  $("graph").dataset.auth = "required";
  $<HTMLTextAreaElement>("token").focus();
}

function wireSignIn(): void {
  const form = $<HTMLFormElement>("signin");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const problem = auth.setToken($<HTMLTextAreaElement>("token").value);
    if (problem) {
      const err = $("signin-error");
      err.textContent = problem;
      err.hidden = false;
      return;
    }
    $<HTMLTextAreaElement>("token").value = "";
    location.reload(); // the model is loaded again, with the token
  });
  $("signout").addEventListener("click", () => {
    auth.clearToken();
    location.reload();
  });
  const token = auth.getToken();
  if (token) {
    $("who").textContent = auth.whoText(token);
    $("who").hidden = false;
    $("signout").hidden = false;
  }
  api.whenUnauthenticated((e) => showSignIn(e.message));
}

// --- saved views ----------------------------------------------------------------------

/** refreshViews lists the saved views the viewer may see in the Views panel. */
async function refreshViews(): Promise<void> {
  const list = $("view-list");
  const status = $("view-status");
  let all: views.SavedView[];
  try {
    all = await api.savedViews();
  } catch (e) {
    if (!api.isAuthError(e)) status.textContent = `The saved views could not be listed: ${(e as Error).message}`;
    return;
  }
  list.replaceChildren();
  status.textContent = all.length ? "" : "No saved views yet: name the current view and save it.";
  for (const v of all) {
    const li = document.createElement("li");
    li.dataset.view = v.id;
    const open = document.createElement("a");
    open.href = views.urlOf(location.pathname, v.state);
    open.textContent = v.name;
    open.title = "open this view";
    open.addEventListener("click", (e) => {
      e.preventDefault();
      openView(v);
    });
    const meta = document.createElement("div");
    meta.className = v.modelChanged ? "muted changed" : "muted";
    meta.textContent = views.describe(v);
    li.append(open);
    if (v.deletable) {
      const del = document.createElement("button");
      del.type = "button";
      del.textContent = "Delete";
      del.title = `delete the saved view ${v.name}`;
      del.addEventListener("click", () => void removeView(v));
      li.append(" ", del);
    }
    li.append(meta);
    list.append(li);
  }
}

/** openView restores a saved view's URL state, as the browser's back button restores one. */
function openView(v: views.SavedView): void {
  const url = views.urlOf(location.pathname, v.state);
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
  const decoded = decode(location.search);
  for (const p of decoded.problems) showMessage(`Ignored in the view "${v.name}": ${p}.`);
  state = decoded.state;
  hook.state = state;
  syncControls();
  void apply();
}

async function removeView(v: views.SavedView): Promise<void> {
  try {
    await api.deleteView(v.id);
  } catch (e) {
    showMessage(`The view "${v.name}" could not be deleted: ${(e as Error).message}`);
  }
  await refreshViews();
}

function wireViews(): void {
  $<HTMLFormElement>("view-save").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("view-name");
    const status = $("view-status");
    const saved = views.stateOf(location.search);
    const problem = views.checkName(input.value) ?? views.checkState(saved);
    if (problem) {
      status.textContent = problem;
      return;
    }
    void api.saveView(input.value, saved).then(
      async (v) => {
        input.value = "";
        await refreshViews();
        $("view-status").textContent = `Saved "${v.name}".`;
      },
      (err: Error) => {
        status.textContent = `The view could not be saved: ${err.message}`;
      },
    );
  });
}

// --- state and URL --------------------------------------------------------------------

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** asOf is the date the analyses use: the URL's, or today. */
const asOf = () => state.asOf ?? today();

/** update merges a change into the view state, writes the URL and redraws. */
function update(patch: Partial<ViewState>, push = true): void {
  state = prune({ ...state, ...patch });
  hook.state = state;
  const qs = encode(state);
  const url = location.pathname + (qs ? "?" + qs : "");
  if (url !== location.pathname + location.search) {
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  void apply();
}

window.addEventListener("popstate", () => {
  state = decode(location.search).state;
  hook.state = state;
  void apply();
});

// --- rendering ------------------------------------------------------------------------

/** Labels longer than this are shortened with "…" unless the node is selected or hovered. */
const LABEL_MAX = 30;

function nodeReducer(node: string, data: NodeAttrs): Partial<NodeDisplayData> & { ring?: string | null } {
  const a = data;
  if (!focused && visible && !visible.has(node)) return { ...data, hidden: true };
  const st: NodeState | undefined = highlight?.nodes.get(node);
  const active = !!highlight;
  let { fill, ring } = nodeStyle(a.kind, st, active);
  const com = highlight?.community?.get(node);
  if (com !== undefined) fill = communityColor(com);
  const out: Partial<NodeDisplayData> & { ring?: string | null } = { ...data, color: fill, ring };
  const onDemand = focused ?? (largeMode ? local : undefined); // drawn graphs small enough to label everything
  const max = onDemand ? LABEL_CHARS : LABEL_MAX;
  if (a.label.length > max && node !== state.sel && node !== hovered) out.label = a.label.slice(0, max - 1).trimEnd() + "…";
  if (onDemand) out.forceLabel = true; // the focus view (and a large model's neighbourhoods) label every node
  if (active && !st && !focused) {
    out.label = "";
    out.zIndex = 0;
  } else if (!active && selNeighbours && !selNeighbours.has(node)) {
    out.color = DIM;
    out.label = "";
    out.zIndex = 0;
  } else {
    out.zIndex = st === "primary" || st === "failed" || st === "down" || st === "focus" ? 2 : 1;
    if (st && st !== "highlight") out.forceLabel = true;
  }
  if (inactive.has(node)) {
    // Out of force at the view's date: white with a grey ring (the legend says so).
    if (!st) out.color = "#ffffff";
    out.ring = out.ring ?? "#999999";
  }
  if (node === state.sel || node === hovered) {
    out.ring = "#000000";
    out.forceLabel = true;
    out.highlighted = node === state.sel;
    out.zIndex = 3;
  }
  return out;
}

function edgeReducer(edge: string, data: EdgeAttrs): Partial<EdgeDisplayData> {
  const onDemand = focused ?? (largeMode ? local : undefined);
  if (onDemand) {
    const strong = highlight?.edges.has(edge);
    // Every relationship is an arrow; its type is written on it unless there are so many
    // that the words would cover each other, and then on the explanation's own only.
    const words = strong || onDemand.size <= 60;
    return { ...data, color: inactive.has(edge) ? "#c8c8c8" : strong ? "#333333" : "#8a8a8a", size: strong ? 2.5 : 1.5, forceLabel: words, label: words ? data.rel + (inactive.has(edge) ? " (out of force)" : "") : "" };
  }
  const g = graph!;
  const [s, t] = g.extremities(edge);
  if (visible && (!visible.has(s) || !visible.has(t))) return { ...data, hidden: true };
  if (highlight) {
    if (highlight.edges.has(edge)) return { ...data, color: "#333333", size: 2, zIndex: 1 };
    if (highlight.nodes.has(s) && highlight.nodes.has(t) && highlight.nodes.get(s) !== "highlight") return { ...data, color: "#999999", zIndex: 0 };
    return { ...data, color: "#eeeeee", zIndex: 0 };
  }
  if (state.sel && (s === state.sel || t === state.sel)) return { ...data, color: "#555555", size: 1.5, zIndex: 1 };
  if (selNeighbours) return { ...data, color: "#f0f0f0", zIndex: 0 };
  if (inactive.has(edge)) return { ...data, color: "#f0f0f0" };
  return data;
}

/** legendRows: the kinds, the states the answer uses, its coalitions, and what is out of force. */
function legendRows() {
  const states = highlight ? ([...new Set(highlight.nodes.values())] as NodeState[]) : [];
  const order: NodeState[] = ["focus", "primary", "highlight", "down", "failed", "shared", "conflict"];
  const rows = legend(order.filter((s) => states.includes(s)), highlight?.community ? new Set(highlight.community.values()).size : 0);
  if (inactive.size) rows.push({ shape: "hexagon", fill: "#ffffff", ring: "#999999", text: `out of force on ${asOf()} (${inactive.size}; pale lines)` });
  return rows;
}

function renderLegend(): void {
  const rows = legendRows();
  const ul = $("legend-list");
  ul.replaceChildren();
  for (const r of rows.slice(0, 26)) {
    const li = document.createElement("li");
    li.innerHTML = shapeSVG(r.shape, r.fill, r.ring); // trusted: built from constants
    const span = document.createElement("span");
    span.textContent = r.text;
    li.append(span);
    ul.append(li);
  }
  $("legend-size").textContent = `Size: ${SIZE_MEASURES[state.size]}.`;
}

/** renderItems lists items as links that select their node (at most 300). */
function renderItems(items: { text: string; id?: string }[]): HTMLUListElement {
  const ul = document.createElement("ul");
  for (const it of items.slice(0, 300)) {
    const li = document.createElement("li");
    if (it.id && graph?.hasNode(it.id)) {
      const a = document.createElement("a");
      a.href = "?sel=" + encodeURIComponent(it.id);
      a.textContent = it.text;
      a.dataset.id = it.id;
      a.addEventListener("click", (e) => {
        e.preventDefault();
        update({ sel: it.id });
      });
      li.append(a);
    } else li.textContent = it.text;
    ul.append(li);
  }
  if (items.length > 300) {
    const li = document.createElement("li");
    li.textContent = `… and ${items.length - 300} more`;
    ul.append(li);
  }
  return ul;
}

/** renderGroups lists grouped items under collapsible headings (gaps by kind, then objective). */
function renderGroups(groups: ov.ItemGroup[], depth = 0): HTMLElement {
  const box = document.createElement("div");
  box.className = "groups";
  for (const g of groups) {
    const d = document.createElement("details");
    d.open = depth > 0 || groups.length <= 3;
    if (g.key) d.dataset.key = g.key;
    const sum = document.createElement("summary");
    sum.textContent = g.title;
    d.append(sum);
    if (g.items.length) d.append(renderItems(g.items));
    if (g.groups?.length) d.append(renderGroups(g.groups, depth + 1));
    box.append(d);
  }
  return box;
}

/** renderFocusControls: how the answer is drawn (focus view or dimmed graph) and how many answers. */
function renderFocusControls(box: HTMLElement): void {
  const p = document.createElement("p");
  p.className = "focus-controls";
  const label = document.createElement("label");
  const box2 = document.createElement("input");
  box2.type = "checkbox";
  box2.id = "show-rest";
  box2.checked = state.rest === "dim";
  box2.addEventListener("change", () => update({ rest: box2.checked ? "dim" : undefined }));
  label.append(box2, " show the rest of the graph, dimmed");
  p.append(label);
  const n = highlight?.answers?.length ?? 0;
  if (n > focusN && state.rest !== "dim") {
    const span = document.createElement("span");
    span.className = "muted";
    span.textContent = state.all ? ` Drawing all ${n} answers. ` : ` Drawing the top ${focusN} of ${n} answers (as many as fit readably). `;
    const b = document.createElement("button");
    b.type = "button";
    b.id = "show-all";
    b.textContent = state.all ? `top ${focusN} only` : "show all";
    b.addEventListener("click", () => update({ all: state.all ? undefined : true }));
    p.append(span, b);
  }
  box.append(p);
}

function renderOverlayPanel(): void {
  const box = $("overlay-result");
  box.replaceChildren();
  if (!highlight) return;
  if (state.overlay) renderFocusControls(box);
  for (const s of highlight.summary) {
    const p = document.createElement("p");
    p.textContent = s;
    box.append(p);
  }
  for (const n of highlight.notes ?? []) {
    const p = document.createElement("p");
    p.className = "explain";
    p.textContent = n;
    box.append(p);
  }
  if (highlight.table) {
    const t = document.createElement("table");
    t.className = "importance";
    const head = document.createElement("tr");
    for (const h of highlight.table.head) {
      const th = document.createElement("th");
      th.textContent = h;
      head.append(th);
    }
    t.append(head);
    for (const r of highlight.table.rows) {
      const tr = document.createElement("tr");
      tr.dataset.id = r.id;
      if (r.id === state.sel) tr.className = "chosen";
      r.cells.forEach((c, i) => {
        const td = document.createElement("td");
        if (i === 0) {
          const a = document.createElement("a");
          a.href = "?sel=" + encodeURIComponent(r.id);
          a.textContent = c;
          a.dataset.id = r.id;
          a.addEventListener("click", (e) => {
            e.preventDefault();
            update({ sel: r.id });
            focusNode(r.id);
          });
          td.append(a);
        } else td.textContent = c;
        tr.append(td);
      });
      t.append(tr);
    }
    box.append(t);
  }
  if (highlight.groups?.length) box.append(renderGroups(highlight.groups));
  else if (highlight.items.length) box.append(renderItems(highlight.items));
}

function publish(): void {
  const g = $("graph");
  g.dataset.highlighted = JSON.stringify(ov.highlightedIds(highlight));
  g.dataset.failed = JSON.stringify(ov.failedIds(highlight));
  g.dataset.overlay = state.overlay ?? "";
  g.dataset.overlayStatus = hook.overlayStatus;
  g.dataset.selected = state.sel ?? "";
}

// --- overlays -------------------------------------------------------------------------

function nodeName(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return graph?.hasNode(id) ? graph.getNodeAttribute(id, "label") : id;
}

/** reliabilityOf is a node's reliability as the model holds it; undefined when not set (the analyses take 1). */
function reliabilityOf(id: string): number | undefined {
  const v = graph?.hasNode(id) ? graph.getNodeAttribute(id, "props").reliability : undefined;
  return typeof v === "number" ? v : undefined;
}

/** nationOf is the nation an agency is part of, if any. */
function nationOf(id: string): string | undefined {
  if (!graph?.hasNode(id)) return undefined;
  for (const e of graph.outEdges(id)) if (graph.getEdgeAttribute(e, "rel") === "PART_OF") return graph.target(e);
  return undefined;
}

/** fetchOverlay asks the API for the active overlay and turns the answer into a Highlight. */
async function fetchOverlay(s: ViewState): Promise<ov.Highlight | undefined> {
  const d = s.asOf;
  switch (s.overlay) {
    case "spof":
      if (!s.objective) return { nodes: new Map(), edges: new Set(), summary: ["Choose an objective to see its single points of failure."], items: [] };
      return ov.spofHighlight(await api.singlePointsOfFailure(s.objective, s.view, d), nodeName(s.view));
    case "gaps":
    {
      const h = ov.gapsHighlight(await api.gaps(s.gap, d, s.horizon), s.gap, nationOf, (id) => nodeName(id) ?? id);
      // Past today, expiring gaps that have already come about are gaps of their own kind
      // now: say how many, or an empty "expiring" list reads as "nothing expires".
      if ((s.gap === "EXPIRING" || !s.gap) && d && d > today()) {
        const came = await api.gaps("EXPIRING", today(), d);
        if (came.length) {
          const kinds = new Map<string, number>();
          for (const g of came) kinds.set(g.cause?.kind ?? "other", (kinds.get(g.cause?.kind ?? "other") ?? 0) + 1);
          h.summary.push(`${came.length} gap(s) still ahead on ${today()} have come about by ${d}: they now show as ${[...kinds].map(([k, n]) => `${n} ${k.replace(/_/g, " ").toLowerCase()}`).join(", ")} gap(s), not as expiring.`);
        }
      }
      return h;
    }
    case "brokers":
      return ov.brokersHighlight(await api.brokers(d));
    case "overlap":
      if (!s.a || !s.b) return { nodes: new Map(), edges: new Set(), summary: ["Choose two nations to compare (or use the buttons in a nation's details)."], items: [] };
      return ov.overlapHighlight(await api.overlap(s.a, s.b, d));
    case "coalitions":
      return ov.coalitionsHighlight(await api.coalitions(s.threshold, d));
    case "whatif":
      return ov.whatIfHighlight(await api.whatIf(s.down, s.view, d), nodeName(s.view));
    case "resilience":
      if (!s.objective) return { nodes: new Map(), edges: new Set(), summary: ["Choose an objective to see how likely it is to fail and who matters most to it."], items: [] };
      return ov.resilienceHighlight(await api.resilience(s.objective, s.view, d), nodeName(s.view), reliabilityOf);
    case "impact":
      if (!s.of) return { nodes: new Map(), edges: new Set(), summary: ["Choose a nation, agency, agreement or capability to see what depends on it."], items: [] };
      return ov.impactHighlight(await api.impact(s.of, s.view, d), nodeName(s.view));
    case "compare":
      if (!s.to && !s.down.length) return { nodes: new Map(), edges: new Set(), summary: ["Choose a scenario date, or mark nations, agencies or agreements down, to compare with the baseline (the view's date, nothing down)."], items: [] };
      return ov.compareHighlight(await api.compare(s.asOf, s.to, s.down, s.view, s.threshold), (id) => nodeName(id) ?? id);
    case "partners":
      if (!s.of) return { nodes: new Map(), edges: new Set(), summary: ["Choose a nation or agency to see who shares its objectives."], items: [] };
      return ov.partnersHighlight(await api.partners(s.of, 10, d), { id: s.of, name: nodeName(s.of) ?? s.of });
  }
  return undefined;
}

async function applyOverlay(): Promise<void> {
  const key = JSON.stringify([state.overlay, state.objective, state.of, state.view, state.gap, state.a, state.b, state.threshold, state.down, state.asOf, state.horizon, state.to]);
  if (key === overlayKey) return;
  overlayKey = key;
  const seq = ++overlaySeq;
  if (!state.overlay) {
    highlight = undefined;
    hook.overlayStatus = "idle";
    return;
  }
  hook.overlayStatus = "loading";
  publish();
  $("overlay-result").textContent = "Asking the API…";
  try {
    const h = await fetchOverlay(state);
    if (seq !== overlaySeq) return;
    highlight = h;
    hook.overlayStatus = "ready";
  } catch (e) {
    if (seq !== overlaySeq) return;
    highlight = undefined;
    hook.overlayStatus = "error";
    showMessage((e as Error).message);
  }
}

// --- details and size -----------------------------------------------------------------

async function applyDetails(): Promise<void> {
  const key = JSON.stringify([state.sel, asOf(), state.down]);
  if (key === detailsKey) return;
  detailsKey = key;
  const panel = $("details");
  if (!state.sel) {
    renderMessage(panel, "Details", "Click a node, or search for one, to see its properties, provenance and relationships.", "muted");
    panel.dataset.empty = "yes"; // on narrow screens the drawer closes
    return;
  }
  delete panel.dataset.empty;
  const id = state.sel;
  panel.textContent = "Loading…";
  try {
    const d = await api.nodeDetails(id);
    if (state.sel !== id) return;
    if (!d) {
      renderMessage(panel, "Unknown id", `There is no node with id "${id}" in the model (it may have been deleted, or the link is wrong).`);
      showMessage(`The URL selects "${id}", but there is no node with that id.`);
      return;
    }
    renderDetails(panel, d, asOf(), {
      select: (nid) => {
        update({ sel: nid });
        focusNode(nid);
      },
      isDown: (nid) => state.down.includes(nid),
      toggleDown: (nid) => {
        const down = state.down.includes(nid) ? state.down.filter((x) => x !== nid) : [...state.down, nid];
        detailsKey = "";
        update({ down, overlay: "whatif" });
      },
      spof: (o) => update({ overlay: "spof", objective: o }),
      resilience: (o) => update({ overlay: "resilience", objective: o }),
      impact: (n) => update({ overlay: "impact", of: n }),
      partners: (n) => update({ overlay: "partners", of: n }),
      accessView: (s) => update({ view: s, overlay: state.overlay === "whatif" || state.overlay === "resilience" || state.overlay === "impact" ? state.overlay : "spof" }),
      overlapWith: (which, n) => update({ overlay: "overlap", [which]: n }),
    });
  } catch (e) {
    renderMessage(panel, "Details unavailable", (e as Error).message);
  }
  // On narrow screens the details are a drawer over the graph: × closes it (and deselects).
  const close = document.createElement("button");
  close.type = "button";
  close.id = "close-details";
  close.title = "close the details";
  close.textContent = "×";
  close.addEventListener("click", () => update({ sel: undefined }));
  panel.prepend(close);
}

async function applySize(): Promise<void> {
  const key = JSON.stringify([state.size, state.size === "hanging" ? asOf() : ""]);
  if (!graph || key === sizeKey) return;
  sizeKey = key;
  const g = graph;
  const target = shown ?? g;
  try {
    if (state.size === "degree") applySizes(target, (id) => g.getNodeAttribute(id, "degree"));
    else if (state.size === "downstream") {
      const m = downstreamObjectives(g);
      applySizes(target, (id) => m.get(id) ?? 0);
    } else {
      const m = await api.hangingOn(state.asOf);
      applySizes(target, (id) => m.get(id) ?? 0);
    }
  } catch (e) {
    showMessage((e as Error).message);
  }
}

// --- controls -------------------------------------------------------------------------

function fillSelect(sel: HTMLSelectElement, options: [string, string][], value: string | undefined, blank?: string): void {
  const want = JSON.stringify(options) + (blank ?? "");
  if (sel.dataset.options !== want) {
    sel.replaceChildren();
    if (blank !== undefined) sel.append(new Option(blank, ""));
    for (const [v, t] of options) sel.append(new Option(t, v));
    sel.dataset.options = want;
  }
  sel.value = value ?? "";
}

function nodesOf(...kinds: Label[]): [string, string][] {
  const out: [string, string][] = [];
  graph?.forEachNode((id, a) => {
    if (kinds.includes(a.kind)) out.push([id, a.label]);
  });
  return out.sort((x, y) => x[1].localeCompare(y[1]));
}

function syncControls(): void {
  const s = state;
  $<HTMLInputElement>("asof").value = asOf();
  syncTime();
  fillSelect($("size"), Object.entries(SIZE_MEASURES), s.size);
  for (const box of document.querySelectorAll<HTMLInputElement>("#kinds input")) {
    box.checked = !s.kinds.length || s.kinds.includes(box.value as Label);
  }
  if (graph) {
    fillSelect($("region"), distinctValues(graph, "Nation", "region").map((r) => [r, r]), s.region, "any region");
    fillSelect($("domain"), distinctValues(graph, "Objective", "domain").map((r) => [r, r]), s.domain, "any domain");
    fillSelect($("agreement"), nodesOf("Agreement"), s.agreement, "any agreement");
  }
  fillSelect($("overlay"), Object.entries(OVERLAYS), s.overlay, "none");
  for (const el of document.querySelectorAll<HTMLElement>("[data-for-overlay]")) {
    el.hidden = !(el.dataset.forOverlay ?? "").split(" ").includes(s.overlay ?? "-");
  }
  if (!graph) return;
  if (s.overlay === "spof" || s.overlay === "resilience") fillSelect($("objective"), nodesOf("Objective"), s.objective, "choose an objective");
  if (s.overlay === "impact") fillSelect($("of"), nodesOf("Nation", "Agency", "Agreement", "Capability"), s.of, "choose a node");
  if (s.overlay === "partners") fillSelect($("of"), nodesOf("Nation", "Agency"), s.of, "choose a nation or agency");
  if (s.overlay === "spof" || s.overlay === "whatif" || s.overlay === "resilience" || s.overlay === "impact" || s.overlay === "compare") fillSelect($("view"), nodesOf("Nation", "Agency"), s.view, "the coalition as a whole");
  if (s.overlay === "gaps") {
    fillSelect($("gap"), GAP_KINDS.map((k) => [k, k.replace(/_/g, " ").toLowerCase()]), s.gap, "all kinds");
    $<HTMLInputElement>("horizon").value = s.horizon ?? "";
  }
  if (s.overlay === "overlap") {
    const nations = nodesOf("Nation");
    fillSelect($("nation-a"), nations, s.a, "choose a nation");
    fillSelect($("nation-b"), nations, s.b, "choose a nation");
  }
  if (s.overlay === "coalitions" || s.overlay === "compare") $<HTMLInputElement>("threshold").value = String(s.threshold ?? 0.2);
  if (s.overlay === "compare") $<HTMLInputElement>("to").value = s.to ?? "";
  if (s.overlay === "whatif" || s.overlay === "compare") {
    fillSelect($("down-add"), nodesOf("Nation", "Agency", "Agreement"), undefined, "add a nation, agency or agreement…");
    const ul = $("down-list");
    ul.replaceChildren();
    for (const id of s.down) {
      const li = document.createElement("li");
      li.textContent = nodeName(id) ?? id;
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "up again";
      b.addEventListener("click", () => update({ down: state.down.filter((x) => x !== id) }));
      li.append(" ", b);
      ul.append(li);
    }
  }
}

let sliderDates: string[] = [];

/** syncTime puts the date slider on the view's date and says how much is out of force then. */
function syncTime(): void {
  const slider = $<HTMLInputElement>("date-slider");
  if (graph && !sliderDates.length) {
    sliderDates = validityDates(graph, [today()]);
    slider.max = String(Math.max(sliderDates.length - 1, 0));
  }
  const d = asOf();
  // The stop at or before the date (the slider moves between dates where something changes).
  let k = 0;
  while (k + 1 < sliderDates.length && sliderDates[k + 1] <= d) k++;
  slider.value = String(k);
  $("date-label").textContent = d;
  if (!graph) return;
  let agreements = 0;
  let rels = 0;
  for (const id of inactive) {
    if (graph.hasNode(id)) agreements++;
    else rels++;
  }
  $("out-of-force").textContent = `${agreements + rels} out of force on ${d}: ${agreements} agreement(s) and ${rels} relationship(s) (drawn white with a grey ring, pale lines; the analyses ignore them).`;
}

function wireControls(): void {
  const on = (id: string, ev: string, fn: (el: HTMLInputElement) => void) =>
    $(id).addEventListener(ev, (e) => fn(e.currentTarget as HTMLInputElement));
  on("asof", "change", (el) => update({ asOf: el.value && el.value !== today() ? el.value : undefined }));
  on("date-slider", "change", (el) => {
    const d = sliderDates[Number(el.value)];
    if (d) update({ asOf: d !== today() ? d : undefined });
  });
  on("date-slider", "input", (el) => {
    $("date-label").textContent = sliderDates[Number(el.value)] ?? "";
  });
  on("size", "change", (el) => update({ size: el.value as SizeMeasure }));
  on("region", "change", (el) => update({ region: el.value || undefined }));
  on("domain", "change", (el) => update({ domain: el.value || undefined }));
  on("agreement", "change", (el) => update({ agreement: el.value || undefined }));
  on("overlay", "change", (el) => update({ overlay: (el.value || undefined) as Overlay | undefined }));
  on("objective", "change", (el) => update({ objective: el.value || undefined }));
  on("of", "change", (el) => update({ of: el.value || undefined }));
  on("view", "change", (el) => update({ view: el.value || undefined }));
  on("gap", "change", (el) => update({ gap: (el.value || undefined) as GapKind | undefined }));
  on("horizon", "change", (el) => update({ horizon: el.value || undefined }));
  on("to", "change", (el) => update({ to: el.value || undefined }));
  on("nation-a", "change", (el) => update({ a: el.value || undefined }));
  on("nation-b", "change", (el) => update({ b: el.value || undefined }));
  on("threshold", "change", (el) => {
    const n = Number(el.value);
    update({ threshold: Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined });
  });
  on("down-add", "change", (el) => {
    if (el.value && !state.down.includes(el.value)) update({ down: [...state.down, el.value] });
  });
  const kinds = $("kinds");
  for (const k of LABELS) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = k;
    box.checked = true;
    label.append(box, " " + k);
    kinds.append(label);
  }
  kinds.addEventListener("change", () => {
    const on = [...kinds.querySelectorAll<HTMLInputElement>("input")].filter((b) => b.checked).map((b) => b.value as Label);
    update({ kinds: on.length === LABELS.length ? [] : on });
  });
  $("export").addEventListener("click", () => void exportPNG(true).catch((e) => showMessage(`The PNG could not be made: ${(e as Error).message}`)));
  const exportAs = $<HTMLSelectElement>("export-as");
  exportAs.addEventListener("change", () => {
    const what = exportAs.value;
    exportAs.value = "";
    if (what === "png") void exportPNG(true).catch((e) => showMessage(`The PNG could not be made: ${(e as Error).message}`));
    else if (what) exportView(what as "svg" | "csv" | "graphml" | "gexf");
  });
  wireDownload();
  $("fit").addEventListener("click", () => {
    if (!focused && highlight && state.overlay) fitTo([...highlight.nodes.keys()]);
    else renderer?.getCamera().animatedReset({ duration: 300 });
  });
  wireSearch();
}

function wireSearch(): void {
  const input = $<HTMLInputElement>("search");
  const list = $("search-results");
  let timer: number | undefined;
  let seq = 0;
  const run = async () => {
    const text = input.value.trim();
    const my = ++seq;
    if (!text) {
      list.replaceChildren();
      list.hidden = true;
      return;
    }
    try {
      const res = await api.search(text, 20);
      if (my !== seq) return;
      list.replaceChildren();
      list.dataset.query = text; // what the list answers (tests wait on it)
      if (!res.length) {
        const li = document.createElement("li");
        li.textContent = `nothing named like "${text}"`;
        li.className = "muted";
        list.append(li);
      }
      for (const r of res) {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = r.name || r.id;
        b.dataset.id = r.id;
        const kind = document.createElement("span");
        kind.className = "muted";
        kind.textContent = " " + kindWord(r.name || r.id, r.__typename);
        b.append(kind);
        b.addEventListener("click", () => {
          list.hidden = true;
          update({ sel: r.id });
          focusNode(r.id);
        });
        li.append(b);
        list.append(li);
      }
      list.hidden = false;
    } catch (e) {
      showMessage((e as Error).message);
    }
  };
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      window.clearTimeout(timer);
      void run().then(() => list.querySelector<HTMLButtonElement>("button")?.click());
    } else if (e.key === "Escape") list.hidden = true;
  });
}

function focusNode(id: string): void {
  // The focus view already fits the whole answer; zooming onto one node would hide the rest.
  if (!renderer || !graph?.hasNode(id) || focused) return;
  const d = renderer.getNodeDisplayData(id);
  if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(renderer.getCamera().ratio, 0.5) }, { duration: 400 });
}

// --- model download -------------------------------------------------------------------

/** wireDownload fills the download menu; choosing a format saves the model in it. */
function wireDownload(): void {
  const sel = $<HTMLSelectElement>("download");
  sel.append(new Option("model as…", ""));
  for (const [f, name] of Object.entries(api.EXPORT_FORMATS)) sel.append(new Option(name, f));
  sel.addEventListener("change", async () => {
    const format = sel.value as api.ExportFormat | "";
    sel.value = "";
    if (!format) return;
    try {
      const blob = await api.fetchExport(format);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = format === "csv" ? "stakegraph-csv.zip" : `stakegraph.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    } catch (e) {
      showMessage((e as Error).message);
    }
  });
}

// --- PNG export -----------------------------------------------------------------------

/** viewTitle names the view: the analysis and what it is about. */
function viewTitle(): string {
  if (!state.overlay) return "The model";
  const about = [state.objective, state.of, state.a && state.b ? `${nodeName(state.a)} and ${nodeName(state.b)}` : undefined, state.down.length ? `${state.down.map(nodeName).join(", ")} down` : undefined, state.gap?.replace(/_/g, " ").toLowerCase()]
    .filter((x): x is string => !!x).map((x) => nodeName(x) ?? x);
  return OVERLAYS[state.overlay] + (about.length ? " — " + about.join(", ") : "") + (state.view ? ` (as ${nodeName(state.view)} can reach it)` : "");
}

/** answerLines: the answer list as the panel shows it, one line each (groups prefixed). */
function answerLines(): string[] {
  const h = state.overlay ? highlight : undefined;
  if (!h) return [];
  return report.answerRows(h).slice(1).map((r) => (h.table ? `${r[1]}: ${h.table.head.slice(1).map((k, i) => `${k} ${r[i + 2]}`).join(", ")}` : [r[0], r[1], r[2]].filter(Boolean).join(" — ")));
}

/** reportView reads what the renderer draws now: nodes, relationships, labels, in viewport pixels. */
function reportView(): report.ReportView {
  const r = renderer!;
  r.refresh();
  const { width, height } = r.getDimensions();
  const labels = (r as unknown as { displayedNodeLabels: Set<string> }).displayedNodeLabels;
  const drawn = r.getGraph();
  const at = new Map<string, { x: number; y: number }>();
  const radius = new Map<string, number>();
  const nodes: report.DrawnNode[] = [];
  drawn.forEachNode((id) => {
    const d = r.getNodeDisplayData(id) as (NodeDisplayData & { ring?: string | null; kind?: Label }) | undefined;
    if (!d || d.hidden) return;
    const v = r.framedGraphToViewport(d);
    if (v.x < -20 || v.y < -20 || v.x > width + 20 || v.y > height + 20) return;
    at.set(id, v);
    radius.set(id, Math.max(2, r.scaleSize(d.size)));
    const kind = drawn.getNodeAttribute(id, "kind") as Label;
    nodes.push({ x: v.x, y: v.y, r: Math.max(2, r.scaleSize(d.size)), fill: d.color, ring: d.ring ?? null, shape: KIND_STYLE[kind]?.shape ?? "circle", label: labels.has(id) ? d.label ?? "" : "" });
  });
  const edges: report.DrawnEdge[] = [];
  drawn.forEachEdge((e, _a, s, t) => {
    const ed = r.getEdgeDisplayData(e);
    const p = at.get(s), q = at.get(t);
    if (!ed || ed.hidden || !p || !q) return;
    edges.push({ x1: p.x, y1: p.y, x2: q.x, y2: q.y, color: ed.color, width: ed.size, label: focused && ed.forceLabel ? ed.label ?? undefined : undefined, arrow: !!focused, r2: radius.get(t) });
  });
  return {
    title: viewTitle(), date: asOf(), width, height, nodes, edges, legend: legendRows(),
    summary: state.overlay && highlight ? highlight.summary : [`${graph?.order ?? 0} nodes and ${graph?.size ?? 0} relationships.`],
    lines: answerLines(),
  };
}

/** save downloads a blob under a name. */
function save(blob: Blob, name: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

const fileBase = () => `stakegraph-${asOf()}${state.overlay ? "-" + state.overlay : ""}`;

/** exportView saves the report SVG, the answer list as CSV, or the visible subgraph as GraphML or GEXF. */
function exportView(what: "svg" | "csv" | "graphml" | "gexf"): void {
  if (!renderer || !graph) return;
  if (what === "svg") save(new Blob([report.reportSVG(reportView(), document.implementation, new XMLSerializer())], { type: "image/svg+xml" }), fileBase() + ".svg");
  else if (what === "csv") {
    if (!state.overlay || !highlight) {
      showMessage("Choose an analysis first: the CSV export is its answer list.", "info");
      return;
    }
    save(new Blob([report.answerCSV(highlight)], { type: "text/csv" }), fileBase() + ".csv");
  } else {
    const drawn = renderer.getGraph();
    // The focus view draws only the answer and its context; elsewhere dimmed nodes are not "visible".
    const ids = focused ? focused.nodes() : drawn.filterNodes((id) => !renderer!.getNodeDisplayData(id)?.hidden && renderer!.getNodeDisplayData(id)?.color !== DIM);
    if (what === "gexf") save(new Blob([report.gexf(graph, ids)], { type: "application/gexf+xml" }), fileBase() + ".gexf");
    else save(new Blob([report.graphML(graph, ids, document.implementation, new XMLSerializer())], { type: "application/graphml+xml" }), fileBase() + ".graphml");
  }
}

/** exportPNG draws the report SVG at three times the screen's resolution; download saves it as a file. */
async function exportPNG(download: boolean): Promise<string> {
  if (!renderer) return "";
  const svg = report.reportSVG(reportView(), document.implementation, new XMLSerializer());
  const img = new Image();
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  await img.decode();
  const scale = 3;
  const out = document.createElement("canvas");
  out.width = img.width * scale;
  out.height = img.height * scale;
  const ctx = out.getContext("2d")!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  const url = out.toDataURL("image/png");
  if (download) {
    const a = document.createElement("a");
    a.href = url;
    a.download = fileBase() + ".png";
    a.click();
  }
  return url;
}

// --- layout ---------------------------------------------------------------------------

function startLayout(g: DisplayGraph): void {
  const ids = g.nodes();
  const index = new Map(ids.map((id, i) => [id, i]));
  const positions = new Float32Array(ids.length * 2);
  ids.forEach((id, i) => {
    positions[2 * i] = g.getNodeAttribute(id, "x");
    positions[2 * i + 1] = g.getNodeAttribute(id, "y");
  });
  const sizes = new Float32Array(ids.length);
  const view0 = shown ?? g;
  ids.forEach((id, i) => {
    sizes[i] = view0.hasNode(id) ? view0.getNodeAttribute(id, "size") : 3;
  });
  const edges = new Uint32Array(g.size * 2);
  let k = 0;
  g.forEachEdge((_e, _a, s, t) => {
    edges[k++] = index.get(s)!;
    edges[k++] = index.get(t)!;
  });
  const view = shown ?? g;
  const large = view !== g;
  let lastApplied = 0;
  const applyPositions = (u: LayoutUpdate) => {
    const p = u.positions;
    let i = 0;
    view.updateEachNodeAttributes((_id, a) => {
      a.x = p[i++];
      a.y = p[i++];
      return a;
    }, { attributes: ["x", "y"] });
    lastApplied = performance.now();
  };
  const settled = () => {
    showEdges();
    // A shared link with a selection centres on where the node is now, not where it began.
    if (state.sel && !focused && !(state.overlay && state.rest !== "dim")) focusNode(state.sel);
    requestAnimationFrame(() => {
      hook.layoutSettledAt = performance.now() - hook.t0;
      $("graph").dataset.layout = "settled";
    });
  };
  // The layout is deterministic, and the browser keeps the last one per model version, so a
  // link opens on the same picture without running it again.
  const key = modelKey(g);
  const cached = readLayout(key, ids.length);
  if (cached) {
    hook.layoutFromCache = true;
    applyPositions({ positions: cached, iterations: 0, settled: true });
    $("layout-status").textContent = "layout from this browser's cache for this model version";
    settled();
    return;
  }
  const worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (ev: MessageEvent<LayoutUpdate>) => {
    const u = ev.data;
    hook.layoutIterations = u.iterations;
    $("layout-status").textContent = u.settled
      ? `layout settled (${u.iterations} iterations)`
      : `laying out… (${u.iterations} iterations${large ? "; relationships are drawn when it settles" : ""})`;
    if (!u.settled && large && performance.now() - lastApplied < 1500) return;
    if (u.settled) writeLayout(key, u.positions);
    applyPositions(u);
    if (u.settled) {
      worker.terminate();
      settled();
    }
  };
  worker.onerror = (e) => {
    showMessage(`The layout could not run (${e.message}); the graph stays in its initial arrangement.`);
    showEdges();
    $("graph").dataset.layout = "settled";
  };
  worker.postMessage({ positions, edges, sizes }, [positions.buffer, edges.buffer, sizes.buffer]);
}

const LAYOUT_CACHE = "stakegraph.layout";

/** readLayout returns the cached positions of this model version, if this browser has them. */
function readLayout(key: string, n: number): Float32Array | undefined {
  try {
    const c = JSON.parse(localStorage.getItem(LAYOUT_CACHE) ?? "null") as { key: string; pos: string } | null;
    return c?.key === key ? decodePositions(c.pos, n) : undefined;
  } catch {
    return undefined;
  }
}

/** writeLayout keeps the settled layout of one model version (the last one) in localStorage. */
function writeLayout(key: string, pos: Float32Array): void {
  try {
    localStorage.setItem(LAYOUT_CACHE, JSON.stringify({ key, pos: encodePositions(pos) }));
  } catch {
    // Full or unavailable storage: the layout runs again next time, nothing else changes.
  }
}

/** showEdges hands the relationships to the drawn graph once a large graph's layout settled. */
function showEdges(): void {
  const view = shown;
  const g = graph;
  if (!view || !g || view === g) return;
  g.forEachEdge((key, a, s, t) => view.addDirectedEdgeWithKey(key, s, t, a));
  graph = view;
  hook.graph = view;
  shown = undefined;
}

// --- the focus view -------------------------------------------------------------------

/**
 * applyFocus draws an analysis's answer as its own layered subgraph (focus.ts), or, with
 * "show the rest" (rest=dim), the whole model with the answer highlighted and the camera
 * fitted to it. Either way the answer fills the view.
 */
function applyFocus(): void {
  const r = renderer;
  const g = graph;
  if (!r || !g) return;
  const h = state.overlay ? highlight : undefined;
  const want = !!h && h.nodes.size > 0 && state.rest !== "dim";
  const { width, height } = r.getDimensions();
  const hidden = occludedRight();
  const key: typeof focusFor = [want ? h : undefined, !!state.all, want ? height * 1e8 + width * 1e4 + hidden : 0];
  const changed = key.some((x, i) => x !== focusFor[i]);
  if (want) {
    if (!changed) return;
    focusFor = key;
    // The top N shrinks (15, 10, 7, 5) until the layout fits the view at about one layout
    // unit per pixel, so that labels stay apart; "show all" draws everything, scaled down.
    let ids = new Set<string>();
    let pos = new Map<string, { x: number; y: number }>();
    for (const n of state.all ? [TOP_N] : [TOP_N, 10, 7, 5]) {
      focusN = n;
      ids = answerNodes(g, h!, !!state.all, n);
      pos = positions(layeredLayout(g, ids, h!.community), height, width - hidden);
      const b = focusBBox(pos, width, height, hidden);
      if ((b.x[1] - b.x[0]) / width <= 1.1) break;
    }
    stretchRows(pos, width, height, hidden);
    focused = focusGraph(g, ids, pos, h!);
    r.setSetting("renderEdgeLabels", true);
    r.setSetting("labelSize", 12);
    r.setCustomBBox(focusBBox(pos, width, height, hidden));
    r.setGraph(focused);
    setCamera({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    return;
  }
  const wasFocused = !!focused;
  if (focused) {
    focused = undefined;
    r.setSetting("renderEdgeLabels", false);
    r.setSetting("labelSize", 14);
    r.setCustomBBox(null);
    r.setGraph(largeMode && local ? local : shown ?? g);
    localKey = ""; // the neighbourhood view sets its own extent again
  }
  if (h && h.nodes.size && (changed || wasFocused)) {
    focusFor = key;
    fitTo([...h.nodes.keys()]);
  } else focusFor = key;
}

/** occludedRight is how many pixels of the graph's right side the details drawer covers (narrow screens). */
function occludedRight(): number {
  const panel = $("details");
  if (getComputedStyle(panel).position !== "absolute" || !panel.offsetParent) return 0;
  return panel.getBoundingClientRect().width;
}

/** fitTo moves the camera so that the nodes ids fill the view, with a margin. */
function fitTo(ids: string[]): void {
  const r = renderer;
  if (!r) return;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const id of ids) {
    const d = r.getNodeDisplayData(id);
    if (!d) continue;
    minX = Math.min(minX, d.x); maxX = Math.max(maxX, d.x);
    minY = Math.min(minY, d.y); maxY = Math.max(maxY, d.y);
  }
  if (minX > maxX) return;
  const ratio = Math.min(1.2, Math.max(0.08, 1.35 * Math.max(maxX - minX, maxY - minY)));
  setCamera({ x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio, angle: 0 });
}

/** setCamera moves the camera now, and cancels an animation still running towards elsewhere. */
function setCamera(st: { x: number; y: number; ratio: number; angle: number }): void {
  const cam = renderer?.getCamera();
  if (!cam) return;
  if (cam.isAnimated()) void cam.animate(st, { duration: 0 }); // replaces it; lands next frame
  cam.setState(st);
}

/** focusReport says what the view draws of the answer and what of it a reader could not see. */
function focusReport(): FocusReport {
  const r = renderer;
  const h = state.overlay ? highlight : undefined;
  const none: FocusReport = { mode: "none", n: focusN, drawn: [], answers: [], unlabelled: [], outside: [], width: 0, height: 0 };
  if (!r || !h) return none;
  r.refresh();
  const { height } = r.getDimensions();
  const width = r.getDimensions().width - occludedRight(); // what the details drawer leaves visible
  const mode = focused ? "focus" : "dim";
  let drawn: string[];
  let answers: string[];
  if (focused) {
    drawn = focused.nodes();
    answers = [...mustDraw(h, !!state.all, focusN)].filter((id) => graph?.hasNode(id)).sort();
  } else {
    answers = [...h.nodes].filter(([, st]) => st !== "highlight").map(([id]) => id).filter((id) => graph?.hasNode(id)).sort();
    drawn = answers;
  }
  // displayedNodeLabels is sigma's own record of the labels it drew in the last frame.
  const labels = (r as unknown as { displayedNodeLabels: Set<string> }).displayedNodeLabels;
  const unlabelled: string[] = [];
  const outside: string[] = [];
  for (const id of drawn) {
    const d = r.getNodeDisplayData(id);
    if (!d || d.hidden) {
      unlabelled.push(id);
      continue;
    }
    if (!labels.has(id) || !d.label) unlabelled.push(id);
    const v = r.framedGraphToViewport(d);
    if (v.x < 0 || v.y < 0 || v.x > width || v.y > height) outside.push(id);
  }
  return { mode, n: focusN, drawn: drawn.sort(), answers, unlabelled, outside, width, height };
}

/**
 * applyLocal (large models) draws the neighbourhoods asked for: selecting a node outside
 * the drawing starts it afresh from that node and its neighbours; selecting a drawn node
 * adds its neighbours (at most 200 at a time). Laid out in layers and fitted like the focus
 * view.
 */
function applyLocal(): void {
  const r = renderer;
  const g = graph;
  if (!largeMode || !r || !g || !local || focused) return;
  const sel = state.sel && g.hasNode(state.sel) ? state.sel : undefined;
  if (sel && !local.hasNode(sel)) local.clear();
  const ids = new Set(local.nodes());
  if (sel) {
    ids.add(sel);
    for (const n of g.neighbors(sel).slice(0, 200)) ids.add(n);
  }
  const { width, height } = r.getDimensions();
  const hidden = occludedRight();
  const key = JSON.stringify([[...ids].sort(), width, height, hidden]);
  $("graph-status").textContent = ids.size ? "" : `A large model (${g.order.toLocaleString("en")} nodes): search for a node, or choose an analysis, to draw what it concerns.`;
  if (key === localKey) return;
  localKey = key;
  const pos = positions(layeredLayout(g, ids), height, width - hidden);
  for (const id of ids) {
    const p = pos.get(id)!;
    if (local.hasNode(id)) local.mergeNodeAttributes(id, p);
    else local.addNode(id, { ...g.getNodeAttributes(id), ...p });
  }
  g.forEachEdge((e, a, s2, t) => {
    if (ids.has(s2) && ids.has(t) && s2 !== t && !local!.hasEdge(e)) local!.addDirectedEdgeWithKey(e, s2, t, { ...a, type: "arrow" } as EdgeAttrs);
  });
  r.setCustomBBox(ids.size ? focusBBox(pos, width, height, hidden) : null);
  setCamera({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
  $("counts").textContent = `${g.order} nodes · ${g.size} relationships · drawing ${local.order}`;
}

// --- apply ----------------------------------------------------------------------------

let applying: Promise<void> = Promise.resolve();

/** apply brings the page in line with state; calls are serialised. */
function apply(): Promise<void> {
  applying = applying.then(applyNow, applyNow);
  return applying;
}

async function applyNow(): Promise<void> {
  syncControls();
  if (!graph || !renderer) return;
  visible = state.kinds.length || state.region || state.domain || state.agreement ? visibleNodes(graph, state) : undefined;
  inactive = outOfForce(graph, asOf());
  syncTime();
  // (A large model's drawing is already the neighbourhoods asked for: nothing to dim there.)
  selNeighbours = state.sel && graph.hasNode(state.sel) && !state.overlay && !largeMode ? new Set([state.sel, ...graph.neighbors(state.sel)]) : undefined;
  const details = applyDetails();
  await Promise.all([applyOverlay(), applySize()]);
  applyFocus();
  applyLocal();
  renderLegend();
  renderOverlayPanel();
  publish();
  renderer.refresh();
  await details;
}

async function checkIds(g: DisplayGraph): Promise<void> {
  for (const { id, where } of idsInState(state)) {
    if (!g.hasNode(id)) showMessage(`The URL names "${id}" as ${where}, but there is no node with that id in the model.`);
  }
}

/** makeRenderer starts sigma on g (n nodes in the model; large: hide edges and labels while moving). */
function makeRenderer(g: DisplayGraph, n: number, large: boolean): Sigma<NodeAttrs, EdgeAttrs> {
  const container = $("sigma");
  const r = new Sigma<NodeAttrs, EdgeAttrs>(g, container, {
    nodeProgramClasses: { circle: NodeShapeProgram },
    defaultNodeType: "circle",
    nodeReducer,
    edgeReducer,
    zIndex: true,
    renderEdgeLabels: false,
    labelRenderedSizeThreshold: n > 2000 && !largeMode ? 14 : 8,
    // Fewer, larger label cells: each cell shows the label of its biggest node only, so
    // labels do not pile up; selected, hovered and highlighted nodes are always labelled.
    labelDensity: 0.6,
    labelGridCellSize: 140,
    hideEdgesOnMove: large,
    hideLabelsOnMove: large,
    labelFont: "system-ui, sans-serif",
    edgeProgramClasses: { line: EdgeRectangleProgram, arrow: EdgeArrowProgram },
    edgeLabelColor: { color: "#444444" },
    edgeLabelSize: 11,
    minCameraRatio: 0.02,
    maxCameraRatio: 10,
  });
  renderer = r;
  hook.sigma = r;
  phase("sigma");
  r.on("clickNode", ({ node }) => update({ sel: node }));
  r.on("clickStage", () => {
    $("search-results").hidden = true;
  });
  r.on("enterNode", ({ node }) => {
    hovered = node;
    container.style.cursor = "pointer";
    r.refresh({ partialGraph: { nodes: [node] }, skipIndexation: true, schedule: true });
  });
  r.on("leaveNode", ({ node }) => {
    hovered = undefined;
    container.style.cursor = "";
    r.refresh({ partialGraph: { nodes: [node] }, skipIndexation: true, schedule: true });
  });
  return r;
}

/** firstFrame marks the first interactive frame: the browser has presented two frames with the handlers attached. */
async function firstFrame(): Promise<void> {
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  hook.firstFrameAt = hook.interactiveAt = performance.now() - hook.t0;
  $("graph").dataset.firstFrame = "yes";
}

/** largeThreshold is LARGE_NODES, or a smaller figure this browser was given (the tests use it on the demo). */
function largeThreshold(): number {
  try {
    const v = Number(localStorage.getItem("stakegraph.largeNodes"));
    return v > 0 ? v : LARGE_NODES;
  } catch {
    return LARGE_NODES;
  }
}

async function main(): Promise<void> {
  const decoded = decode(location.search);
  state = decoded.state;
  hook.state = state;
  for (const p of decoded.problems) showMessage(`Ignored: ${p}.`);
  wireSignIn();
  wireControls();
  wireViews();
  syncControls();
  const status = $("graph-status");
  status.textContent = "Loading the model from the API…";
  let doc;
  try {
    phase("request");
    // The model's size decides how to start (one small request beside the export): a large
    // model opens on an empty, searchable view at once while the export arrives.
    const size = await api.modelSize().catch(() => undefined);
    if (size !== undefined && size > largeThreshold()) {
      largeMode = true;
      local = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>();
      makeRenderer(local, size, false);
      status.textContent = `A large model (${size.toLocaleString("en")} nodes): search for a node, or choose an analysis, to draw what it concerns. Loading…`;
      await firstFrame();
    }
    doc = await api.loadGraph();
    phase("loaded");
  } catch (e) {
    if (api.isAuthError(e)) {
      status.textContent = "Sign in to load the model.";
      $("graph").dataset.loaded = "auth";
      renderMessage($("details"), "Sign in", "This server requires a token; the model loads once you have signed in.", "muted");
      return;
    }
    status.textContent = "The model could not be loaded.";
    showMessage((e as Error).message);
    $("graph").dataset.loaded = "error";
    renderMessage($("details"), "No model", (e as Error).message);
    return;
  }
  const paged = api.pagedBecause();
  if (paged) showMessage(`${paged}. The model was read page by page instead: you see what is releasable to your nation.`, "info");
  const built = buildGraph(doc);
  phase("built");
  for (const w of built.warnings) showMessage(w, "info");
  graph = built.graph;
  if (!largeMode) seedFamilies(graph);
  hook.graph = graph;
  hook.nodeCount = graph.order;
  hook.edgeCount = graph.size;
  status.textContent = graph.order ? "" : "The model is empty: import a document (stakegraph import FILE) or load the demo seed.";
  if (!largeMode) {
    shown = graph.size > LARGE_EDGES ? graph.emptyCopy() : undefined;
    makeRenderer(shown ?? graph, graph.order, graph.size > LARGE_EDGES);
  }
  hook.loaded = true;
  phase("ready");
  $("graph").dataset.loaded = "yes";
  $("counts").textContent = `${graph.order} nodes · ${graph.size} relationships`;
  // The constructor rendered synchronously; once the browser has presented two frames the
  // user sees the graph with the handlers above attached: the first interactive frame.
  // Everything else waits until then.
  if (!largeMode) await firstFrame();
  void refreshViews();
  await checkIds(graph);
  if (largeMode) {
    hook.layoutSettledAt = performance.now() - hook.t0; // nothing to lay out: drawn on demand
    $("graph").dataset.layout = "settled";
    $("layout-status").textContent = "large model: drawn from search and analyses";
  } else startLayout(graph);
  await apply();
  if (state.sel) focusNode(state.sel);
}

void main();
