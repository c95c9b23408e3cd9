// The explorer's only way to the data: the public GraphQL API at /graphql. Every failure
// becomes an ApiError whose message a person can read (what was asked, what went wrong).
import { authHeaders } from "./auth";
import type { Doc, DocNode, DocRel, Label, RelType } from "./model";
import type { GapKind } from "./urlstate";
import type { SavedView } from "./views";

/**
 * ApiError is a failed API call, with a message fit for the page. code is the GraphQL
 * error code (UNAUTHENTICATED on HTTP 401, FORBIDDEN when the token's role may not do it).
 */
export class ApiError extends Error {
  constructor(message: string, readonly code?: string, readonly status?: number) {
    super(message);
    this.name = "ApiError";
  }
}

/** isAuthError: the server wants a (valid) token. */
export function isAuthError(e: unknown): boolean {
  return e instanceof ApiError && e.code === "UNAUTHENTICATED";
}

let onUnauthenticated: ((e: ApiError) => void) | undefined;
/** whenUnauthenticated registers what to do when any call answers 401 (the page shows sign-in). */
export function whenUnauthenticated(fn: (e: ApiError) => void): void {
  onUnauthenticated = fn;
}

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
}

/** describeErrors turns GraphQL errors into one readable sentence per error. */
export function describeErrors(errors: GraphQLError[]): string {
  return errors
    .map((e) => {
      const code = e.extensions?.code ? ` [${e.extensions.code}]` : "";
      const field = e.extensions?.field ? ` (field ${e.extensions.field})` : "";
      return `${e.message}${field}${code}`;
    })
    .join("; ");
}

let endpoint = "/graphql";
/** setEndpoint points the client elsewhere (tests). */
export function setEndpoint(url: string): void {
  endpoint = url;
}

/** gql posts one operation; what is the label used in error messages ("search", …). */
export async function gql<T>(what: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return answer<T>(what, post(query, variables));
}

function post(query: string, variables: Record<string, unknown>): Promise<Response> {
  return fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
}

