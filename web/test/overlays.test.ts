import { describe, expect, it } from "vitest";
import type * as api from "../src/api";
import { describeErrors } from "../src/api";
import * as ov from "../src/overlays";

const ref = (id: string, t = "Nation"): api.Ref => ({ id, name: id.toUpperCase(), __typename: t });
const ex = (nodes: string[], relationships: string[] = []): api.Explanation => ({ nodes, relationships });

describe("single points of failure", () => {
  const res: api.ObjectiveCutSets[] = [{
    objective: ref("obj:air", "Objective"),
    achievable: true,
    cutSets: [
      { events: [ref("nation:USA")], explanation: ex(["obj:air", "cap:aar", "nation:USA"], ["REQUIRES:obj:air->cap:aar", "PROVIDES:nation:USA->cap:aar"]) },
      { events: [ref("agr:nat", "Agreement")], explanation: ex(["obj:air", "cap:sat", "agr:nat"], ["GOVERNS:agr:nat->cap:sat"]) },
      { events: [ref("nation:FRA"), ref("nation:GBR")], explanation: ex(["cap:other"]) },
    ],
  }];
  const h = ov.spofHighlight(res);

  it("highlights exactly the objective, the order-1 events and their explanations", () => {
    expect(ov.highlightedIds(h)).toEqual(["agr:nat", "cap:aar", "cap:sat", "nation:USA", "obj:air"]);
  });
  it("marks the events primary and the objective focus", () => {
    expect(h.nodes.get("nation:USA")).toBe("primary");
    expect(h.nodes.get("agr:nat")).toBe("primary");
    expect(h.nodes.get("obj:air")).toBe("focus");
    expect(h.nodes.get("cap:aar")).toBe("highlight");
  });
  it("draws the explanation's relationships", () => {
    expect([...h.edges].sort()).toEqual(["GOVERNS:agr:nat->cap:sat", "PROVIDES:nation:USA->cap:aar", "REQUIRES:obj:air->cap:aar"]);
  });
  it("says in words what it shows, and lists the events", () => {
    expect(h.summary[0]).toMatch(/fails for the coalition as a whole if any one of these 2 fails alone/);
    expect(h.items.map((i) => i.id)).toEqual(["nation:USA", "agr:nat"]);
    expect(ov.spofHighlight(res, "France").summary[0]).toMatch(/as France can reach it/);
  });
  it("explains an objective that is not achievable at all", () => {
    const g = ov.spofHighlight([{ objective: ref("obj:x", "Objective"), achievable: false, cutSets: [] }]);
    expect(ov.highlightedIds(g)).toEqual(["obj:x"]);
    expect(g.summary[0]).toMatch(/not achievable.*Gaps/);
  });
  it("says when there is none", () => {
    const g = ov.spofHighlight([{ objective: ref("obj:x", "Objective"), achievable: true, cutSets: [] }]);
    expect(g.summary[0]).toMatch(/no single point of failure/);
  });
});

describe("what-if", () => {
  const w: api.WhatIf = {
    down: [ref("nation:USA")],
    objectives: [{ node: ref("obj:air", "Objective"), explanation: ex(["obj:air", "cap:aar", "nation:USA"]) }],
    capabilities: [{ node: ref("cap:aar", "Capability"), explanation: ex(["cap:aar", "nation:USA"]) }],
  };
  const h = ov.whatIfHighlight(w);
  it("marks the down events down and what is lost failed", () => {
    expect(h.nodes.get("nation:USA")).toBe("down");
    expect(ov.failedIds(h)).toEqual(["cap:aar", "obj:air"]);
    expect(h.summary[0]).toMatch(/1 objective\(s\) stop being achievable and 1 capability/);
  });
  it("invites to mark something down when nothing is", () => {
    const e = ov.whatIfHighlight({ down: [], objectives: [], capabilities: [] });
    expect(ov.highlightedIds(e)).toEqual([]);
    expect(e.summary[0]).toMatch(/Mark nations/);
  });
});

