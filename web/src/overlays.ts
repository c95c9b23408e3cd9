// Overlay results turned into what the graph shows: a state per node involved, the
// relationships to draw dark, community colours, and sentences that say in plain words
// what the view means. Pure functions of the API's answers, unit-tested.
import type * as api from "./api";
import { kindWord } from "./model";
import type { NodeState } from "./palette";

/** Highlight is what an overlay shows. Nodes absent from nodes are greyed out. */
export interface Highlight {
  nodes: Map<string, NodeState>;
  edges: Set<string>;
  community?: Map<string, number>;
  /** Plain-words summary lines, shown beside the graph. */
  summary: string[];
  /** Items listed under the summary; each can be clicked to select its node. */
  items: { text: string; id?: string }[];
  /** A table shown under the summary (resilience's importance ranking); rows select their node. */
  table?: { head: string[]; rows: { id: string; cells: string[] }[] };
  /** What the measures mean, in plain words, shown small under the summary. */
  notes?: string[];
  /**
   * The answers best first (by importance, order of cut set, being a single point of
   * failure), each with the explanation nodes that belong to it: the focus view draws the
   * top N of them unless asked to show all.
   */
  answers?: Answer[];
  /** The nodes the focus view always draws, whatever the top N (default: focus and down states). */
  subjects?: string[];
  /** A grade per node, 0..1 (Birnbaum importance relative to the highest): drawn as size. */
  measure?: Map<string, number>;
  /** Items grouped under headings (gaps by kind and objective); replaces items when present. */
  groups?: ItemGroup[];
}

/** One answer of a ranked list: its node and the explanation nodes that belong to it. */
export interface Answer {
  id: string;
  explanation: string[];
}

/** A heading with its items and sub-groups, as the overlay panel lists them. */
export interface ItemGroup {
  title: string;
  /** A stable key for the page and its tests (the gap kind). */
  key?: string;
  items: { text: string; id?: string }[];
  groups?: ItemGroup[];
}

function empty(): Highlight {
  return { nodes: new Map(), edges: new Set(), summary: [], items: [] };
}

// Ranks so that the strongest state wins when a node is reached twice.
const RANK: Record<NodeState, number> = { highlight: 0, shared: 1, focus: 2, conflict: 3, primary: 4, failed: 5, down: 6 };

function mark(h: Highlight, id: string, state: NodeState): void {
  const prev = h.nodes.get(id);
  if (!prev || RANK[state] > RANK[prev]) h.nodes.set(id, state);
}

function explain(h: Highlight, e: api.Explanation | undefined): void {
  if (!e) return;
  for (const n of e.nodes) mark(h, n, "highlight");
  for (const r of e.relationships) h.edges.add(r);
}

const nameOf = (r: api.Ref | null | undefined) => (r ? r.name || r.id : "?");

/** highlightedIds lists the nodes an overlay highlights, sorted (the e2e tests compare it). */
export function highlightedIds(h: Highlight | undefined): string[] {
  return h ? [...h.nodes.keys()].sort() : [];
}

/**
 * spofHighlight: the objective (focus), each single point of failure (primary) and each
 * one's explanation — capability chain, providers, agreements — (highlight).
 */
export function spofHighlight(res: api.ObjectiveCutSets[], viewName?: string): Highlight {
  const h = empty();
  const view = viewName ? `as ${viewName} can reach it (access view)` : "for the coalition as a whole";
  for (const o of res) {
    mark(h, o.objective.id, "focus");
    if (!o.achievable) {
      h.summary.push(`"${nameOf(o.objective)}" is not achievable ${view} even with everyone up: it has a coverage or access gap, so no single point of failure is reported. See the Gaps overlay.`);
      continue;
    }
    const order1 = o.cutSets.filter((c) => c.events.length === 1);
    if (!order1.length) {
      h.summary.push(`"${nameOf(o.objective)}" has no single point of failure ${view}: no one nation, agency or agreement failing alone stops it.`);
    } else {
      h.summary.push(`"${nameOf(o.objective)}" fails ${view} if any one of these ${order1.length} fails alone. Highlighted: the capability chain from the objective to what would be lost, with its providers.`);
    }
    for (const c of order1) {
      for (const ev of c.events) {
        (h.answers ??= []).push({ id: ev.id, explanation: c.explanation.nodes });
        mark(h, ev.id, "primary");
        const kw = kindWord(nameOf(ev), ev.__typename);
        h.items.push({ text: kw ? `${nameOf(ev)} (${kw})` : nameOf(ev), id: ev.id });
      }
      explain(h, c.explanation);
      for (const ev of c.events) mark(h, ev.id, "primary");
    }
    mark(h, o.objective.id, "focus");
  }
  return h;
}

