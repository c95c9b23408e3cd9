import { describe, expect, it } from "vitest";
import {
  applySizes, buildGraph, countsAt, distinctValues, downstreamObjectives, initialPosition,
  outOfForce, relId, sizeFor, visibleNodes,
} from "../src/model";
import { colorOf, shapeOf } from "../src/palette";
import { doc } from "./fixtures";

describe("buildGraph", () => {
  const { graph, warnings } = buildGraph(doc);

  it("keeps every node with its kind's colour and shape", () => {
    expect(graph.order).toBe(doc.nodes.length);
    const a = graph.getNodeAttributes("cap:aar");
    expect(a.kind).toBe("Capability");
    expect(a.label).toBe("Air-to-air refuelling");
    expect(a.color).toBe(colorOf("Capability"));
    expect(a.shape).toBe(shapeOf("Capability"));
    expect(a.props.category).toBe("enabler");
  });

  it("keys edges by the API's relationship id and keeps their properties", () => {
    const key = relId({ type: "PURSUES", from: "nation:USA", to: "obj:air" });
    expect(key).toBe("PURSUES:nation:USA->obj:air");
    expect(graph.hasEdge(key)).toBe(true);
    expect(graph.getEdgeAttribute(key, "props").priority).toBe(5);
    expect(graph.getEdgeAttribute(key, "rel")).toBe("PURSUES");
  });

  it("reports, not fails on, a relationship whose end is missing", () => {
    expect(graph.size).toBe(doc.relationships.length - 1);
    expect(warnings).toEqual(["1 relationship(s) whose ends are not in the graph were left out"]);
  });

  it("sizes by degree: the busiest node is largest, an isolated one smallest", () => {
    expect(graph.getNodeAttribute("nation:FRA", "degree")).toBe(4);
    expect(graph.getNodeAttribute("nation:FRA", "size")).toBeGreaterThan(graph.getNodeAttribute("agency:nato", "size"));
    expect(graph.getNodeAttribute("agency:nato", "size")).toBe(3);
  });

  it("rejects something that is not a document with a readable error", () => {
    expect(() => buildGraph({} as never)).toThrow(/interchange document/);
  });
});

describe("positions", () => {
  it("are deterministic per id", () => {
    expect(initialPosition("nation:USA", "Nation", 10)).toEqual(initialPosition("nation:USA", "Nation", 10));
    expect(initialPosition("nation:USA", "Nation", 10)).not.toEqual(initialPosition("nation:FRA", "Nation", 10));
  });
});

describe("sizes", () => {
  it("grow with the measure and floor at 3", () => {
    expect(sizeFor(0, 10)).toBe(3);
    expect(sizeFor(10, 10)).toBe(15);
    expect(sizeFor(5, 10)).toBeGreaterThan(3);
    expect(sizeFor(1, 0)).toBe(3);
  });

  it("apply any measure", () => {
    const { graph } = buildGraph(doc);
    applySizes(graph, (id) => (id === "obj:air" ? 4 : 0));
    expect(graph.getNodeAttribute("obj:air", "size")).toBe(15);
    expect(graph.getNodeAttribute("nation:USA", "size")).toBe(3);
  });
});

describe("downstreamObjectives", () => {
  const { graph } = buildGraph(doc);
  const m = downstreamObjectives(graph);
  it("follows PROVIDES, then DEPENDS_ON backwards, then REQUIRES", () => {
    expect(m.get("agency:usa-dod")).toBe(1); // satcom <- aar <- air policing
    expect(m.get("cap:satcom")).toBe(1);
    expect(m.get("agr:nat")).toBe(1); // governs aar
    expect(m.get("nation:USA")).toBe(0); // provides nothing itself
    expect(m.get("obj:air")).toBe(0);
  });
});

