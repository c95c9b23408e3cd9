// The benchmark's queries, written once for each API, and what each answer states as a
// set of facts, so that the two answers can be compared whatever order they list things in.

export const queries = {
  nested: {
    what: "nations → agencies → provides → capability, nations → provides → capability → dependsOn",
    stakegraph: `{ nations(first: 100) { nodes { code name
      agencies { id name provides { capability { id name } } }
      provides { capability { id name dependsOn { id name } } } } } }`,
    peer: `{ nations { code name
      agencies { id name provides { id name } }
      provides { id name dependsOn { id name } } } }`,
  },
  "nested-props": {
    what: "the same with each provision's validFrom, validTo and capacity",
    stakegraph: `{ nations(first: 100) { nodes { code name
      agencies { id name provides { validFrom validTo capacity capability { id name } } }
      provides { validFrom validTo capacity capability { id name dependsOn { id name } } } } } }`,
    peer: `{ nations { code name
      agencies { id name providesConnection { edges { properties { validFrom validTo capacity } node { id name } } } }
      providesConnection { edges { properties { validFrom validTo capacity } node { id name dependsOn { id name } } } } } }`,
  },
  flat: {
    what: "nations → code, name, region",
    stakegraph: `{ nations(first: 100) { nodes { code name region } } }`,
    peer: `{ nations { code name region } }`,
  },
};

const date = (d) => (d == null ? "" : String(d));
const num = (x) => (x == null ? "" : String(x));

function provisionFacts(out, who, p) {
  const props = "validFrom" in p ? `|${date(p.validFrom)}|${date(p.validTo)}|${num(p.capacity)}` : "";
  out.add(`provides|${who}|${p.capability.id}|${p.capability.name}${props}`);
  for (const d of p.capability.dependsOn ?? []) out.add(`dependsOn|${p.capability.id}|${d.id}|${d.name}`);
}

/** facts reads either API's answer into one set of strings. */
export function facts(data) {
  const out = new Set();
  const nations = Array.isArray(data.nations) ? data.nations : data.nations.nodes;
  for (const n of nations) {
    out.add(`nation|${n.code}|${n.name}|${n.region ?? ""}`);
    // stakegraph: provides { capability }; the peer: provides { … } or providesConnection.
    const provs = (x) =>
      x.providesConnection
        ? x.providesConnection.edges.map((e) => ({ ...e.properties, capability: e.node }))
        : x.provides.map((p) => (p.capability ? p : { capability: p }));
    for (const a of n.agencies ?? []) {
      out.add(`agency|${n.code}|${a.id}|${a.name}`);
      for (const p of provs(a)) provisionFacts(out, a.id, p);
    }
    if (n.provides || n.providesConnection) for (const p of provs(n)) provisionFacts(out, n.code, p);
  }
  return out;
}