const GAP_WORDS: Record<string, string> = {
  COVERAGE: "no one provides a capability an objective needs",
  ACCESS: "a stakeholder pursues an objective but cannot reach a provider of a capability it needs",
  SINGLE_SOURCE: "a needed capability is provided by one nation's family only",
  EXPIRING: "a gap that appears by the horizon because a relationship or agreement ends",
  UNADDRESSED_THREAT: "a threat that no objective addresses",
  UNSPECIFIED: "an objective that requires no capability (its needs are not modelled)",
};

/** Names turns an id into what the page shows for it (a node's name, else the id). */
export type Names = (id: string) => string;

const REL_WORDS: Record<string, string> = {
  PROVIDES: "provision of", PARTY_TO: "membership of", GOVERNS: "coverage of", PART_OF: "place in",
  PURSUES: "pursuit of", REQUIRES: "need for", DEPENDS_ON: "dependence on",
};

/** causeWords says what ends, by name: an agreement, or a relationship ("Germany's provision of Sealift"). */
export function causeWords(id: string, name: Names): string {
  const m = /^([A-Z_]+):(.+?)->(.+)$/.exec(id);
  if (!m) return name(id);
  return `${name(m[2])}'s ${REL_WORDS[m[1]] ?? m[1].toLowerCase().replace(/_/g, " ")} ${name(m[3])}`;
}

/** gapSentence says one gap in words; who names the stakeholder(s) when it is not just g.stakeholder. */
export function gapSentence(g: api.Gap, name: Names = (id) => id, who?: string): string {
  const s = who ?? nameOf(g.stakeholder);
  switch (g.kind) {
    case "COVERAGE": return `No provider of ${nameOf(g.capability)}, needed by ${nameOf(g.objective)}`;
    case "ACCESS": return `${s} cannot reach ${nameOf(g.capability)} for ${nameOf(g.objective)}`;
    case "SINGLE_SOURCE": return `${nameOf(g.capability)} hangs on ${s} alone`;
    case "EXPIRING": {
      const what = g.cause?.kind === "ACCESS" && g.stakeholder ? `${s} loses access to ${nameOf(g.capability)} for ${nameOf(g.objective)}`
        : g.cause?.kind === "SINGLE_SOURCE" ? `${nameOf(g.capability)} comes to hang on ${s} alone`
          : g.cause?.kind === "COVERAGE" ? `no one provides ${nameOf(g.capability)} for ${nameOf(g.objective)}`
            : `${(g.cause?.kind ?? "a").replace(/_/g, " ").toLowerCase()} gap: ${[nameOf(g.capability), nameOf(g.objective)].filter((x) => x !== "?").join(" for ")}`;
      return `By the horizon ${what}${g.causedBy.length ? `, when ${g.causedBy.map((c) => causeWords(c, name)).join(" and ")} ends` : ""}`;
    }
    case "UNADDRESSED_THREAT": return `No objective addresses ${nameOf(g.threat)}`;
    case "UNSPECIFIED": return `${nameOf(g.objective)} requires nothing`;
  }
  return g.kind;
}

const KIND_TITLE: Record<string, string> = {
  COVERAGE: "Coverage gaps", ACCESS: "Access gaps", SINGLE_SOURCE: "Single-source capabilities",
  EXPIRING: "Expiring", UNADDRESSED_THREAT: "Unaddressed threats", UNSPECIFIED: "Objectives with unmodelled needs",
};
const KIND_ORDER = ["COVERAGE", "ACCESS", "EXPIRING", "SINGLE_SOURCE", "UNSPECIFIED", "UNADDRESSED_THREAT"];