describe("gaps", () => {
  const gaps: api.Gap[] = [
    { kind: "COVERAGE", objective: ref("obj:air", "Objective"), capability: ref("cap:aar", "Capability"), stakeholder: null, threat: null, causedBy: [], cause: null, explanation: ex(["obj:air", "cap:x", "cap:aar"]) },
    { kind: "UNADDRESSED_THREAT", objective: null, capability: null, stakeholder: null, threat: ref("threat:t", "Threat"), causedBy: [], cause: null, explanation: ex(["threat:t"]) },
  ];
  const h = ov.gapsHighlight(gaps);
  it("makes the missing capability and the unaddressed threat primary, the objective focus", () => {
    expect(h.nodes.get("cap:aar")).toBe("primary");
    expect(h.nodes.get("threat:t")).toBe("primary");
    expect(h.nodes.get("obj:air")).toBe("focus");
    expect(h.nodes.get("cap:x")).toBe("highlight");
  });
  it("says each gap in words", () => {
    expect(h.items.map((i) => i.text)).toEqual(["No provider of CAP:AAR, needed by OBJ:AIR", "No objective addresses THREAT:T"]);
  });
});

describe("gaps grouped by kind and objective", () => {
  const access = (s: api.Ref, o = "obj:air", c = "cap:aar"): api.Gap => ({
    kind: "ACCESS", objective: ref(o, "Objective"), capability: ref(c, "Capability"), stakeholder: s, threat: null, causedBy: [], cause: null, explanation: ex([s.id, o, c]),
  });
  const nationOf = (id: string) => ({ "agency:ukr-mod": "nation:UKR", "agency:ukr-mfa": "nation:UKR", "agency:pol-mod": "nation:POL" } as Record<string, string>)[id];
  const names = (id: string) => id.toUpperCase();
  const list = [
    access(ref("nation:UKR")), access(ref("agency:ukr-mod", "Agency")), access(ref("agency:ukr-mfa", "Agency")),
    access(ref("agency:pol-mod", "Agency")), // its nation has no such gap: its own line
    access(ref("agency:ukr-mod", "Agency"), "obj:air", "cap:sat"), // another capability: not the same gap
    { kind: "COVERAGE", objective: ref("obj:sea", "Objective"), capability: ref("cap:ship", "Capability"), stakeholder: null, threat: null, causedBy: [], cause: null, explanation: ex([]) } as api.Gap,
    { kind: "EXPIRING", objective: ref("obj:air", "Objective"), capability: ref("cap:aar", "Capability"), stakeholder: ref("nation:POL"), threat: null, causedBy: ["agr:salis", "PROVIDES:nation:DEU->cap:aar"], cause: { kind: "ACCESS" }, explanation: ex([]) } as api.Gap,
  ];
  const groups = ov.groupGaps(list, nationOf, names);
  it("merges an agency's gap under its nation where the nation has the same gap", () => {
    const accessGroup = groups.find((g) => g.title.startsWith("Access"))!;
    expect(accessGroup.title).toBe("Access gaps (5, 3 after merging agencies into their nations)");
    const lines = accessGroup.groups!.flatMap((g) => g.items.map((i) => i.text));
    expect(lines).toContain("NATION:UKR (also AGENCY:UKR-MFA, AGENCY:UKR-MOD) cannot reach CAP:AAR for OBJ:AIR");
    expect(lines).toContain("AGENCY:POL-MOD cannot reach CAP:AAR for OBJ:AIR");
    expect(lines).toContain("AGENCY:UKR-MOD cannot reach CAP:SAT for OBJ:AIR");
  });
  it("orders kinds coverage, access, expiring and groups by objective", () => {
    expect(groups.map((g) => g.title)).toEqual(["Coverage gaps (1)", "Access gaps (5, 3 after merging agencies into their nations)", "Expiring (1)"]);
    expect(groups[0].groups!.map((g) => g.title)).toEqual(["OBJ:SEA"]);
  });
  it("says whose expiring gap it is and what ends, by name", () => {
    expect(groups[2].groups![0].items[0].text).toBe("By the horizon NATION:POL loses access to CAP:AAR for OBJ:AIR, when AGR:SALIS and NATION:DEU's provision of CAP:AAR ends");
  });
});

