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
