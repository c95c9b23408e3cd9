// make bench-api: stakegraph's read API and @neo4j/graphql, serving the same Neo4j, in
// paired autocannon rounds (stakegraph, peer, stakegraph, peer, …) per query, after a check
// that both answers carry the same facts. Prints a Markdown table; ratios are what to read,
// since the machine is shared.
//
//   SG_URL=http://127.0.0.1:8090/graphql PEER_URL=http://127.0.0.1:4090/ node bench.mjs
//
// ROUNDS (pairs, default 2), DURATION (seconds a round, default 15), CONNECTIONS (16),
// QUERIES (comma-separated names from queries.mjs, default all). SG_PIDS and PEER_PIDS
// (comma-separated: the API process and its Neo4j) add the CPU time each side spent per
// request, read from /proc: a measure that the machine's other load disturbs far less than
// throughput.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { facts, queries } from "./queries.mjs";

const sgURL = process.env.SG_URL ?? "http://127.0.0.1:8090/graphql";
const peerURL = process.env.PEER_URL ?? "http://127.0.0.1:4090/";
const rounds = Number(process.env.ROUNDS ?? 2);
const duration = Number(process.env.DURATION ?? 15);
const connections = Number(process.env.CONNECTIONS ?? 16);
const names = (process.env.QUERIES ?? Object.keys(queries).join(",")).split(",");
const pids = (v) => (v ? v.split(",").filter(Boolean) : []);
const sgPids = pids(process.env.SG_PIDS), peerPids = pids(process.env.PEER_PIDS);

// cpuMs is the user and system CPU time that the processes have used, in milliseconds.
function cpuMs(list) {
  let ticks = 0;
  for (const pid of list) {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function post(url, query) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  if (!res.ok || body.errors) throw new Error(`${url}: ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 400)}`);
  return body.data;
}

function load(url, query, seconds = duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections,
        duration: seconds,
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query }),
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
}

const fmt = (x, d = 0) => x.toFixed(d);
const rows = [];
for (const name of names) {
  const q = queries[name];
  const [a, b] = await Promise.all([post(sgURL, q.stakegraph), post(peerURL, q.peer)]);
  const fa = facts(a), fb = facts(b);
  const missing = [...fb].filter((f) => !fa.has(f)), extra = [...fa].filter((f) => !fb.has(f));
  if (missing.length || extra.length) {
    console.error(`${name}: the answers differ: stakegraph lacks ${missing.slice(0, 3)}…, has extra ${extra.slice(0, 3)}…`);
    process.exit(1);
  }
  const bytes = JSON.stringify({ data: a }).length;
  console.error(`${name}: both answers carry the same ${fa.size} facts (${bytes} bytes); ${rounds} paired rounds of ${duration}s, ${connections} connections`);
  // A short round each first, not counted: both servers warm up (JIT, caches, pools).
  for (const [url, query] of [[sgURL, q.stakegraph], [peerURL, q.peer]]) await load(url, query, Math.min(5, duration));
  const sg = [], peer = [];
  for (let i = 0; i < rounds; i++) {
    for (const [url, query, out, who, procs] of [[sgURL, q.stakegraph, sg, "stakegraph", sgPids], [peerURL, q.peer, peer, "peer", peerPids]]) {
      const cpu0 = procs.length ? cpuMs(procs) : 0;
      const r = await load(url, query);
      const cpu = procs.length ? (cpuMs(procs) - cpu0) / r.requests.total : NaN;
      const bad = r.errors + r.timeouts + r.non2xx;
      out.push({ rps: r.requests.average, p99: r.latency.p99, bad, cpu });
      console.error(`  round ${i + 1} ${who}: ${fmt(r.requests.average)} req/s, p99 ${r.latency.p99} ms, ${fmt(cpu, 2)} ms CPU/request, ${bad} failed`);
    }
  }
  const mean = (xs, k) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
  const range = (xs, k) => `${fmt(Math.min(...xs.map((x) => x[k])))}–${fmt(Math.max(...xs.map((x) => x[k])))}`;
  rows.push(
    `| ${name}: ${q.what} (${fmt(bytes / 1024, 1)} KB) | ${range(sg, "rps")} req/s, p99 ${range(sg, "p99")} ms | ` +
      `${range(peer, "rps")} req/s, p99 ${range(peer, "p99")} ms | **${fmt(mean(sg, "rps") / mean(peer, "rps"), 2)}×** | ` +
      `${fmt(mean(sg, "p99") / mean(peer, "p99"), 2)} | ${fmt(mean(sg, "cpu"), 2)} / ${fmt(mean(peer, "cpu"), 2)} ms (${fmt(mean(peer, "cpu") / mean(sg, "cpu"), 1)}×) |`,
  );
  if (sg.some((x) => x.bad) || peer.some((x) => x.bad)) console.error(`  warning: failed requests in ${name}`);
}
console.log("| query | stakegraph | @neo4j/graphql | throughput ratio | p99 ratio | CPU per request, API + Neo4j: stakegraph / peer |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
