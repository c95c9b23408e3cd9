// The bearer token the explorer and GraphiQL send when the server requires authentication
// (docs/security.md). It is kept in sessionStorage only — this tab, until it is closed or
// the user signs out — never in localStorage, a cookie or the URL. Pure functions over a
// Storage-like object, so that they are unit-tested without a browser.

/** The sessionStorage key holding the token (index.html's inline script reads it too). */
export const TOKEN_KEY = "stakegraph.token";

/** The part of Storage used here (sessionStorage in the page, a Map-backed fake in tests). */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** sessionStore is the tab's sessionStorage, or undefined where there is none (or it is blocked). */
export function sessionStore(): TokenStore | undefined {
  try {
    return (globalThis as { sessionStorage?: TokenStore }).sessionStorage;
  } catch {
    return undefined;
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const API_TOKEN = /^sgt_[A-Za-z0-9_-]{43}$/;

/** The result of reading what a user pasted: the token, or why it cannot be one. */
export interface Parsed {
  token?: string;
  kind?: "JWT" | "API token";
  problem?: string;
}

/**
 * parseToken reads a pasted token: surrounding spaces and a leading "Bearer " are dropped.
 * A JWT is three base64url parts separated by dots; an API token is sgt_ and 43 base64url
 * characters. Anything else is refused with a reason (the server would refuse it anyway).
 */
export function parseToken(raw: string): Parsed {
  let t = raw.trim();
  if (/^bearer\s+/i.test(t)) t = t.replace(/^bearer\s+/i, "").trim();
  if (!t) return { problem: "Paste a token first." };
  if (/\s/.test(t)) return { problem: "A token has no spaces or line breaks inside it." };
  if (t.includes(".")) {
    const parts = t.split(".");
    if (parts.length !== 3 || !parts.every((p) => p.length > 0 && B64URL.test(p))) {
      return { problem: "This looks like a JWT but is not three base64url parts separated by dots." };
    }
    return { token: t, kind: "JWT" };
  }
  if (t.startsWith("sgt_")) {
    if (!API_TOKEN.test(t)) return { problem: "An API token is sgt_ followed by 43 base64url characters." };
    return { token: t, kind: "API token" };
  }
  return { problem: "This is neither a JWT (three parts separated by dots) nor an API token (sgt_…)." };
}

/** getToken returns the stored token, if any. */
export function getToken(store: TokenStore | undefined = sessionStore()): string | undefined {
  try {
    return store?.getItem(TOKEN_KEY) || undefined;
  } catch {
    return undefined;
  }
}

/** setToken stores a token after checking its form; it returns the problem when it refuses. */
export function setToken(raw: string, store: TokenStore | undefined = sessionStore()): string | undefined {
  const p = parseToken(raw);
  if (!p.token) return p.problem;
  if (!store) return "This browser does not allow session storage, so the token cannot be kept.";
  store.setItem(TOKEN_KEY, p.token);
  return undefined;
}

/** clearToken forgets the token (sign out). */
export function clearToken(store: TokenStore | undefined = sessionStore()): void {
  try {
    store?.removeItem(TOKEN_KEY);
  } catch {
    // nothing stored
  }
}

/** authHeaders is the Authorization header for the stored token, or nothing. */
export function authHeaders(store: TokenStore | undefined = sessionStore()): Record<string, string> {
  const t = getToken(store);
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/**
 * mergeHeaders is what GraphiQL sends: the stored token by default, but a header typed in
 * GraphiQL's headers editor wins — an Authorization header there (in any letter case)
 * replaces the stored one.
 */
export function mergeHeaders(stored: Record<string, string>, typed: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const typedKeys = new Set(Object.keys(typed ?? {}).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(stored)) if (!typedKeys.has(k.toLowerCase())) out[k] = v;
  for (const [k, v] of Object.entries(typed ?? {})) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

/** Who a token says it is, read from a JWT's claims without verifying them (for display only). */
export interface Who {
  kind: "JWT" | "API token";
  subject?: string;
  role?: string;
  nation?: string;
  expires?: Date;
}

function b64urlDecode(s: string): string {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** whoIs describes a token for the header ("alice · analyst · USA"); the server alone decides. */
export function whoIs(token: string): Who {
  if (!token.includes(".")) return { kind: "API token" };
  try {
    const c = JSON.parse(b64urlDecode(token.split(".")[1])) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
    return {
      kind: "JWT",
      subject: str(c.sub),
      role: str(c.role),
      nation: str(c.nation),
      expires: typeof c.exp === "number" ? new Date(c.exp * 1000) : undefined,
    };
  } catch {
    return { kind: "JWT" };
  }
}

/** whoText is the one-line description of a token shown next to "Sign out". */
export function whoText(token: string): string {
  const w = whoIs(token);
  if (w.kind === "API token") return "signed in with an API token";
  const parts = [w.subject ?? "unknown subject", w.role, w.nation].filter(Boolean);
  return `signed in as ${parts.join(" · ")}`;
}
