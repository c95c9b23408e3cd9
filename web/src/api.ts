// The explorer's only way to the data: the public GraphQL API at /graphql. Every failure
// becomes an ApiError whose message a person can read (what was asked, what went wrong).
import type { Doc } from "./model";
import type { GapKind } from "./urlstate";

/** ApiError is a failed API call, with a message fit for the page. */
export class ApiError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = "ApiError";
  }
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
    headers: { "Content-Type": "application/json", Accept: "application/json" },
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
  let body: { data?: T; errors?: GraphQLError[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`The API answered ${what} with HTTP ${res.status} and no JSON: ${text.slice(0, 200) || "(empty)"}`);
  }
  if (body.errors?.length) {
    throw new ApiError(`The API could not answer ${what}: ${describeErrors(body.errors)}`, body.errors[0].extensions?.code);
  }
  if (!res.ok || body.data === undefined || body.data === null) {
    throw new ApiError(`The API answered ${what} with HTTP ${res.status} and no data`);
  }
  return body.data;
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
  const data = await answer<{ exportGraph: Doc | string }>("exportGraph", early ?? post(Q.exportGraph, {}));
  const doc = typeof data.exportGraph === "string" ? (JSON.parse(data.exportGraph) as Doc) : data.exportGraph;
  return doc;
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

/** Q holds every operation the explorer sends (test/queries.test.ts validates them against schema/). */
export const Q = {
  exportGraph: "query Export { exportGraph }",
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
  hangingOn: `query Hanging($asOf: Date) { hangingOn(asOf: $asOf) { event { id } objectives { id } } }`,
  nodeDetails: NODE_DETAILS,
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