/**
 * groupGaps lists gaps by kind, then by objective, one line per gap — except that an
 * agency's gap is merged into its nation's line where the nation has the same gap (same
 * kind, cause, objective, capability and causes): "Ukraine (also its Ministry of Defence)
 * cannot reach …". nationOf gives an agency's nation; name gives node names.
 */
export function groupGaps(list: api.Gap[], nationOf: (id: string) => string | undefined, name: Names): ItemGroup[] {
  const same = (g: api.Gap) => JSON.stringify([g.kind, g.cause?.kind ?? "", g.objective?.id ?? "", g.capability?.id ?? "", g.threat?.id ?? "", [...g.causedBy].sort()]);
  const withStakeholder = new Map<string, Set<string>>(); // identity → stakeholders having it
  for (const g of list) if (g.stakeholder) {
    const k = same(g);
    if (!withStakeholder.has(k)) withStakeholder.set(k, new Set());
    withStakeholder.get(k)!.add(g.stakeholder.id);
  }
  const merged = new Map<string, string[]>(); // identity + nation → agencies merged into it
  const skip = new Set<api.Gap>();
  for (const g of list) {
    if (!g.stakeholder) continue;
    const nat = nationOf(g.stakeholder.id);
    const k = same(g);
    if (nat && nat !== g.stakeholder.id && withStakeholder.get(k)!.has(nat)) {
      skip.add(g);
      const mk = k + nat;
      if (!merged.has(mk)) merged.set(mk, []);
      merged.get(mk)!.push(g.stakeholder.id);
    }
  }
  const byKind = new Map<string, Map<string, { title: string; items: { text: string; id?: string }[] }>>();
  for (const g of list) {
    if (skip.has(g)) continue;
    const also = g.stakeholder ? merged.get(same(g) + g.stakeholder.id) : undefined;
    const who = g.stakeholder && also?.length ? `${nameOf(g.stakeholder)} (also ${also.map(name).sort().join(", ")})` : undefined;
    const objKey = g.objective?.id ?? "";
    if (!byKind.has(g.kind)) byKind.set(g.kind, new Map());
    const objs = byKind.get(g.kind)!;
    if (!objs.has(objKey)) objs.set(objKey, { title: g.objective ? nameOf(g.objective) : "", items: [] });
    objs.get(objKey)!.items.push({ text: gapSentence(g, name, who), id: g.stakeholder?.id ?? g.capability?.id ?? g.threat?.id ?? g.objective?.id });
  }
  const out: ItemGroup[] = [];
  for (const kind of [...KIND_ORDER, ...byKind.keys()].filter((k, i, a) => a.indexOf(k) === i && byKind.has(k))) {
    const objs = [...byKind.get(kind)!.values()].sort((a, b) => a.title.localeCompare(b.title));
    const n = list.filter((g) => g.kind === kind).length;
    const lines = objs.reduce((s, o) => s + o.items.length, 0);
    const grp: ItemGroup = { key: kind, title: `${KIND_TITLE[kind] ?? kind} (${n}${lines < n ? `, ${lines} after merging agencies into their nations` : ""})`, items: [], groups: [] };
    for (const o of objs) {
      if (o.title) grp.groups!.push({ title: o.title, items: o.items });
      else grp.items.push(...o.items);
    }
    out.push(grp);
  }
  return out;
}

/**
 * gapsHighlight: per gap, the missing or single-source capability or the threat is primary,
 * the objective or stakeholder it concerns is focus, the explanation is highlighted. The
 * list is grouped by kind and objective (groupGaps).
 */
export function gapsHighlight(list: api.Gap[], kind?: string, nationOf: (id: string) => string | undefined = () => undefined, name: Names = (id) => id): Highlight {
  const h = empty();
  h.summary.push(kind
    ? `${list.length} ${kind.replace(/_/g, " ").toLowerCase()} gap(s): ${GAP_WORDS[kind] ?? ""}.`
    : `${list.length} gap(s) of all kinds.`);
  h.answers = [];
  h.subjects = []; // every gap brings its own objective and stakeholder
  for (const g of list) {
    explain(h, g.explanation);
    if (g.objective) mark(h, g.objective.id, "focus");
    if (g.stakeholder) mark(h, g.stakeholder.id, "focus");
    if (g.capability) mark(h, g.capability.id, "primary");
    if (g.threat) mark(h, g.threat.id, "primary");
    if (g.kind === "UNSPECIFIED" && g.objective) mark(h, g.objective.id, "primary");
    const id = g.capability?.id ?? g.threat?.id ?? g.objective?.id;
    if (id) h.answers.push({ id, explanation: [...g.explanation.nodes, ...[g.objective, g.stakeholder].filter((x): x is api.Ref => !!x).map((x) => x.id)] });
    h.items.push({ text: gapSentence(g, name), id });
  }
  h.groups = groupGaps(list, nationOf, name);
  return h;
}