describe("dates", () => {
  it("count a relationship when validFrom <= d < validTo, open bounds open", () => {
    expect(countsAt(undefined, undefined, "2026-01-01")).toBe(true);
    expect(countsAt("2026-01-01", undefined, "2026-01-01")).toBe(true);
    expect(countsAt("2026-01-02", undefined, "2026-01-01")).toBe(false);
    expect(countsAt(undefined, "2026-01-01", "2026-01-01")).toBe(false);
    expect(countsAt("", "", "2026-01-01")).toBe(true);
  });

  it("mark what is out of force at a date: expired agreements with their links, invalid provisions", () => {
    const { graph } = buildGraph(doc);
    const out = outOfForce(graph, "2025-06-01");
    expect(out.has("agr:old")).toBe(true);
    expect(out.has("PARTY_TO:nation:FRA->agr:old")).toBe(true);
    expect(out.has("PROVIDES:nation:FRA->cap:aar")).toBe(true); // starts 2026
    expect(out.has("agr:nat")).toBe(false);
    const later = outOfForce(graph, "2031-01-01");
    expect(later.has("PROVIDES:nation:FRA->cap:aar")).toBe(false);
    expect(later.has("PROVIDES:agency:usa-dod->cap:satcom")).toBe(true);
  });
});

describe("visibleNodes", () => {
  const { graph } = buildGraph(doc);
  it("shows everything without filters", () => {
    expect(visibleNodes(graph, { kinds: [] }).size).toBe(graph.order);
  });
  it("filters by kind", () => {
    expect([...visibleNodes(graph, { kinds: ["Nation"] })].sort()).toEqual(["nation:FRA", "nation:USA"]);
  });
  it("filters stakeholders by region, agencies through their nation", () => {
    const v = visibleNodes(graph, { kinds: ["Nation", "Agency"], region: "North America" });
    expect([...v].sort()).toEqual(["agency:usa-dod", "nation:USA"]);
  });
  it("filters objectives by domain and leaves other kinds", () => {
    const v = visibleNodes(graph, { kinds: [], domain: "CYBER" });
    expect(v.has("obj:cyber")).toBe(true);
    expect(v.has("obj:air")).toBe(false);
    expect(v.has("cap:aar")).toBe(true);
  });
  it("keeps an agreement's neighbourhood: parties, their agencies, governed capabilities and providers", () => {
    const v = visibleNodes(graph, { kinds: [], agreement: "agr:nat" });
    expect([...v].sort()).toEqual(["agency:usa-dod", "agr:nat", "cap:aar", "nation:FRA", "nation:USA"]);
  });
  it("lists distinct values for the filter menus", () => {
    expect(distinctValues(graph, "Nation", "region")).toEqual(["Europe", "North America"]);
    expect(distinctValues(graph, "Objective", "domain")).toEqual(["AIR", "CYBER"]);
  });
});

describe("kind words and shared properties", () => {
  it("shows the kind once", async () => {
    const { kindWord } = await import("../src/model");
    expect(kindWord("National Security Agency", "Agency")).toBe("");
    expect(kindWord("U.S. Space Force", "Agency")).toBe("Agency");
    expect(kindWord("North Atlantic Treaty", "Agreement")).toBe("Agreement");
    expect(kindWord("Poland", "Nation")).toBe("Nation");
    expect(kindWord("Poland", undefined)).toBe("");
  });
  it("says a source shared by every line once", async () => {
    const { sharedProps } = await import("../src/model");
    const same = [{ source: "S", confidence: 0.7 }, { source: "S", confidence: 0.9 }];
    expect(sharedProps(same, ["source", "confidence"])).toEqual({ source: "S" });
    expect(sharedProps([{ source: "S" }], ["source"])).toEqual({});
    expect(sharedProps([{ source: "" }, { source: "" }], ["source"])).toEqual({});
  });
});

describe("the date slider's stops", () => {
  it("lists every date where an agreement or a relationship starts or stops counting, with today", async () => {
    const { validityDates } = await import("../src/model");
    const g = buildGraph(doc).graph;
    // Fixture: agr:nat signed 1949-04-04; agr:old 2000-01-01..2010-01-01; satcom provision
    // until 2030-01-01; FRA's aar provision from 2026-01-01.
    expect(validityDates(g, ["2026-06-01"])).toEqual(["1949-04-04", "2000-01-01", "2010-01-01", "2026-01-01", "2026-06-01", "2030-01-01"]);
  });
});