describe("brokers, overlap, coalitions", () => {
  it("brokers: articulation points primary, bridge ends highlighted", () => {
    const h = ov.brokersHighlight({ articulationPoints: [ref("agr:nat", "Agreement")], bridges: [{ a: ref("agency:a", "Agency"), b: ref("nation:USA") }], explanation: ex(["agr:nat", "agency:a", "nation:USA"], ["PART_OF:agency:a->nation:USA"]) });
    expect(h.nodes.get("agr:nat")).toBe("primary");
    expect(h.nodes.get("agency:a")).toBe("highlight");
    expect(h.edges.has("PART_OF:agency:a->nation:USA")).toBe(true);
  });
  it("overlap: nations focus, shared and conflicting objectives", () => {
    const h = ov.overlapHighlight({
      a: ref("nation:USA"), b: ref("nation:FRA"), score: 0.5,
      shared: [{ objective: ref("obj:air", "Objective"), priorityA: 5, priorityB: 3 }],
      conflicts: [{ objectiveA: ref("obj:x", "Objective"), objectiveB: ref("obj:y", "Objective"), explanation: ex(["obj:x", "obj:y"], ["CONFLICTS_WITH:obj:x->obj:y"]) }],
      explanation: ex(["nation:USA", "nation:FRA", "obj:air"]),
    });
    expect(h.nodes.get("nation:USA")).toBe("focus");
    expect(h.nodes.get("obj:air")).toBe("shared");
    expect(h.nodes.get("obj:x")).toBe("conflict");
    expect(h.summary[0]).toMatch(/overlap score 0.50/);
  });
  it("coalitions: a community index per nation", () => {
    const h = ov.coalitionsHighlight({ threshold: 0.2, modularity: 0.31, communities: [[ref("a"), ref("b")], [ref("c")]], explanation: ex(["a", "b"]) });
    expect(h.community!.get("a")).toBe(0);
    expect(h.community!.get("c")).toBe(1);
    expect(ov.highlightedIds(h)).toEqual(["a", "b", "c"]);
  });
});

describe("API errors", () => {
  it("read as sentences with field and code", () => {
    expect(describeErrors([{ message: "unknown objective", extensions: { code: "NOT_FOUND", field: "objective" } }])).toBe("unknown objective (field objective) [NOT_FOUND]");
  });
});

