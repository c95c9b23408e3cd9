import { describe, expect, it } from "vitest";
import { decode, encode, emptyState } from "../src/urlstate";
import { checkName, checkState, describe as describeView, MAX_NAME_CHARS, MAX_STATE_BYTES, stateOf, urlOf, type SavedView } from "../src/views";

const view = (over: Partial<SavedView> = {}): SavedView => ({
  id: "view:1", name: "Gaps of Poland", state: "overlay=gaps&sel=nation%3APOL", author: "alice", nation: "POL",
  createdAt: "2026-11-30T23:05:41.123Z", graphVersion: "e/3", modelChanged: false, deletable: true, ...over,
});

describe("saved view state", () => {
  it("saves the query string without ? and opens the same URL state", () => {
    const s = { ...emptyState(), sel: "nation:POL", overlay: "gaps" as const, asOf: "2026-01-02" };
    const search = "?" + encode(s);
    const saved = stateOf(search);
    expect(saved.startsWith("?")).toBe(false);
    const url = urlOf("/", saved);
    expect(decode(url.slice(url.indexOf("?"))).state).toEqual(decode(search).state);
    expect(urlOf("/", stateOf(""))).toBe("/");
  });
  it("refuses a state over the server's limit and accepts one at it", () => {
    expect(checkState("q=" + "x".repeat(MAX_STATE_BYTES - 2))).toBeUndefined();
    expect(checkState("q=" + "x".repeat(MAX_STATE_BYTES - 1))).toMatch(/4097 bytes/);
  });
});

describe("saved view names", () => {
  it.each([
    ["", /name/],
    ["   ", /name/],
    ["\u200b", /name/],
    ["a\nb", /one line/],
    ["n".repeat(MAX_NAME_CHARS + 1), /at most 200/],
  ])("refuses %j", (name, why) => {
    expect(checkName(name)).toMatch(why);
  });
  it("accepts a name at the limit, counted in characters", () => {
    expect(checkName("é".repeat(MAX_NAME_CHARS))).toBeUndefined();
    expect(checkName(" Gaps ")).toBeUndefined();
  });
});

describe("saved view line", () => {
  it("says who saved it and when", () => {
    expect(describeView(view())).toBe("by alice · 2026-11-30 23:05 UTC");
  });
  it("notes a model changed since", () => {
    expect(describeView(view({ modelChanged: true }))).toMatch(/^by alice · 2026-11-30 23:05 UTC · the model has changed since/);
  });
});
