import { describe, expect, it } from "vitest";
import { decode, emptyState, encode, idsInState, isDate, type ViewState } from "../src/urlstate";

describe("URL state", () => {
  it("round-trips a full state", () => {
    const s: ViewState = {
      sel: "cap:air-refuelling", overlay: "whatif", view: "nation:FRA", down: ["nation:USA", "agr:nat"], asOf: "2027-03-01",
      kinds: ["Nation", "Capability"], region: "Europe", domain: "AIR",
      agreement: "agr:nat", size: "hanging", rest: "dim", all: true,
    };
    const d = decode(encode(s));
    expect(d.problems).toEqual([]);
    expect(d.state).toEqual(s);
  });

  it("holds only the current analysis's settings", () => {
    const all: ViewState = {
      ...emptyState(), objective: "obj:x", view: "nation:FRA", of: "agr:nat", gap: "ACCESS", a: "nation:USA", b: "nation:FRA",
      threshold: 0.35, down: ["nation:USA"], horizon: "2028-01-01", rest: "dim", all: true,
    };
    expect(encode({ ...all, overlay: "impact" })).toBe("overlay=impact&view=nation%3AFRA&of=agr%3Anat&rest=dim&all=1");
    expect(encode({ ...all, overlay: "gaps" })).toBe("overlay=gaps&gap=ACCESS&horizon=2028-01-01&rest=dim&all=1");
    expect(encode({ ...all, overlay: "brokers" })).toBe("overlay=brokers&rest=dim&all=1");
    expect(encode({ ...all, overlay: undefined })).toBe("");
    // A link carrying other analyses' settings opens the view without them.
    expect(decode("overlay=impact&of=nation:USA&objective=obj:x&a=FRA&b=DEU&down=USA").state).toEqual({ ...emptyState(), overlay: "impact", of: "nation:USA" });
  });

  it("names the new overlays and their node in the URL", () => {
    for (const overlay of ["resilience", "impact", "partners"] as const) {
      const s: ViewState = { ...emptyState(), overlay, of: "nation:USA", objective: "obj:x" };
      const want = overlay === "resilience" ? `overlay=${overlay}&objective=obj%3Ax` : `overlay=${overlay}&of=nation%3AUSA`;
      expect(encode(s)).toBe(want);
    }
    expect(idsInState({ ...emptyState(), overlay: "partners", of: "nation:X" })).toEqual([{ id: "nation:X", where: "partners' stakeholder" }]);
  });

  it("encodes the empty state as an empty query and decodes it back", () => {
    expect(encode(emptyState())).toBe("");
    expect(decode("").state).toEqual(emptyState());
  });

  it("escapes ids with reserved characters", () => {
    const s = { ...emptyState(), sel: "agency:a&b=c,d" };
    const q = encode(s);
    expect(q).not.toContain("&b=");
    expect(decode("?" + q).state.sel).toBe("agency:a&b=c,d");
  });

  it("writes keys in a fixed order so equal views give equal URLs", () => {
    expect(encode({ ...emptyState(), asOf: "2027-01-01", sel: "x" })).toBe("sel=x&asOf=2027-01-01");
  });

  it("drops what it cannot use and says so", () => {
    const d = decode("overlay=nope&asOf=2027-02-30&kinds=Nation,Ship&threshold=7&size=huge&gap=BAD&sel=ok");
    expect(d.state.overlay).toBeUndefined();
    expect(d.state.asOf).toBeUndefined();
    expect(d.state.kinds).toEqual(["Nation"]);
    expect(d.state.threshold).toBeUndefined();
    expect(d.state.size).toBe("degree");
    expect(d.state.sel).toBe("ok");
    expect(d.problems).toHaveLength(6);
    expect(d.problems.join("\n")).toMatch(/unknown overlay "nope"/);
    expect(d.problems.join("\n")).toMatch(/asOf "2027-02-30".*not a date/);
  });

  it("checks calendar dates", () => {
    expect(isDate("2024-02-29")).toBe(true);
    expect(isDate("2023-02-29")).toBe(false);
    expect(isDate("2023-2-01")).toBe(false);
  });

  it("lists the ids a state names, to check them against the model", () => {
    const s = { ...emptyState(), sel: "a", objective: "o", down: ["d1", "d2"] };
    expect(idsInState(s)).toEqual([
      { id: "a", where: "selection" }, { id: "o", where: "objective" },
      { id: "d1", where: "what-if" }, { id: "d2", where: "what-if" },
    ]);
  });
});
