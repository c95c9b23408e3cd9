import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, gql, loadGraph } from "../src/api";

function answer(status: number, body: string) {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(body, { status })));
}

afterEach(() => vi.unstubAllGlobals());

describe("gql", () => {
  it("returns data", async () => {
    answer(200, JSON.stringify({ data: { x: 1 } }));
    await expect(gql("x", "{x}")).resolves.toEqual({ x: 1 });
  });
  it("says when the server cannot be reached", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("Failed to fetch"); }));
    await expect(gql("search", "{x}")).rejects.toThrow(/Cannot reach the API at \/graphql \(search\): Failed to fetch/);
  });
  it("says when the answer is not JSON", async () => {
    answer(502, "Bad Gateway");
    await expect(gql("search", "{x}")).rejects.toThrow(/HTTP 502 and no JSON: Bad Gateway/);
  });
  it("passes GraphQL errors on with their code", async () => {
    answer(200, JSON.stringify({ errors: [{ message: "no objective \"o\"", extensions: { code: "NOT_FOUND" } }], data: null }));
    const err = (await gql("cut sets", "{x}").catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('The API could not answer cut sets: no objective "o" [NOT_FOUND]');
    expect(err.code).toBe("NOT_FOUND");
  });
  it("loads the graph whether exportGraph is an object or a JSON string", async () => {
    const doc = { version: 1, nodes: [], relationships: [] };
    answer(200, JSON.stringify({ data: { exportGraph: doc } }));
    await expect(loadGraph()).resolves.toEqual(doc);
    answer(200, JSON.stringify({ data: { exportGraph: JSON.stringify(doc) } }));
    await expect(loadGraph()).resolves.toEqual(doc);
  });
});

describe("the model page by page (for non-administrators)", () => {
  it("is built from the lists with their outgoing relationships, symmetric ones once", async () => {
    const { docFromPages } = await import("../src/api");
    const doc = docFromPages({
      Nation: [{ id: "nation:USA", name: "United States", code: "USA", releasableTo: [], reliability: null,
        pursues: [{ id: "PURSUES:nation:USA->obj:a", priority: 5, source: "s", confidence: null, objective: { id: "obj:a" } }],
        provides: [{ id: "PROVIDES:nation:USA->cap:c", validFrom: "2020-01-01", validTo: null, capacity: null, source: null, confidence: 0.9, capability: { id: "cap:c" } }],
        partyTo: [] }],
      Agency: [
        { id: "agency:x", name: "X", kind: "MILITARY", releasableTo: ["USA"], nation: { id: "nation:USA" }, pursues: [], provides: [], partyTo: [],
          coordinatesWith: [{ id: "COORDINATES_WITH:agency:y->agency:x", mechanism: "LIAISON", agency: { id: "agency:y" } }] },
        { id: "agency:y", name: "Y", kind: "CIVIL", releasableTo: [], nation: null, pursues: [], provides: [], partyTo: [],
          coordinatesWith: [{ id: "COORDINATES_WITH:agency:y->agency:x", mechanism: "LIAISON", agency: { id: "agency:x" } }] },
      ],
      Objective: [
        { id: "obj:a", name: "A", domain: "AIR", releasableTo: [], requires: [{ id: "cap:c" }], addresses: [], conflictsWith: [{ id: "obj:b" }] },
        { id: "obj:b", name: "B", domain: "AIR", releasableTo: [], requires: [], addresses: [], conflictsWith: [{ id: "obj:a" }] },
      ],
      Capability: [{ id: "cap:c", name: "C", releasableTo: [], dependsOn: [] }],
    });
    expect(doc.nodes.find((n) => n.id === "agency:x")).toEqual({ label: "Agency", id: "agency:x", name: "X", kind: "MILITARY", releasableTo: ["USA"] });
    expect(doc.nodes.find((n) => n.id === "nation:USA")).toEqual({ label: "Nation", id: "nation:USA", name: "United States", code: "USA" });
    expect(doc.relationships).toEqual([
      { type: "PURSUES", from: "nation:USA", to: "obj:a", source: "s", priority: 5 },
      { type: "PROVIDES", from: "nation:USA", to: "cap:c", confidence: 0.9, validFrom: "2020-01-01" },
      { type: "COORDINATES_WITH", from: "agency:y", to: "agency:x", mechanism: "LIAISON" },
      { type: "PART_OF", from: "agency:x", to: "nation:USA" },
      { type: "REQUIRES", from: "obj:a", to: "cap:c" },
      { type: "CONFLICTS_WITH", from: "obj:a", to: "obj:b" },
    ]);
  });
  it("falls back to the lists when exportGraph is refused to the role", async () => {
    const empty = { page: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } };
    const calls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (_u: string, init: RequestInit) => {
      const q = JSON.parse(init.body as string).query as string;
      calls.push(q.split("(")[0]);
      if (q.includes("exportGraph")) return new Response(JSON.stringify({ errors: [{ message: "exportGraph needs the role admin; this token's role is viewer", extensions: { code: "FORBIDDEN" } }], data: null }));
      if (q.startsWith("query PageThreats")) return new Response(JSON.stringify({ data: { page: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ id: "threat:t", name: "T", kind: "CYBER", releasableTo: [] }] } } }));
      return new Response(JSON.stringify({ data: empty }));
    }));
    const { pagedBecause } = await import("../src/api");
    const doc = await loadGraph();
    expect(doc.nodes).toEqual([{ label: "Threat", id: "threat:t", name: "T", kind: "CYBER" }]);
    expect(calls.length).toBe(7);
    expect(pagedBecause()).toMatch(/Your role does not allow exportGraph/);
  });
});

describe("the early requests of index.html", () => {
  it("sends exactly the operations the client would", async () => {
    const { readFileSync } = await import("node:fs");
    const { Q } = await import("../src/api");
    const html = readFileSync(new URL("../index.html", import.meta.url), "utf8");
    expect(html).toContain(JSON.stringify(Q.size).slice(1, -1));
    expect(html).toContain(JSON.stringify(Q.exportGraph).slice(1, -1));
  });
});