/** brokersHighlight: articulation points are primary, bridge ends and the explanation highlighted. */
export function brokersHighlight(b: api.Brokers): Highlight {
  const h = empty();
  h.summary.push(`${b.articulationPoints.length} broker(s): stakeholders or agreements whose loss splits the coordination network (membership, agencies, inter-agency mechanisms) in two; and ${b.bridges.length} bridge(s), single links whose loss does the same.`);
  explain(h, b.explanation);
  for (const br of b.bridges) {
    mark(h, br.a.id, "highlight");
    mark(h, br.b.id, "highlight");
  }
  for (const p of b.articulationPoints) {
    mark(h, p.id, "primary");
    h.items.push({ text: nameOf(p), id: p.id });
  }
  for (const br of b.bridges) h.items.push({ text: `bridge ${nameOf(br.a)} — ${nameOf(br.b)}`, id: br.a.id });
  return h;
}

/** overlapHighlight: the two nations are focus, shared objectives shared, conflicting ones conflict. */
export function overlapHighlight(o: api.Overlap): Highlight {
  const h = empty();
  explain(h, o.explanation);
  h.summary.push(`${nameOf(o.a)} and ${nameOf(o.b)}: overlap score ${o.score.toFixed(2)} (1 = same objectives with the same priorities), ${o.shared.length} shared objective(s), ${o.conflicts.length} conflicting pair(s).`);
  for (const s of o.shared) {
    mark(h, s.objective.id, "shared");
    h.items.push({ text: `shared: ${nameOf(s.objective)} (priority ${s.priorityA} / ${s.priorityB})`, id: s.objective.id });
  }
  for (const c of o.conflicts) {
    explain(h, c.explanation);
    mark(h, c.objectiveA.id, "conflict");
    mark(h, c.objectiveB.id, "conflict");
    h.items.push({ text: `conflict: ${nameOf(c.objectiveA)} (${nameOf(o.a)}) vs ${nameOf(c.objectiveB)} (${nameOf(o.b)})`, id: c.objectiveA.id });
  }
  mark(h, o.a.id, "focus");
  mark(h, o.b.id, "focus");
  return h;
}

/** coalitionsHighlight: each nation coloured by its community; objectives holding them together highlighted. */
export function coalitionsHighlight(c: api.Coalitions): Highlight {
  const h = empty();
  h.community = new Map();
  explain(h, c.explanation);
  const sized = c.communities.filter((m) => m.length > 1).length;
  h.summary.push(`${c.communities.length} coalition(s) of nations (${sized} with two or more members) by how far their objectives and priorities coincide (alignment ≥ ${c.threshold}); modularity ${c.modularity.toFixed(3)}.`);
  c.communities.forEach((members, i) => {
    for (const m of members) {
      h.community!.set(m.id, i);
      mark(h, m.id, "highlight");
    }
    h.items.push({ text: `coalition ${i + 1}: ${members.map(nameOf).join(", ")}`, id: members[0]?.id });
  });
  return h;
}

