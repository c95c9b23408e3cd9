// Runs the GraphQL over HTTP audit of the npm package graphql-http (the reference
// implementation of the spec's test suite) against `stakegraph serve`, prints every audit
// that did not pass and the totals, and fails when a MUST audit fails.
//
//   node audit.mjs                 build the binary, serve it against the Neo4j in NEO4J_URI
//                                  (its data is not changed: -no-seed), audit, stop it
//   node audit.mjs URL             audit a server that is already running at URL
//
// The server is started with -rate 0: the audit sends its requests as fast as it can, and
// a 429 would be a refusal by the rate limit, not an answer about the protocol.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { auditServer } from "graphql-http";

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startServer() {
  if (!process.env.NEO4J_URI) {
    console.error("audit: NEO4J_URI is not set; name the Neo4j the server should use (make test sets it), or give the URL of a running server.");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "stakegraph-audit-"));
  const bin = join(dir, "stakegraph");
  execFileSync("go", ["build", "-o", bin, "./cmd/stakegraph"], { cwd: repoDir, stdio: "inherit" });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ["serve", "-addr", `127.0.0.1:${port}`, "-no-seed", "-rate", "0"], { cwd: repoDir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr = (stderr + d).slice(-20000)));
  const exited = new Promise((res) => proc.on("exit", res));
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}:\n${stderr.slice(-3000)}`);
    try {
      if ((await fetch(url + "/readyz")).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within 120 s:\n${stderr.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}

const given = process.argv[2];
const server = given ? { url: given.replace(/\/$/, ""), stop: async () => {} } : await startServer();
let results;
try {
  results = await auditServer({ url: server.url + "/graphql" });
} finally {
  await server.stop();
}

const level = (r) => r.name.split(" ")[0];
const count = (pred) => results.filter(pred).length;
for (const r of results.filter((r) => r.status !== "ok")) {
  let body = "";
  try {
    body = await r.response.text();
  } catch {
    // the body was read by the audit already
  }
  console.log(`${r.status.toUpperCase().padEnd(6)} ${r.id} ${r.name}\n       ${r.reason}${body ? `\n       body: ${body.slice(0, 300)}` : ""}`);
}
const summary = ["MUST", "SHOULD", "MAY"].map((l) => `${l} ${count((r) => level(r) === l && r.status === "ok")}/${count((r) => level(r) === l)}`);
const passed = count((r) => r.status === "ok");
console.log(`graphql-http audit: ${passed}/${results.length} passed (${summary.join(", ")})`);
const mustFailed = count((r) => r.status === "error");
if (mustFailed > 0) {
  console.error(`graphql-http audit: ${mustFailed} MUST audit(s) failed`);
  process.exit(1);
}