describe("resilience", () => {
  const r: api.Resilience = {
    objective: ref("obj:air", "Objective"), achievable: true, minCutOrder: 1, probability: 0.0523,
    importance: [
      { event: ref("nation:FRA"), birnbaum: 0.1, fussellVesely: 0.2, raw: 3, rrw: 1.2 },
      { event: ref("nation:USA"), birnbaum: 0.9, fussellVesely: 0.8, raw: 19.1, rrw: 5 },
      { event: ref("agr:nat", "Agreement"), birnbaum: 0.1, fussellVesely: 0.2, raw: 3, rrw: Infinity },
    ],
  };
  const h = ov.resilienceHighlight(r);
  it("highlights the objective and every ranked event", () => {
    expect(ov.highlightedIds(h)).toEqual(["agr:nat", "nation:FRA", "nation:USA", "obj:air"]);
    expect(h.nodes.get("obj:air")).toBe("focus");
    expect(h.nodes.get("nation:USA")).toBe("primary");
  });
  it("ranks by Birnbaum, ties by id, with readable numbers", () => {
    expect(h.table!.rows.map((x) => x.id)).toEqual(["nation:USA", "agr:nat", "nation:FRA"]);
    expect(h.table!.rows[0].cells).toEqual(["NATION:USA", "⚠ not set (1)", "0.900", "0.800", "19.1", "5.00"]);
    expect(h.table!.rows[1].cells[5]).toBe("∞");
  });
  it("shows the reliabilities used and flags the missing ones with the default", () => {
    const rel = ov.resilienceHighlight(r, undefined, (id) => ({ "nation:USA": 0.99, "agr:nat": 0.9 } as Record<string, number>)[id]);
    expect(rel.table!.rows.map((x) => x.cells[1])).toEqual(["0.990", "0.900", "⚠ not set (1)"]);
    expect(rel.summary.at(-1)).toBe("Assumptions: 2 of the 3 nations, agencies and agreements involved have a reliability set; 1 have none (flagged ⚠) and count as 1 — never failing — so the probability leaves them out: NATION:FRA.");
    const all = ov.resilienceHighlight(r, undefined, () => 0.5);
    expect(all.summary.at(-1)).toMatch(/every one of the 3 .* has a reliability set/);
  });
  it("says the probability and the cut order in words", () => {
    expect(h.summary[0]).toMatch(/not achievable: 5\.2 %/);
    expect(h.summary[1]).toMatch(/single nation, agency or agreement failing alone/);
    expect(ov.resilienceHighlight({ ...r, minCutOrder: 2 }).summary[1]).toMatch(/at least 2 .* must fail together/);
    expect(ov.resilienceHighlight({ ...r, achievable: false, importance: [] }, "France").summary[0]).toMatch(/not achievable as France can reach it .* even with everyone up/);
  });
});

describe("impact", () => {
  const i: api.Impact = {
    node: ref("nation:USA"),
    capabilities: [ref("cap:aar", "Capability")],
    objectives: [ref("obj:air", "Objective"), ref("obj:sea", "Objective")],
    stakeholders: [ref("nation:FRA")],
    singlePointOf: [ref("obj:air", "Objective")],
    explanation: ex(["nation:USA", "cap:aar", "obj:air", "obj:sea", "cap:dep"], ["PROVIDES:nation:USA->cap:aar"]),
  };
  const h = ov.impactHighlight(i);
  it("highlights the node, everything downstream and the explanation", () => {
    expect(ov.highlightedIds(h)).toEqual(["cap:aar", "cap:dep", "nation:FRA", "nation:USA", "obj:air", "obj:sea"]);
    expect([...h.edges]).toEqual(["PROVIDES:nation:USA->cap:aar"]);
  });
  it("emphasises the objectives it is a single point of failure for", () => {
    expect(h.nodes.get("nation:USA")).toBe("focus");
    expect(h.nodes.get("obj:air")).toBe("primary");
    expect(h.nodes.get("obj:sea")).toBe("highlight");
    expect(h.items[0]).toEqual({ text: "single point of failure for: OBJ:AIR", id: "obj:air" });
    expect(h.summary[1]).toMatch(/single point of failure for 1 objective/);
  });
});

describe("partners", () => {
  const list: api.Partner[] = [
    { a: ref("nation:USA"), b: ref("nation:GBR"), score: 0.8, shared: [{ objective: ref("obj:air", "Objective"), priorityA: 5, priorityB: 4 }], conflicts: [] },
    { a: ref("nation:USA"), b: ref("nation:FRA"), score: 0.4, shared: [], conflicts: [
      { objectiveA: ref("obj:x", "Objective"), objectiveB: ref("obj:y", "Objective"), explanation: ex(["nation:USA", "obj:x", "obj:y", "nation:FRA"], ["CONFLICTS_WITH:obj:x->obj:y"]) },
    ] },
  ];
  const h = ov.partnersHighlight(list, ref("nation:USA"));
  it("highlights the stakeholder, its partners and their conflicts", () => {
    expect(ov.highlightedIds(h)).toEqual(["nation:FRA", "nation:GBR", "nation:USA", "obj:x", "obj:y"]);
    expect(h.nodes.get("nation:USA")).toBe("focus");
    expect(h.nodes.get("nation:GBR")).toBe("shared");
    expect(h.nodes.get("obj:x")).toBe("conflict");
    expect(h.edges.has("CONFLICTS_WITH:obj:x->obj:y")).toBe(true);
  });
  it("lists the partners in the API's order, with score and conflicts", () => {
    expect(h.items.map((x) => x.id)).toEqual(["nation:GBR", "nation:FRA"]);
    expect(h.items[1].text).toBe("NATION:FRA — score 0.40, 0 shared objective(s), 1 conflict(s): OBJ:X vs OBJ:Y");
  });
});