/** whatIfHighlight: events down are down, lost objectives and capabilities failed, explanations highlighted. */
export function whatIfHighlight(w: api.WhatIf, viewName?: string): Highlight {
  const h = empty();
  for (const l of [...w.objectives, ...w.capabilities]) explain(h, l.explanation);
  for (const l of w.capabilities) mark(h, l.node.id, "failed");
  for (const l of w.objectives) mark(h, l.node.id, "failed");
  for (const d of w.down) mark(h, d.id, "down");
  const view = viewName ? ` as ${viewName} can reach them` : "";
  h.summary.push(w.down.length
    ? `With ${w.down.map(nameOf).join(", ")} down${view}: ${w.objectives.length} objective(s) stop being achievable and ${w.capabilities.length} capability(ies) stop being available.`
    : "Mark nations, agencies or agreements down (from their details panel) to see what stops working.");
  h.answers = [...w.objectives, ...w.capabilities].map((l) => ({ id: l.node.id, explanation: l.explanation.nodes }));
  for (const l of w.objectives) h.items.push({ text: `objective fails: ${nameOf(l.node)}`, id: l.node.id });
  for (const l of w.capabilities) h.items.push({ text: `capability lost: ${nameOf(l.node)}`, id: l.node.id });
  return h;
}

/** failedIds lists the objectives and capabilities a what-if makes fail, sorted. */
export function failedIds(h: Highlight | undefined): string[] {
  if (!h) return [];
  return [...h.nodes].filter(([, s]) => s === "failed").map(([id]) => id).sort();
}

const pct = (p: number) => (p === 0 ? "0 %" : p < 0.0001 ? `${(p * 100).toExponential(1)} %` : `${(p * 100).toFixed(p < 0.01 ? 3 : 1)} %`);
const num = (x: number | null, none = "∞") => (x === null ? none : Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : "∞");

/**
 * resilienceHighlight: the objective (focus) and every basic event of its importance
 * ranking (primary); the ranking as a table, strongest Birnbaum first.
 */
export function resilienceHighlight(r: api.Resilience, viewName?: string, reliabilityOf: (id: string) => number | undefined = () => undefined): Highlight {
  const h = empty();
  const view = viewName ? ` as ${viewName} can reach it (access view)` : "";
  const name = nameOf(r.objective);
  if (!r.achievable) {
    h.summary.push(`"${name}" is not achievable${view} even with everyone up (probability of failure 100 %): it has a coverage or access gap. See the Gaps overlay.`);
  } else {
    h.summary.push(`Probability that "${name}" is not achievable${view}: ${pct(r.probability)}, given how reliable each nation, agency and agreement is.`);
    h.summary.push(r.minCutOrder === 0
      ? "Nothing that fails can stop it (no cut set): it does not hang on any nation, agency or agreement."
      : r.minCutOrder === 1
        ? "Minimum cut order 1: a single nation, agency or agreement failing alone stops it."
        : `Minimum cut order ${r.minCutOrder}: at least ${r.minCutOrder} nations, agencies or agreements must fail together to stop it.`);
  }
  mark(h, r.objective.id, "focus");
  const ranked = [...r.importance].sort((x, y) => y.birnbaum - x.birnbaum || x.event.id.localeCompare(y.event.id));
  for (const i of ranked) mark(h, i.event.id, "primary");
  h.answers = ranked.map((i) => ({ id: i.event.id, explanation: [] }));
  const top = ranked[0]?.birnbaum ?? 0;
  if (top > 0) h.measure = new Map(ranked.map((i) => [i.event.id, i.birnbaum / top]));
  if (ranked.length) {
    // The assumptions behind the figure: each event's reliability, and which have none (1).
    const rel = ranked.map((i) => reliabilityOf(i.event.id));
    const missing = ranked.filter((_, k) => rel[k] === undefined);
    h.table = {
      head: ["event", "reliability", "Birnbaum", "F–V", "RAW", "RRW"],
      rows: ranked.map((i, k) => ({ id: i.event.id, cells: [nameOf(i.event), rel[k] === undefined ? "⚠ not set (1)" : num(rel[k]!), num(i.birnbaum), num(i.fussellVesely), num(i.raw, "—"), num(i.rrw)] })),
    };
    h.summary.push(missing.length
      ? `Assumptions: ${ranked.length - missing.length} of the ${ranked.length} nations, agencies and agreements involved have a reliability set; ${missing.length} have none (flagged ⚠) and count as 1 — never failing — so the probability leaves them out: ${missing.slice(0, 6).map((i) => nameOf(i.event)).join(", ")}${missing.length > 6 ? ", …" : ""}.`
      : `Assumptions: every one of the ${ranked.length} nations, agencies and agreements involved has a reliability set (listed in the table).`);
    h.notes = [
      "Birnbaum: how much the failure probability rises between this one working and it failing — who matters most.",
      "F–V (Fussell–Vesely): the share of the failure risk that goes through this one.",
      "RAW (risk achievement worth): how many times likelier failure is if this one is down.",
      "RRW (risk reduction worth): how many times less likely failure would be were this one perfectly reliable.",
      "Click an event to select it in the graph.",
    ];
  }
  return h;
}

