// Every operation the explorer sends is valid against the schema in schema/*.graphqls, so
// a renamed field fails here rather than in the browser.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { PAGES, Q } from "../src/api";

const dir = join(import.meta.dirname, "..", "..", "schema");
const sdl = readdirSync(dir).filter((f) => f.endsWith(".graphqls")).sort().map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
const schema = buildSchema(sdl);

describe("operations", () => {
  for (const [name, text] of [...Object.entries(Q), ...Object.entries(PAGES).map(([k, v]) => [`page of ${k}`, v])]) {
    it(`${name} is valid against the schema`, () => {
      const errors = validate(schema, parse(text)).map((e) => e.message);
      expect(errors).toEqual([]);
    });
  }
});
