// Overlay results turned into what the graph shows: a state per node involved, the
// relationships to draw dark, community colours, and sentences that say in plain words
// what the view means. Pure functions of the API's answers, unit-tested.
import type * as api from "./api";
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
        mark(h, ev.id, "primary");
        h.items.push({ text: `${nameOf(ev)} (${ev.__typename ?? "event"})`, id: ev.id });
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

/** gapSentence says one gap in words. */
export function gapSentence(g: api.Gap): string {
  switch (g.kind) {
    case "COVERAGE": return `No provider of ${nameOf(g.capability)}, needed by ${nameOf(g.objective)}`;
    case "ACCESS": return `${nameOf(g.stakeholder)} cannot reach ${nameOf(g.capability)} for ${nameOf(g.objective)}`;
    case "SINGLE_SOURCE": return `${nameOf(g.capability)} hangs on ${nameOf(g.stakeholder)} alone`;
    case "EXPIRING": return `${g.cause?.kind ?? "A"} gap by the horizon: ${[nameOf(g.capability), nameOf(g.objective)].filter((x) => x !== "?").join(" for ")}${g.causedBy.length ? `, when ${g.causedBy.join(", ")} ends` : ""}`;
    case "UNADDRESSED_THREAT": return `No objective addresses ${nameOf(g.threat)}`;
    case "UNSPECIFIED": return `${nameOf(g.objective)} requires nothing`;
  }
  return g.kind;
}

/**
 * gapsHighlight: per gap, the missing or single-source capability or the threat is primary,
 * the objective or stakeholder it concerns is focus, the explanation is highlighted.
 */
export function gapsHighlight(list: api.Gap[], kind?: string): Highlight {
  const h = empty();
  h.summary.push(kind
    ? `${list.length} ${kind.replace(/_/g, " ").toLowerCase()} gap(s): ${GAP_WORDS[kind] ?? ""}.`
    : `${list.length} gap(s) of all kinds.`);
  for (const g of list) {
    explain(h, g.explanation);
    if (g.objective) mark(h, g.objective.id, "focus");
    if (g.stakeholder) mark(h, g.stakeholder.id, "focus");
    if (g.capability) mark(h, g.capability.id, "primary");
    if (g.threat) mark(h, g.threat.id, "primary");
    if (g.kind === "UNSPECIFIED" && g.objective) mark(h, g.objective.id, "primary");
    h.items.push({ text: gapSentence(g), id: g.capability?.id ?? g.threat?.id ?? g.objective?.id });
  }
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
export function resilienceHighlight(r: api.Resilience, viewName?: string): Highlight {
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
  if (ranked.length) {
    h.table = {
      head: ["event", "Birnbaum", "F–V", "RAW", "RRW"],
      rows: ranked.map((i) => ({ id: i.event.id, cells: [nameOf(i.event), num(i.birnbaum), num(i.fussellVesely), num(i.raw, "—"), num(i.rrw)] })),
    };
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