/** answer reads a response (or the failure to get one) into data or a readable ApiError. */
async function answer<T>(what: string, pending: Promise<Response>): Promise<T> {
  let res: Response;
  try {
    res = await pending;
  } catch (e) {
    throw new ApiError(`Cannot reach the API at ${endpoint} (${what}): ${(e as Error).message}. Is the server running?`);
  }
  const text = await res.text();
  let body: { data?: T; errors?: GraphQLError[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status === 401) {
    const why = body?.errors?.length ? body.errors.map((e) => e.message).join("; ") : text.slice(0, 200) || "no reason given";
    const err = new ApiError(`The server requires you to sign in (${what}): ${why}.`, "UNAUTHENTICATED", 401);
    onUnauthenticated?.(err);
    throw err;
  }
  if (!body) {
    throw new ApiError(`The API answered ${what} with HTTP ${res.status} and no JSON: ${text.slice(0, 200) || "(empty)"}`, undefined, res.status);
  }
  if (body.errors?.length) {
    const code = body.errors[0].extensions?.code;
    if (code === "FORBIDDEN" || res.status === 403) {
      throw new ApiError(`Your role does not allow ${what}: ${describeErrors(body.errors)}`, "FORBIDDEN", res.status);
    }
    throw new ApiError(`The API could not answer ${what}: ${describeErrors(body.errors)}`, code, res.status);
  }
  if (!res.ok || body.data === undefined || body.data === null) {
    throw new ApiError(`The API answered ${what} with HTTP ${res.status} and no data`);
  }
  return body.data;
}

/** The files GET /export.<format> serves: the model as the signed-in viewer may see it. */
export const EXPORT_FORMATS = { json: "JSON", csv: "CSV (zip)", graphml: "GraphML", gexf: "GEXF" } as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/**
 * fetchExport downloads the model in format, with the token: every role may, and gets only
 * what is releasable to its nation (docs/interchange.md). Failures are ApiErrors as for gql.
 */
export async function fetchExport(format: ExportFormat): Promise<Blob> {
  const url = `${endpoint.replace(/\/graphql$/, "")}/export.${format}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: authHeaders() });
  } catch (e) {
    throw new ApiError(`Cannot reach ${url}: ${(e as Error).message}. Is the server running?`);
  }
  if (res.ok) return res.blob();
  // Refusals come as GraphQL-shaped errors: let answer() word them.
  return answer<Blob>(`the ${EXPORT_FORMATS[format]} export`, Promise.resolve(res));
}

/** Ref is a node as analyses name it. */
export interface Ref {
  id: string;
  name: string;
  __typename?: string;
}

export interface Explanation {
  nodes: string[];
  relationships: string[];
}

const REF = "id name __typename";
const EXPL = "explanation { nodes relationships }";

/**
 * loadGraph fetches the whole model in the interchange format (one request). index.html
 * starts that request before the explorer's code has loaded (window.__stakegraphExport,
 * the same operation as Q.exportGraph); it is taken from there once.
 */
export async function loadGraph(): Promise<Doc> {
  const w = globalThis as { __stakegraphExport?: Promise<Response> };
  const early = w.__stakegraphExport;
  delete w.__stakegraphExport;
  let data: { exportGraph: Doc | string };
  try {
    data = await answer<{ exportGraph: Doc | string }>("exportGraph", early ?? post(Q.exportGraph, {}));
  } catch (e) {
    // exportGraph is for administrators; anyone else reads the model page by page.
    if (e instanceof ApiError && e.code === "FORBIDDEN") {
      const doc = await loadGraphPaged();
      loadedPaged = e.message;
      return doc;
    }
    throw e;
  }
  loadedPaged = undefined;
  const doc = typeof data.exportGraph === "string" ? (JSON.parse(data.exportGraph) as Doc) : data.exportGraph;
  return doc;
}

let loadedPaged: string | undefined;
/** pagedBecause says why the last loadGraph read the model page by page (the refusal), if it did. */
export function pagedBecause(): string | undefined {
  return loadedPaged;
}

const NODE_PROPS = "id name description source confidence releasableTo";
const RP = "id source confidence";
/** The six kinds as lists, each node with its outgoing relationships (PAGES[kind] is one page). */
export const PAGES: Record<Label, string> = {
  Nation: `query PageNations($after: String) { page: nations(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} reliability code region
      pursues { ${RP} priority objective { id } } provides { ${RP} validFrom validTo capacity capability { id } }
      partyTo { ${RP} validFrom validTo role agreement { id } } } } }`,
  Agency: `query PageAgencies($after: String) { page: agencies(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} reliability kind nation { id }
      pursues { ${RP} priority objective { id } } provides { ${RP} validFrom validTo capacity capability { id } }
      partyTo { ${RP} validFrom validTo role agreement { id } } coordinatesWith { ${RP} mechanism agency { id } } } } }`,
  Objective: `query PageObjectives($after: String) { page: objectives(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} domain requires { id } addresses { id } conflictsWith { id } } } }`,
  Capability: `query PageCapabilities($after: String) { page: capabilities(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} category dependsOn { id } } } }`,
  Agreement: `query PageAgreements($after: String) { page: agreements(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} reliability kind signed expires governs { id } } } }`,
  Threat: `query PageThreats($after: String) { page: threats(first: 200, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { ${NODE_PROPS} kind } } }`,
};

type Row = Record<string, unknown> & { id: string };
const ID_FIELDS = new Set(["pursues", "provides", "partyTo", "coordinatesWith", "nation", "requires", "addresses", "conflictsWith", "dependsOn", "governs"]);

/** parseRelId reads the API's relationship id TYPE:from->to. */
export function parseRelId(id: string): { type: string; from: string; to: string } | undefined {
  const m = /^([A-Z_]+):(.+?)->(.+)$/.exec(id);
  return m ? { type: m[1], from: m[2], to: m[3] } : undefined;
}

/**
 * docFromPages turns the list pages (nodes with their outgoing relationships, as PAGES asks
 * for them) into an interchange document like exportGraph's. What the server hides from
 * the viewer is absent from the pages, so it is absent here too. COORDINATES_WITH and
 * CONFLICTS_WITH are listed from both ends and kept once; the API's relationship id gives
 * the stored direction where the API returns one.
 */
export function docFromPages(rows: Partial<Record<Label, Row[]>>): Doc {
  const nodes: DocNode[] = [];
  const rels: DocRel[] = [];
  const seen = new Set<string>();
  const add = (type: RelType, from: string, to: string, item?: Record<string, unknown>, keys: string[] = []) => {
    let f = from, t = to;
    const parsed = typeof item?.id === "string" ? parseRelId(item.id) : undefined;
    if (parsed && parsed.type === type) {
      f = parsed.from;
      t = parsed.to;
    }
    const key = `${type}:${f}->${t}`;
    const symmetric = type === "COORDINATES_WITH" || type === "CONFLICTS_WITH";
    if (seen.has(key) || (symmetric && seen.has(`${type}:${t}->${f}`))) return;
    seen.add(key);
    const r: DocRel = { type, from: f, to: t };
    for (const k of ["source", "confidence", ...keys]) {
      const v = item?.[k];
      if (v !== null && v !== undefined) r[k] = v;
    }
    rels.push(r);
  };
  for (const [label, list] of Object.entries(rows) as [Label, Row[]][]) {
    for (const row of list) {
      const n: DocNode = { label, id: row.id };
      for (const [k, v] of Object.entries(row)) {
        if (k === "id" || ID_FIELDS.has(k) || v === null || v === undefined) continue;
        if (k === "releasableTo" && Array.isArray(v) && !v.length) continue;
        n[k] = v;
      }
      nodes.push(n);
      const list = (k: string) => (Array.isArray(row[k]) ? (row[k] as Record<string, unknown>[]) : []);
      const idOf = (x: unknown) => (x as { id: string } | null)?.id;
      for (const p of list("pursues")) add("PURSUES", row.id, idOf(p.objective)!, p, ["priority"]);
      for (const p of list("provides")) add("PROVIDES", row.id, idOf(p.capability)!, p, ["validFrom", "validTo", "capacity"]);
      for (const p of list("partyTo")) add("PARTY_TO", row.id, idOf(p.agreement)!, p, ["validFrom", "validTo", "role"]);
      for (const p of list("coordinatesWith")) add("COORDINATES_WITH", row.id, idOf(p.agency)!, p, ["mechanism"]);
      if (row.nation) add("PART_OF", row.id, idOf(row.nation)!);
      for (const o of list("requires")) add("REQUIRES", row.id, idOf(o)!);
      for (const o of list("addresses")) add("ADDRESSES", row.id, idOf(o)!);
      for (const o of list("conflictsWith")) add("CONFLICTS_WITH", row.id, idOf(o)!);
      for (const o of list("dependsOn")) add("DEPENDS_ON", row.id, idOf(o)!);
      for (const o of list("governs")) add("GOVERNS", row.id, idOf(o)!);
    }
  }
  return { version: 1, nodes, relationships: rels.filter((r) => r.from && r.to) };
}

/** loadGraphPaged reads the model through the six lists, 200 nodes a page. */
export async function loadGraphPaged(): Promise<Doc> {
  const rows: Partial<Record<Label, Row[]>> = {};
  await Promise.all((Object.keys(PAGES) as Label[]).map(async (label) => {
    const out: Row[] = [];
    let after: string | null = null;
    for (;;) {
      const d: { page: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] } } =
        await gql(`the list of ${label.toLowerCase()} nodes`, PAGES[label], { after });
      out.push(...d.page.nodes);
      if (!d.page.pageInfo.hasNextPage || !d.page.pageInfo.endCursor) break;
      after = d.page.pageInfo.endCursor;
    }
    rows[label] = out;
  }));
  return docFromPages(rows);
}

export async function search(text: string, first = 20): Promise<Ref[]> {
  const d = await gql<{ search: Ref[] }>("search", Q.search, { text, first });
  return d.search;
}

const REL_PROPS = "id source confidence";
/**
 * NODE_DETAILS asks for a node's properties and every relationship with its properties.
 * The kind enums differ per type, so each gets an alias (GraphQL would refuse to merge them).
 */
export const NODE_DETAILS = `query Node($id: ID!) {
  node(id: $id) {
    __typename id name description source confidence releasableTo updatedAt
    ... on Stakeholder {
      reliability
      pursues { ${REL_PROPS} priority objective { ${REF} } }
      provides { ${REL_PROPS} validFrom validTo capacity capability { ${REF} } }
      partyTo { ${REL_PROPS} validFrom validTo role agreement { ${REF} } }
    }
    ... on Nation { code region agencies { ${REF} } }
    ... on Agency { agencyKind: kind nation { ${REF} } coordinatesWith { ${REL_PROPS} mechanism agency { ${REF} } } }
    ... on Objective {
      domain
      pursuedBy { ${REL_PROPS} priority stakeholder { ${REF} } }
      requires { ${REF} } addresses { ${REF} } conflictsWith { ${REF} }
    }
    ... on Capability {
      category
      providers { ${REL_PROPS} validFrom validTo capacity provider { ${REF} } }
      dependsOn { ${REF} } dependents { ${REF} } requiredBy { ${REF} } governedBy { ${REF} }
    }
    ... on Agreement {
      agreementReliability: reliability agreementKind: kind signed expires
      parties { ${REL_PROPS} validFrom validTo role party { ${REF} } }
      governs { ${REF} }
    }
    ... on Threat { threatKind: kind addressedBy { ${REF} } }
  }
}`;

const VIEW = "id name state author nation createdAt graphVersion modelChanged deletable";

/** Q holds every operation the explorer sends (test/queries.test.ts validates them against schema/). */
export const Q = {
  exportGraph: "query Export { exportGraph }",
  // index.html sends this same text before the bundle loads (test/api.test.ts checks it).
  size: "query Size { nations(first: 1) { totalCount } agencies(first: 1) { totalCount } objectives(first: 1) { totalCount } capabilities(first: 1) { totalCount } agreements(first: 1) { totalCount } threats(first: 1) { totalCount } }",
  search: `query Search($text: String!, $first: Int) { search(text: $text, first: $first) { ${REF} } }`,
  spof: `query SPOF($objective: ID, $view: View, $asOf: Date) {
      singlePointsOfFailure(objective: $objective, view: $view, asOf: $asOf) {
        objective { ${REF} } achievable cutSets { events { ${REF} } ${EXPL} }
      }
    }`,
  gaps: `query Gaps($kinds: [GapKind!], $asOf: Date, $horizon: Date) {
      gaps(kinds: $kinds, asOf: $asOf, horizon: $horizon) {
        kind objective { ${REF} } capability { ${REF} } stakeholder { ${REF} } threat { ${REF} }
        causedBy cause { kind } ${EXPL}
      }
    }`,
  brokers: `query Brokers($asOf: Date) { brokers(asOf: $asOf) { articulationPoints { ${REF} } bridges { a { ${REF} } b { ${REF} } } ${EXPL} } }`,
  overlap: `query Overlap($a: ID!, $b: ID!, $asOf: Date) {
      overlap(a: $a, b: $b, asOf: $asOf) {
        a { ${REF} } b { ${REF} } score
        shared { objective { ${REF} } priorityA priorityB }
        conflicts { objectiveA { ${REF} } objectiveB { ${REF} } ${EXPL} }
        ${EXPL}
      }
    }`,
  coalitions: `query Coalitions($threshold: Float, $asOf: Date) {
      coalitions(threshold: $threshold, asOf: $asOf) { threshold modularity communities { ${REF} } ${EXPL} }
    }`,
  whatIf: `query WhatIf($down: [ID!]!, $view: View, $asOf: Date) {
      whatIf(down: $down, view: $view, asOf: $asOf) {
        down { ${REF} }
        objectives { node { ${REF} } ${EXPL} }
        capabilities { node { ${REF} } ${EXPL} }
      }
    }`,
  resilience: `query Resilience($objective: ID!, $view: View, $asOf: Date) {
      resilience(objective: $objective, view: $view, asOf: $asOf) {
        objective { ${REF} } achievable minCutOrder probability
        importance { event { ${REF} } birnbaum fussellVesely raw rrw }
      }
    }`,
  impact: `query Impact($id: ID!, $view: View, $asOf: Date) {
      impact(id: $id, view: $view, asOf: $asOf) {
        node { ${REF} } capabilities { ${REF} } objectives { ${REF} } stakeholders { ${REF} } singlePointOf { ${REF} } ${EXPL}
      }
    }`,
  partners: `query Partners($of: ID!, $first: Int, $asOf: Date) {
      partners(of: $of, first: $first, asOf: $asOf) {
        a { ${REF} } b { ${REF} } score
        shared { objective { ${REF} } priorityA priorityB }
        conflicts { objectiveA { ${REF} } objectiveB { ${REF} } ${EXPL} }
      }
    }`,
  compare: `query Compare($asOf: Date, $to: Date, $down: [ID!], $view: View, $threshold: Float) {
      compare(asOf: $asOf, scenarioAsOf: $to, down: $down, view: $view, threshold: $threshold) {
        baselineAsOf scenarioAsOf down { ${REF} } threshold empty
        gapsAppeared { kind objective { ${REF} } capability { ${REF} } stakeholder { ${REF} } threat { ${REF} } causedBy cause { kind } ${EXPL} }
        gapsDisappeared { kind objective { ${REF} } capability { ${REF} } stakeholder { ${REF} } threat { ${REF} } causedBy cause { kind } ${EXPL} }
        singlePointsAppeared { objective { ${REF} } event { ${REF} } ${EXPL} }
        singlePointsDisappeared { objective { ${REF} } event { ${REF} } ${EXPL} }
        objectivesLost { objective { ${REF} } ${EXPL} }
        objectivesGained { objective { ${REF} } ${EXPL} }
        coalitionMoves { nation { ${REF} } before { ${REF} } after { ${REF} } baselineExplanation { nodes relationships } scenarioExplanation { nodes relationships } }
      }
    }`,
  hangingOn: `query Hanging($asOf: Date) { hangingOn(asOf: $asOf) { event { id } objectives { id } } }`,
  nodeDetails: NODE_DETAILS,
  savedViews: `query SavedViews { savedViews { ${VIEW} } }`,
  saveView: `mutation SaveView($name: String!, $state: String!) { saveView(name: $name, state: $state) { ${VIEW} } }`,
  deleteView: "mutation DeleteView($id: ID!) { deleteView(id: $id) }",
};

export type NodeDetails = Record<string, unknown> & { __typename: string; id: string; name: string };

export async function nodeDetails(id: string): Promise<NodeDetails | null> {
  const d = await gql<{ node: NodeDetails | null }>(`the details of ${id}`, Q.nodeDetails, { id });
  return d.node;
}

export interface ObjectiveCutSets {
  objective: Ref;
  achievable: boolean;
  cutSets: { events: Ref[]; explanation: Explanation }[];
}

export async function singlePointsOfFailure(objective: string, view: string | undefined, asOf: string | undefined): Promise<ObjectiveCutSets[]> {
  const d = await gql<{ singlePointsOfFailure: ObjectiveCutSets[] }>(
    "single points of failure", Q.spof,
    { objective, view: view ? { stakeholder: view } : null, asOf: asOf ?? null },
  );
  return d.singlePointsOfFailure;
}

export interface Gap {
  kind: GapKind;
  objective: Ref | null;
  capability: Ref | null;
  stakeholder: Ref | null;
  threat: Ref | null;
  causedBy: string[];
  cause: { kind: GapKind } | null;
  explanation: Explanation;
}

export async function gaps(kind: GapKind | undefined, asOf: string | undefined, horizon: string | undefined): Promise<Gap[]> {
  const d = await gql<{ gaps: Gap[] }>(
    "gaps", Q.gaps,
    { kinds: kind ? [kind] : null, asOf: asOf ?? null, horizon: horizon ?? null },
  );
  return d.gaps;
}

export interface Brokers {
  articulationPoints: Ref[];
  bridges: { a: Ref; b: Ref }[];
  explanation: Explanation;
}

export async function brokers(asOf: string | undefined): Promise<Brokers> {
  const d = await gql<{ brokers: Brokers }>(
    "brokers", Q.brokers,
    { asOf: asOf ?? null },
  );
  return d.brokers;
}

export interface Overlap {
  a: Ref;
  b: Ref;
  score: number;
  shared: { objective: Ref; priorityA: number; priorityB: number }[];
  conflicts: { objectiveA: Ref; objectiveB: Ref; explanation: Explanation }[];
  explanation: Explanation;
}

export async function overlap(a: string, b: string, asOf: string | undefined): Promise<Overlap> {
  const d = await gql<{ overlap: Overlap }>(
    "the overlap", Q.overlap,
    { a, b, asOf: asOf ?? null },
  );
  return d.overlap;
}

export interface Coalitions {
  threshold: number;
  modularity: number;
  communities: Ref[][];
  explanation: Explanation;
}

export async function coalitions(threshold: number | undefined, asOf: string | undefined): Promise<Coalitions> {
  const d = await gql<{ coalitions: Coalitions }>(
    "coalitions", Q.coalitions,
    { threshold: threshold ?? 0.2, asOf: asOf ?? null },
  );
  return d.coalitions;
}

export interface WhatIf {
  down: Ref[];
  objectives: { node: Ref; explanation: Explanation }[];
  capabilities: { node: Ref; explanation: Explanation }[];
}

export async function whatIf(down: string[], view: string | undefined, asOf: string | undefined): Promise<WhatIf> {
  const d = await gql<{ whatIf: WhatIf }>(
    "the what-if", Q.whatIf,
    { down, view: view ? { stakeholder: view } : null, asOf: asOf ?? null },
  );
  return d.whatIf;
}

/** hangingOn counts, per basic event, the objectives for which it is a single point of failure. */
export async function hangingOn(asOf: string | undefined): Promise<Map<string, number>> {
  const d = await gql<{ hangingOn: { event: Ref; objectives: Ref[] }[] }>(
    "objectives hanging on each stakeholder and agreement", Q.hangingOn,
    { asOf: asOf ?? null },
  );
  return new Map(d.hangingOn.map((h) => [h.event.id, h.objectives.length]));
}

export interface Importance {
  event: Ref;
  birnbaum: number;
  fussellVesely: number;
  /** null when undefined (the objective cannot fail). */
  raw: number | null;
  /** null when unbounded (this event perfect removes every way to fail). */
  rrw: number | null;
}

export interface Resilience {
  objective: Ref;
  achievable: boolean;
  minCutOrder: number;
  probability: number;
  importance: Importance[];
}

export async function resilience(objective: string, view: string | undefined, asOf: string | undefined): Promise<Resilience> {
  const d = await gql<{ resilience: Resilience }>(
    "the resilience", Q.resilience,
    { objective, view: view ? { stakeholder: view } : null, asOf: asOf ?? null },
  );
  return d.resilience;
}

export interface Impact {
  node: Ref;
  capabilities: Ref[];
  objectives: Ref[];
  stakeholders: Ref[];
  singlePointOf: Ref[];
  explanation: Explanation;
}

export async function impact(id: string, view: string | undefined, asOf: string | undefined): Promise<Impact> {
  const d = await gql<{ impact: Impact }>(
    "the impact", Q.impact,
    { id, view: view ? { stakeholder: view } : null, asOf: asOf ?? null },
  );
  return d.impact;
}

/** Partners are overlaps without the overall explanation (a is the stakeholder asked about). */
export type Partner = Omit<Overlap, "explanation">;

export async function partners(of: string, first: number, asOf: string | undefined): Promise<Partner[]> {
  const d = await gql<{ partners: Partner[] }>(
    "the partners", Q.partners,
    { of, first, asOf: asOf ?? null },
  );
  return d.partners;
}

/** modelSize counts the nodes the viewer can see (six counts, one small request). */
export async function modelSize(): Promise<number> {
  // index.html started this request with the export's (window.__stakegraphSize); taken once.
  const w = globalThis as { __stakegraphSize?: Promise<Response> };
  const early = w.__stakegraphSize;
  delete w.__stakegraphSize;
  const d = await answer<Record<string, { totalCount: number }>>("the size of the model", early ?? post(Q.size, {}));
  return Object.values(d).reduce((n, c) => n + c.totalCount, 0);
}

/** A single point of failure that appears or disappears in a comparison. */
export interface SinglePointChange {
  objective: Ref;
  event: Ref;
  explanation: Explanation;
}

/** The differences between a baseline and a scenario (compare). */
export interface Comparison {
  baselineAsOf: string;
  scenarioAsOf: string;
  down: Ref[];
  threshold: number;
  empty: boolean;
  gapsAppeared: Gap[];
  gapsDisappeared: Gap[];
  singlePointsAppeared: SinglePointChange[];
  singlePointsDisappeared: SinglePointChange[];
  objectivesLost: { objective: Ref; explanation: Explanation }[];
  objectivesGained: { objective: Ref; explanation: Explanation }[];
  coalitionMoves: { nation: Ref; before: Ref[]; after: Ref[]; baselineExplanation: Explanation; scenarioExplanation: Explanation }[];
}

export async function compare(asOf: string | undefined, to: string | undefined, down: string[], view: string | undefined, threshold: number | undefined): Promise<Comparison> {
  const d = await gql<{ compare: Comparison }>(
    "the comparison", Q.compare,
    { asOf: asOf ?? null, to: to ?? null, down, view: view ? { stakeholder: view } : null, threshold: threshold ?? 0.2 },
  );
  return d.compare;
}

/** savedViews lists the saved views the viewer may see, newest first. */
export async function savedViews(): Promise<SavedView[]> {
  return (await gql<{ savedViews: SavedView[] }>("the saved views", Q.savedViews)).savedViews;
}

/** saveView saves state (a URL query string without "?") under name. */
export async function saveView(name: string, state: string): Promise<SavedView> {
  return (await gql<{ saveView: SavedView }>("saving the view", Q.saveView, { name, state })).saveView;
}

/** deleteView deletes the saved view id (its author's or an administrator's). */
export async function deleteView(id: string): Promise<void> {
  await gql<{ deleteView: boolean }>("deleting the view", Q.deleteView, { id });
}