/**
 * impactHighlight: the node (focus), everything downstream — capabilities, objectives,
 * stakeholders — and the explanation (highlight); the objectives it is a single point of
 * failure for stand out (primary).
 */
export function impactHighlight(i: api.Impact, viewName?: string): Highlight {
  const h = empty();
  explain(h, i.explanation);
  for (const x of [...i.capabilities, ...i.objectives, ...i.stakeholders]) mark(h, x.id, "highlight");
  for (const o of i.singlePointOf) mark(h, o.id, "primary");
  mark(h, i.node.id, "focus");
  const view = viewName ? ` (as ${viewName} can reach things)` : "";
  h.summary.push(`Downstream of ${nameOf(i.node)}${view}: ${i.capabilities.length} capability(ies) it provides, governs or feeds, ${i.objectives.length} objective(s) that need them and ${i.stakeholders.length} stakeholder(s) pursuing those objectives.`);
  h.summary.push(i.singlePointOf.length
    ? `It is a single point of failure for ${i.singlePointOf.length} objective(s), drawn strong: should it fail alone, they fail.`
    : "It is a single point of failure for no objective: each objective downstream has another way.");
  const spof = new Set(i.singlePointOf.map((o) => o.id));
  h.answers = [...i.singlePointOf, ...i.objectives.filter((o) => !spof.has(o.id)), ...i.capabilities, ...i.stakeholders].map((x) => ({ id: x.id, explanation: [] }));
  for (const o of i.singlePointOf) h.items.push({ text: `single point of failure for: ${nameOf(o)}`, id: o.id });
  for (const o of i.objectives) if (!i.singlePointOf.some((s) => s.id === o.id)) h.items.push({ text: `objective downstream: ${nameOf(o)}`, id: o.id });
  for (const c of i.capabilities) h.items.push({ text: `capability downstream: ${nameOf(c)}`, id: c.id });
  for (const s of i.stakeholders) h.items.push({ text: `stakeholder affected: ${nameOf(s)}`, id: s.id });
  return h;
}

/**
 * partnersHighlight: the stakeholder (focus), its partners ranked by overlap score (shared),
 * and the objectives in conflict with each partner, with their explanations (conflict).
 */
export function partnersHighlight(list: api.Partner[], of: api.Ref | string): Highlight {
  const h = empty();
  const focus = typeof of === "string" ? of : of.id;
  const name = typeof of === "string" ? of : nameOf(of);
  h.summary.push(list.length
    ? `The ${list.length} stakeholder(s) whose objectives and priorities overlap most with ${name}'s, best first (score 1 = the same objectives with the same priorities, 0 = nothing in common); conflicts are pairs of their objectives that work against each other.`
    : `${name} has no partner of its kind to compare with.`);
  for (const p of list) {
    mark(h, p.b.id, "shared");
    const conflicts = p.conflicts.length ? `, ${p.conflicts.length} conflict(s): ${p.conflicts.map((c) => `${nameOf(c.objectiveA)} vs ${nameOf(c.objectiveB)}`).join("; ")}` : "";
    h.items.push({ text: `${nameOf(p.b)} — score ${p.score.toFixed(2)}, ${p.shared.length} shared objective(s)${conflicts}`, id: p.b.id });
    for (const c of p.conflicts) {
      explain(h, c.explanation);
      mark(h, c.objectiveA.id, "conflict");
      mark(h, c.objectiveB.id, "conflict");
    }
  }
  mark(h, focus, "focus");
  return h;
}

/**
 * compareHighlight: what gets worse in the scenario (gaps and single points that appear,
 * objectives lost) is drawn as failing, what gets better (gaps and single points that
 * disappear, objectives gained) as shared, the down events as down; each change with its
 * explanation. Listed as two groups, appeared and disappeared, worst first.
 */
