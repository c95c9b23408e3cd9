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
