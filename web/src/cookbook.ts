// The cookbook's questions (docs/cookbook.md) as GraphiQL tabs, so that the IDE opens with
// every worked question ready to run. The markdown is bundled at build time; the parser is
// pure so that it is unit-tested on the real file.

/** One worked question: its heading and its GraphQL query. */
export interface Recipe {
  title: string;
  query: string;
}

const HEADING = /^## (\d+)\. (.+)$/;
const FENCE = /^```graphql\n([\s\S]*?)```/m;

/**
 * recipes reads every "## N. Question" section of the cookbook that holds a ```graphql
 * block, in order; a section without one is skipped.
 */
export function recipes(markdown: string): Recipe[] {
  const out: Recipe[] = [];
  const sections = markdown.split(/^(?=## )/m);
  for (const s of sections) {
    const h = HEADING.exec(s.split("\n", 1)[0]);
    const q = FENCE.exec(s);
    if (h && q) out.push({ title: `${h[1]}. ${h[2]}`, query: q[1].trimEnd() + "\n" });
  }
  return out;
}

/**
 * operationName names a recipe's query for its tab (GraphiQL titles a tab by its
 * operation): "Q15_WhichNationsAreInPesco" from "15. Which nations are in PESCO but…".
 */
export function operationName(r: Recipe): string {
  const [n, rest] = [r.title.split(".")[0], r.title.slice(r.title.indexOf(".") + 1)];
  const words = rest.match(/[A-Za-z0-9]+/g) ?? [];
  return `Q${n}_` + words.slice(0, 5).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

/**
 * tabs are GraphiQL's default tabs: one per recipe, its anonymous query named by
 * operationName and headed by the question as a comment.
 */
export function tabs(list: Recipe[]): { query: string }[] {
  return list.map((r) => {
    const q = r.query.startsWith("{") ? `query ${operationName(r)} ${r.query}` : r.query;
    return { query: `# ${r.title}\n# (docs/cookbook.md §${r.title.split(".")[0]})\n${q}` };
  });
}

/** definesOperation reports whether a GraphQL document defines an operation of that name. */
export function definesOperation(query: string, name: string): boolean {
  const escaped = name.replace(/[^A-Za-z0-9_]/g, "");
  return escaped === name && new RegExp(`\\b(query|mutation|subscription)\\s+${escaped}\\b`).test(query);
}