describe("comparison", () => {
  const gap = (kind: api.Gap["kind"], cap: string, s?: string): api.Gap => ({
    kind, objective: ref("obj:air", "Objective"), capability: ref(cap, "Capability"), stakeholder: s ? ref(s) : null, threat: null, causedBy: [], cause: null, explanation: ex([cap, "obj:air"], [`REQUIRES:obj:air->${cap}`]),
  });
  const c: api.Comparison = {
    baselineAsOf: "2026-01-01", scenarioAsOf: "2027-01-01", down: [ref("nation:USA")], threshold: 0.2, empty: false,
    gapsAppeared: [gap("COVERAGE", "cap:aar")], gapsDisappeared: [gap("ACCESS", "cap:sat", "nation:FRA")],
    singlePointsAppeared: [{ objective: ref("obj:sea", "Objective"), event: ref("nation:GBR"), explanation: ex(["obj:sea", "cap:ship", "nation:GBR"]) }],
    singlePointsDisappeared: [],
    objectivesLost: [{ objective: ref("obj:air", "Objective"), explanation: ex(["obj:air", "cap:aar", "nation:USA"]) }],
    objectivesGained: [],
    coalitionMoves: [{ nation: ref("nation:CAN"), before: [ref("nation:CAN"), ref("nation:USA")], after: [ref("nation:CAN")], baselineExplanation: ex(["nation:USA"]), scenarioExplanation: ex(["nation:CAN"]) }],
  };
  const h = ov.compareHighlight(c);
  it("draws what gets worse as failing, what gets better as shared, the down events down", () => {
    expect(h.nodes.get("obj:air")).toBe("failed");
    expect(h.nodes.get("cap:aar")).toBe("failed");
    expect(h.nodes.get("nation:GBR")).toBe("failed");
    expect(h.nodes.get("cap:sat")).toBe("shared");
    expect(h.nodes.get("nation:USA")).toBe("down");
    expect(h.nodes.get("nation:CAN")).toBe("focus");
    expect(h.edges.has("REQUIRES:obj:air->cap:aar")).toBe(true);
  });
  it("lists appeared, disappeared and moves, and counts them in words", () => {
    expect(h.groups!.map((g) => g.title)).toEqual(["Appears or is lost (3)", "Disappears or is gained (1)", "Coalition moves (1)"]);
    expect(h.groups![0].items[0].text).toBe("OBJ:AIR stops being achievable");
    expect(h.groups![2].items[0].text).toBe("NATION:CAN: with NATION:USA → with no one");
    expect(h.summary[0]).toMatch(/From 2026-01-01 \(baseline\) to 2027-01-01 with NATION:USA down: 1 gap\(s\) appear and 1 disappear; 1 single point\(s\) of failure appear and 0 disappear; 1 objective\(s\) are lost and 0 gained; 1 nation\(s\) change coalition\./);
    expect(h.subjects).toEqual(["nation:USA"]);
  });
  it("says when nothing differs", () => {
    const none = ov.compareHighlight({ ...c, empty: true, down: [], gapsAppeared: [], gapsDisappeared: [], singlePointsAppeared: [], objectivesLost: [], coalitionMoves: [] });
    expect(none.summary[0]).toBe("Nothing differs between 2026-01-01 and 2027-01-01.");
    expect(ov.highlightedIds(none)).toEqual([]);
  });
});
