import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { definesOperation, operationName, recipes, tabs } from "../src/cookbook";

const md = readFileSync(resolve(__dirname, "../../docs/cookbook.md"), "utf8");

describe("the cookbook as GraphiQL tabs", () => {
  it("finds every section with a query, in order", () => {
    const headings = md.match(/^## \d+\. .+$/gm) ?? [];
    const queries = md.match(/^```graphql$/gm) ?? [];
    const got = recipes(md);
    expect(got.length).toBe(queries.length);
    expect(got.length).toBe(headings.length);
    expect(got.map((r) => r.title)).toEqual(headings.map((h) => h.slice(3)));
    for (const r of got) expect(r.query).toMatch(/^\{|^query/);
  });

  it("skips a section without a query and keeps each query whole", () => {
    const got = recipes("## 1. First\n\ntext\n\n## 2. Second\n\n```graphql\n{ a { b } }\n```\n\n```json\n{}\n```\n");
    expect(got).toEqual([{ title: "2. Second", query: "{ a { b } }\n" }]);
    expect(tabs(got)[0].query).toBe("# 2. Second\n# (docs/cookbook.md §2)\nquery Q2_Second { a { b } }\n");
    expect(operationName({ title: "15. Which nations are in PESCO but not", query: "" })).toBe("Q15_WhichNationsAreInPESCO");
  });

  it("tells whether a document defines an operation name", () => {
    expect(definesOperation("query Q19_X { a }", "Q19_X")).toBe(true);
    expect(definesOperation("query Q19_X { a }", "Start")).toBe(false);
    expect(definesOperation("mutation Start($a: Int) { b }", "Start")).toBe(true);
    expect(definesOperation("{ a } # query Start", "Sta.t")).toBe(false);
  });
});
