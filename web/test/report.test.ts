import { DOMImplementation, DOMParser, XMLSerializer } from "@xmldom/xmldom";
import Graph from "graphology";
import { parse as parseGEXF } from "graphology-gexf";
import { parse as parseGraphML } from "graphology-graphml";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../src/model";
import type { Highlight } from "../src/overlays";
import { answerCSV, answerRows, gexf, graphML, REPORT_LINES, reportSVG, type ReportView } from "../src/report";
import { doc } from "./fixtures";

const dom = new DOMImplementation() as unknown as DOMImplementation;
const ser = new XMLSerializer() as unknown as XMLSerializer;
const hl = (extra: Partial<Highlight>): Highlight => ({ nodes: new Map(), edges: new Set(), summary: [], items: [], ...extra });

describe("report exports", () => {
  it("writes the visible subgraph as GraphML that a GraphML reader reads back", () => {
    const g = buildGraph(doc).graph;
    const ids = ["obj:air", "cap:aar", "nation:FRA", "agr:nat", "nowhere"];
    const xml = graphML(g, ids, dom, ser);
    const back = parseGraphML(Graph, new DOMParser().parseFromString(xml, "application/xml") as unknown as Document);
    expect(back.order).toBe(4);
    expect(back.nodes().sort()).toEqual(["agr:nat", "cap:aar", "nation:FRA", "obj:air"]);
    expect(back.size).toBe(g.edges().filter((e) => ids.includes(g.source(e)) && ids.includes(g.target(e))).length);
    expect(back.getNodeAttribute("cap:aar", "label")).toBe("Air-to-air refuelling");
    expect(back.getNodeAttribute("agr:nat", "kind")).toBe("Agreement");
    const want = g.edges().filter((e) => ids.includes(g.source(e)) && ids.includes(g.target(e))).map((e) => `${g.getEdgeAttribute(e, "rel")} ${g.source(e)}->${g.target(e)}`).sort();
    expect(back.edges().map((e) => `${back.getEdgeAttribute(e, "type")} ${back.source(e)}->${back.target(e)}`).sort()).toEqual(want);
    expect(want).toContain("PARTY_TO nation:FRA->agr:nat");
  });

  it("writes the visible subgraph as GEXF that a GEXF reader reads back", () => {
    const g = buildGraph(doc).graph;
    const ids = ["obj:air", "cap:aar", "nation:FRA", "agr:nat", "nowhere", "cap:aar"];
    const xml = gexf(g, ids);
    expect(xml).toMatch(/<gexf version="1.3" xmlns="http:\/\/gexf.net\/1.3"/);
    const back = parseGEXF(Graph, xml);
    expect(back.nodes().sort()).toEqual(["agr:nat", "cap:aar", "nation:FRA", "obj:air"]);
    expect(back.getNodeAttribute("cap:aar", "label")).toBe("Air-to-air refuelling");
    expect(back.getNodeAttribute("agr:nat", "kind")).toBe("Agreement");
    const want = g.edges().filter((e) => ids.includes(g.source(e)) && ids.includes(g.target(e))).map((e) => `${g.getEdgeAttribute(e, "rel")} ${g.source(e)}->${g.target(e)}`).sort();
    expect(want).toContain("PARTY_TO nation:FRA->agr:nat");
    expect(back.edges().every((e) => back.isDirected(e))).toBe(true);
    expect(back.edges().map((e) => `${back.getEdgeAttribute(e, "type")} ${back.source(e)}->${back.target(e)}`).sort()).toEqual(want);
  });

  it("writes the answer list as CSV with quoting a CSV reader undoes", () => {
    const h = hl({ items: [{ text: 'No provider of "AAR", needed by Air, policing', id: "cap:aar" }, { text: "line\nbreak" }] });
    const rows = Papa.parse<string[]>(answerCSV(h), { skipEmptyLines: true }).data;
    expect(rows).toEqual(answerRows(h));
    expect(rows[1][2]).toBe('No provider of "AAR", needed by Air, policing');
    expect(rows[2][2]).toBe("line\nbreak");
    const table = hl({ table: { head: ["event", "Birnbaum"], rows: [{ id: "nation:USA", cells: ["United States", "0.900"] }] } });
    expect(answerRows(table)).toEqual([["id", "event", "Birnbaum"], ["nation:USA", "United States", "0.900"]]);
    const grouped = hl({ items: [{ text: "x" }], groups: [{ title: "Access gaps (2)", items: [], groups: [{ title: "Air policing", items: [{ text: "A cannot reach B", id: "nation:A" }] }] }] });
    expect(answerRows(grouped)).toEqual([["group", "subgroup", "text", "id"], ["Access gaps (2)", "Air policing", "A cannot reach B", "nation:A"]]);
  });

  it("draws the view as an SVG with title, date, every label, the legend and the answer", () => {
    const v: ReportView = {
      title: "Single points of failure — Air policing", date: "2027-03-01", width: 600, height: 400,
      nodes: [
        { x: 100, y: 100, r: 8, fill: "#E69F00", ring: "#000000", shape: "diamond", label: "Air policing" },
        { x: 300, y: 100, r: 6, fill: "#000000", ring: "#F0E442", shape: "circle", label: "France & <co>" },
      ],
      edges: [{ x1: 100, y1: 100, x2: 300, y2: 100, color: "#333333", width: 2, label: "PURSUES", arrow: true }],
      legend: [{ shape: "circle", fill: "#0072B2", ring: null, text: "Nation" }],
      summary: ["It fails if any one of these fails alone."],
      lines: Array.from({ length: REPORT_LINES + 5 }, (_, i) => `answer ${i}`),
    };
    const svg = reportSVG(v, dom, ser);
    const parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
    const texts = Array.from(parsed.getElementsByTagName("text")).map((t) => t.textContent);
    expect(texts).toContain(v.title);
    expect(texts).toContain("as of 2027-03-01 · stakegraph");
    expect(texts).toContain("France & <co>"); // escaped by the serializer, read back whole
    expect(texts).toContain("PURSUES");
    expect(texts).toContain("Nation");
    expect(texts).toContain("It fails if any one of these fails alone.");
    expect(texts).toContain("• answer 0");
    expect(texts).not.toContain(`• answer ${REPORT_LINES}`);
    expect(texts).toContain("… and 5 more (the CSV export lists them all)");
    expect(parsed.getElementsByTagName("polygon").length).toBe(1); // the diamond
    expect(parsed.getElementsByTagName("line")[0].getAttribute("marker-end")).toBe("url(#arrow)");
  });
});