export function compareHighlight(c: api.Comparison, name: Names = (id) => id): Highlight {
  const h = empty();
  h.answers = [];
  h.subjects = c.down.map((d) => d.id);
  const add = (id: string, state: NodeState, e: api.Explanation) => {
    explain(h, e);
    mark(h, id, state);
    h.answers!.push({ id, explanation: e.nodes });
  };
  const worse: { text: string; id?: string }[] = [];
  const better: { text: string; id?: string }[] = [];
  for (const o of c.objectivesLost) {
    add(o.objective.id, "failed", o.explanation);
    worse.push({ text: `${nameOf(o.objective)} stops being achievable`, id: o.objective.id });
  }
  for (const p of c.singlePointsAppeared) {
    add(p.event.id, "failed", p.explanation);
    mark(h, p.objective.id, "failed");
    worse.push({ text: `${nameOf(p.event)} becomes a single point of failure for ${nameOf(p.objective)}`, id: p.event.id });
  }
  for (const g of c.gapsAppeared) {
    const id = g.capability?.id ?? g.threat?.id ?? g.objective?.id;
    if (id) add(id, "failed", { nodes: [...g.explanation.nodes, ...[g.objective, g.stakeholder].filter((x): x is api.Ref => !!x).map((x) => x.id)], relationships: g.explanation.relationships });
    worse.push({ text: "gap appears: " + gapSentence(g, name), id });
  }
  for (const o of c.objectivesGained) {
    add(o.objective.id, "shared", o.explanation);
    better.push({ text: `${nameOf(o.objective)} becomes achievable`, id: o.objective.id });
  }
  for (const p of c.singlePointsDisappeared) {
    add(p.event.id, "shared", p.explanation);
    better.push({ text: `${nameOf(p.event)} is no longer a single point of failure for ${nameOf(p.objective)}`, id: p.event.id });
  }
  for (const g of c.gapsDisappeared) {
    const id = g.capability?.id ?? g.threat?.id ?? g.objective?.id;
    if (id) add(id, "shared", { nodes: [...g.explanation.nodes, ...[g.objective, g.stakeholder].filter((x): x is api.Ref => !!x).map((x) => x.id)], relationships: g.explanation.relationships });
    better.push({ text: "gap disappears: " + gapSentence(g, name), id });
  }
  const moves: { text: string; id?: string }[] = [];
  for (const m of c.coalitionMoves) {
    explain(h, m.scenarioExplanation);
    mark(h, m.nation.id, "focus");
    h.answers.push({ id: m.nation.id, explanation: m.scenarioExplanation.nodes });
    moves.push({ text: `${nameOf(m.nation)}: with ${m.before.filter((x) => x.id !== m.nation.id).map(nameOf).join(", ") || "no one"} → ${m.after.length ? "with " + (m.after.filter((x) => x.id !== m.nation.id).map(nameOf).join(", ") || "no one") : "down, out of every coalition"}`, id: m.nation.id });
  }
  for (const d of c.down) mark(h, d.id, "down");
  const scenario = `${c.scenarioAsOf}${c.down.length ? ` with ${c.down.map(nameOf).join(", ")} down` : ""}`;
  h.summary.push(c.empty
    ? `Nothing differs between ${c.baselineAsOf} and ${scenario}.`
    : `From ${c.baselineAsOf} (baseline) to ${scenario}: ${c.gapsAppeared.length} gap(s) appear and ${c.gapsDisappeared.length} disappear; ${c.singlePointsAppeared.length} single point(s) of failure appear and ${c.singlePointsDisappeared.length} disappear; ${c.objectivesLost.length} objective(s) are lost and ${c.objectivesGained.length} gained; ${c.coalitionMoves.length} nation(s) change coalition.`);
  h.notes = ["Yellow: what appears or is lost in the scenario (explained by the scenario). White: what disappears or is gained (explained by the baseline)."];
  h.groups = [
    { key: "worse", title: `Appears or is lost (${worse.length})`, items: worse },
    { key: "better", title: `Disappears or is gained (${better.length})`, items: better },
    { key: "moves", title: `Coalition moves (${moves.length})`, items: moves },
  ].filter((g) => g.items.length);
  return h;
}
