// The details panel: a node's properties, provenance and relationships (with their
// properties) as the API returns them, with links to the neighbours. DOM is built with
// textContent only, so names from the data cannot inject markup.
import type { NodeDetails } from "./api";
import { countsAt, kindWord, sharedProps } from "./model";

/** Human headings for the relationship fields of NODE_DETAILS. */
const REL_FIELDS: Record<string, { title: string; other: string }> = {
  agencies: { title: "Agencies", other: "" },
  nation: { title: "Part of", other: "" },
  pursues: { title: "Pursues", other: "objective" },
  provides: { title: "Provides", other: "capability" },
  partyTo: { title: "Party to", other: "agreement" },
  coordinatesWith: { title: "Coordinates with", other: "agency" },
  pursuedBy: { title: "Pursued by", other: "stakeholder" },
  requires: { title: "Requires", other: "" },
  addresses: { title: "Addresses", other: "" },
  conflictsWith: { title: "Conflicts with", other: "" },
  providers: { title: "Providers", other: "provider" },
  dependsOn: { title: "Depends on", other: "" },
  dependents: { title: "Needed by capabilities", other: "" },
  requiredBy: { title: "Required by", other: "" },
  governedBy: { title: "Governed by", other: "" },
  parties: { title: "Parties", other: "party" },
  governs: { title: "Governs", other: "" },
  addressedBy: { title: "Addressed by", other: "" },
};

/** Properties shown in the table, in order, with labels. */
const PROPS: [string, string][] = [
  ["__typename", "kind"], ["id", "id"], ["code", "ISO code"], ["region", "region"], ["agencyKind", "type"], ["agreementKind", "type"], ["threatKind", "type"],
  ["domain", "domain"], ["category", "category"], ["signed", "signed"], ["expires", "expires"],
  ["reliability", "reliability"], ["agreementReliability", "reliability"], ["releasableTo", "releasable to"],
  ["updatedAt", "updated"], ["description", "description"],
];

const REL_PROPS = ["priority", "validFrom", "validTo", "capacity", "role", "mechanism", "source", "confidence"];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fmt(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join(", ") : "all";
  if (typeof v === "number") return String(Math.round(v * 1000) / 1000);
  return String(v);
}

export interface DetailsActions {
  select(id: string): void;
  toggleDown(id: string): void;
  isDown(id: string): boolean;
  spof(objective: string): void;
  resilience(objective: string): void;
  impact(id: string): void;
  partners(stakeholder: string): void;
  accessView(stakeholder: string): void;
  overlapWith(which: "a" | "b", nation: string): void;
}

/** renderDetails fills panel with the node's details; asOf marks what is not in force. */
export function renderDetails(panel: HTMLElement, d: NodeDetails, asOf: string, act: DetailsActions): void {
  panel.replaceChildren();
  panel.dataset.node = d.id;
  panel.append(el("h2", d.name || d.id));
  const kind = d.__typename;

  const actions = el("div", undefined, "actions");
  const button = (text: string, fn: () => void, id?: string) => {
    const b = el("button", text);
    b.type = "button";
    if (id) b.id = id;
    b.addEventListener("click", fn);
    actions.append(b);
  };
  if (kind === "Nation" || kind === "Agency" || kind === "Agreement") {
    button(act.isDown(d.id) ? "Bring back up (what-if)" : "Mark down (what-if)", () => act.toggleDown(d.id), "mark-down");
  }
  if (kind === "Objective") {
    button("Single points of failure", () => act.spof(d.id), "show-spof");
    button("Resilience", () => act.resilience(d.id), "show-resilience");
  }
  if (kind === "Nation" || kind === "Agency" || kind === "Agreement" || kind === "Capability") button("Impact", () => act.impact(d.id), "show-impact");
  if (kind === "Nation" || kind === "Agency") button("Partners", () => act.partners(d.id), "show-partners");
  if (kind === "Nation" || kind === "Agency") button("Use its access view", () => act.accessView(d.id));
  if (kind === "Nation") {
    button("Overlap: first nation", () => act.overlapWith("a", d.id));
    button("Overlap: second nation", () => act.overlapWith("b", d.id));
  }
  if (actions.childElementCount) panel.append(actions);

  const table = el("table", undefined, "props");
  for (const [k, label] of PROPS) {
    const v = d[k];
    if (v === null || v === undefined || v === "") continue;
    const tr = el("tr");
    tr.append(el("th", label), el("td", fmt(v)));
    table.append(tr);
  }
  panel.append(table);

  const prov = el("p", undefined, "provenance");
  prov.append(el("strong", "Provenance: "));
  prov.append(document.createTextNode(
    `${typeof d.source === "string" && d.source ? d.source : "no source given"}` +
      (typeof d.confidence === "number" ? ` · confidence ${fmt(d.confidence)}` : " · confidence not given"),
  ));
  panel.append(prov);
  if (kind === "Agreement" && !countsAt(d.signed, d.expires, asOf)) {
    panel.append(el("p", `Not in force on ${asOf}: the analyses ignore it and everything it governs.`, "warn"));
  }

  for (const [field, meta] of Object.entries(REL_FIELDS)) {
    const raw = d[field];
    if (raw === undefined) continue;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, unknown>[];
    const section = el("section", undefined, "rels");
    section.dataset.field = field;
    section.append(el("h3", `${meta.title} (${list.length})`));
    if (!list.length) {
      section.append(el("p", "none", "muted"));
      panel.append(section);
      continue;
    }
    // A source or confidence shared by every line is said once, under the heading.
    const shared = meta.other ? sharedProps(list, ["source", "confidence"]) : {};
    if (Object.keys(shared).length) section.append(el("p", Object.entries(shared).map(([p, v]) => `${p} ${fmt(v)}`).join(" · ") + " (all)", "relprops shared"));
    const ul = el("ul");
    for (const item of list) {
      const other = (meta.other ? item[meta.other] : item) as { id: string; name: string; __typename?: string } | null;
      if (!other) continue;
      const li = el("li");
      const link = el("a", other.name || other.id);
      link.href = "?sel=" + encodeURIComponent(other.id);
      link.dataset.id = other.id;
      link.addEventListener("click", (ev) => {
        ev.preventDefault();
        act.select(other.id);
      });
      li.append(link);
      const kw = kindWord(other.name || other.id, other.__typename);
      if (kw) li.append(el("span", ` ${kw}`, "muted"));
      if (meta.other) {
        const props = REL_PROPS.filter((p) => !(p in shared) && item[p] !== null && item[p] !== undefined && item[p] !== "").map((p) => `${p} ${fmt(item[p])}`);
        if (props.length) li.append(el("div", props.join(" · "), "relprops"));
        if (!countsAt(item.validFrom, item.validTo, asOf)) li.append(el("div", `not valid on ${asOf}`, "warn"));
      }
      ul.append(li);
    }
    section.append(ul);
    panel.append(section);
  }
}

/** renderMessage shows a plain message in the panel (unknown id, failed call). */
export function renderMessage(panel: HTMLElement, title: string, text: string, cls = "warn"): void {
  panel.replaceChildren(el("h2", title), el("p", text, cls));
  delete panel.dataset.node;
}
