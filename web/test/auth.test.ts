import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, gql, isAuthError, whenUnauthenticated } from "../src/api";
import * as auth from "../src/auth";

/** A Map-backed Storage, standing in for sessionStorage. */
function memory(): auth.TokenStore & { m: Map<string, string> } {
  const m = new Map<string, string>();
  return { m, getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const jwt = (claims: object) => `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.c2lnbmF0dXJl`;
const API_TOKEN = "sgt_" + "A".repeat(40) + "b-_";

afterEach(() => vi.unstubAllGlobals());

describe("parseToken", () => {
  it("accepts a JWT and an API token, dropping spaces and a Bearer prefix", () => {
    const t = jwt({ sub: "alice" });
    expect(auth.parseToken(`  Bearer ${t}\n`)).toEqual({ token: t, kind: "JWT" });
    expect(auth.parseToken(API_TOKEN)).toEqual({ token: API_TOKEN, kind: "API token" });
  });
  it("refuses what cannot be a token, saying why", () => {
    expect(auth.parseToken("   ").problem).toMatch(/Paste a token/);
    expect(auth.parseToken("a.b").problem).toMatch(/three base64url parts/);
    expect(auth.parseToken("a.b+c.d").problem).toMatch(/three base64url parts/);
    expect(auth.parseToken("sgt_short").problem).toMatch(/43 base64url/);
    expect(auth.parseToken("hunter2").problem).toMatch(/neither a JWT/);
    expect(auth.parseToken("ab cd.e.f").problem).toMatch(/no spaces/);
  });
});

describe("the stored token", () => {
  it("is kept under one key, sent as a bearer header, and forgotten on sign-out", () => {
    const s = memory();
    expect(auth.authHeaders(s)).toEqual({});
    expect(auth.setToken(` ${API_TOKEN} `, s)).toBeUndefined();
    expect([...s.m.keys()]).toEqual([auth.TOKEN_KEY]);
    expect(auth.getToken(s)).toBe(API_TOKEN);
    expect(auth.authHeaders(s)).toEqual({ Authorization: `Bearer ${API_TOKEN}` });
    auth.clearToken(s);
    expect(auth.getToken(s)).toBeUndefined();
    expect(auth.authHeaders(s)).toEqual({});
  });
  it("is not stored when malformed", () => {
    const s = memory();
    expect(auth.setToken("nope", s)).toMatch(/neither/);
    expect(s.m.size).toBe(0);
  });
  it("defaults to sessionStorage, never localStorage", () => {
    const session = memory();
    const local = memory();
    vi.stubGlobal("sessionStorage", session);
    vi.stubGlobal("localStorage", local);
    auth.setToken(API_TOKEN);
    expect(session.m.get(auth.TOKEN_KEY)).toBe(API_TOKEN);
    expect(local.m.size).toBe(0);
    expect(auth.authHeaders()).toEqual({ Authorization: `Bearer ${API_TOKEN}` });
  });
});

describe("GraphiQL headers", () => {
  it("send the stored token unless the headers editor sets Authorization", () => {
    const stored = { "Content-Type": "application/json", Authorization: "Bearer stored" };
    expect(auth.mergeHeaders(stored, undefined)).toEqual(stored);
    expect(auth.mergeHeaders(stored, { "X-Trace": "1" })).toEqual({ ...stored, "X-Trace": "1" });
    expect(auth.mergeHeaders(stored, { authorization: "Bearer typed" })).toEqual({ "Content-Type": "application/json", authorization: "Bearer typed" });
  });
});

describe("whoIs", () => {
  it("reads a JWT's claims for display and says an API token is one", () => {
    const t = jwt({ sub: "alice", role: "analyst", nation: "USA", exp: 2000000000 });
    expect(auth.whoIs(t)).toEqual({ kind: "JWT", subject: "alice", role: "analyst", nation: "USA", expires: new Date(2000000000 * 1000) });
    expect(auth.whoText(t)).toBe("signed in as alice · analyst · USA");
    expect(auth.whoText(API_TOKEN)).toBe("signed in with an API token");
    expect(auth.whoIs("x.!!.y")).toEqual({ kind: "JWT" });
  });
});

describe("the client and authentication", () => {
  it("sends the stored token on every request", async () => {
    const session = memory();
    vi.stubGlobal("sessionStorage", session);
    auth.setToken(API_TOKEN);
    const f = vi.fn(async (_u: string, _init: RequestInit) => new Response(JSON.stringify({ data: { x: 1 } })));
    vi.stubGlobal("fetch", f);
    await gql("x", "{x}");
    expect((f.mock.calls[0][1].headers as Record<string, string>).Authorization).toBe(`Bearer ${API_TOKEN}`);
  });
  it("turns HTTP 401 into UNAUTHENTICATED and tells the page", async () => {
    vi.stubGlobal("sessionStorage", memory());
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ errors: [{ message: "missing bearer token", extensions: { code: "UNAUTHENTICATED" } }] }), { status: 401 })));
    const seen: ApiError[] = [];
    whenUnauthenticated((e) => seen.push(e));
    const err = (await gql("search", "{x}").catch((e) => e)) as ApiError;
    expect(isAuthError(err)).toBe(true);
    expect(err.status).toBe(401);
    expect(err.message).toBe("The server requires you to sign in (search): missing bearer token.");
    expect(seen).toEqual([err]);
    whenUnauthenticated(() => {});
  });
  it("says which action the role does not allow on FORBIDDEN", async () => {
    vi.stubGlobal("sessionStorage", memory());
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ errors: [{ message: "exportGraph needs the role admin; this token's role is analyst", extensions: { code: "FORBIDDEN" } }], data: null }))));
    const err = (await gql("exportGraph", "{x}").catch((e) => e)) as ApiError;
    expect(err.code).toBe("FORBIDDEN");
    expect(err.message).toBe("Your role does not allow exportGraph: exportGraph needs the role admin; this token's role is analyst [FORBIDDEN]");
  });
});
