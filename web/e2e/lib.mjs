// Shared by the end-to-end tests (run.mjs) and the benchmark (bench.mjs): build and start
// the Go server against the Neo4j in NEO4J_* (importing a document first), launch headless
// Chromium through playwright-core, and stop exactly what was started.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = resolve(webDir, "..");
export const artifactsDir = join(repoDir, "artifacts", "web");

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
  "--no-first-run", "--disable-component-update", "--disable-sync",
  // WebGL without a GPU: Chromium's software rasteriser (SwiftShader), which newer builds
  // enable only when asked.
  "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
];

export function log(...args) {
  console.log("[e2e]", ...args);
}

/** freePort asks the kernel for a free loopback port. */
export function freePort() {
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

/** buildServer compiles the binary (with the already built web/dist embedded). */
export function buildServer() {
  if (!process.env.NEO4J_URI) {
    console.error("e2e: NEO4J_URI is not set. These scripts replace the data of the Neo4j they use, so name it:\n" +
      '  eval "$(../neo4j/neo4j.sh env test)"   (or dev), then run again.');
    process.exit(2);
  }
  if (!existsSync(join(webDir, "dist", "index.html"))) {
    console.error("e2e: web/dist is not built; run npm run build (or make web) first.");
    process.exit(2);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`e2e: no Chromium at ${CHROMIUM}; install it (apt-get install chromium, or make deps) or set CHROMIUM.`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "stakegraph-e2e-"));
  const bin = join(dir, "stakegraph");
  log("go build ->", bin);
  execFileSync("go", ["build", "-o", bin, "./cmd/stakegraph"], { cwd: repoDir, stdio: "inherit" });
  return { bin, dir };
}

/** importDoc loads an interchange document with -replace into the Neo4j of NEO4J_*. */
export function importDoc(bin, file) {
  const out = execFileSync(bin, ["import", "-replace", file], { cwd: repoDir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  log(out.trim());
}

/**
 * startServer runs `serve -no-seed` on a free port and waits until /readyz answers 200;
 * args are added to serve's (e.g. -auth-config FILE), env to the environment.
 */
export async function startServer(bin, { timeoutMs = 120_000, args = [], env = {} } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ["serve", "-addr", `127.0.0.1:${port}`, "-no-seed", ...args], { cwd: repoDir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
  let stderr = "";
  proc.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-20000);
  });
  const exited = new Promise((res) => proc.on("exit", (code) => res(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode} before it was ready:\n${stderr.slice(-3000)}`);
    try {
      const r = await fetch(url + "/readyz");
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGTERM");
      throw new Error(`the server was not ready within ${timeoutMs / 1000}s:\n${stderr.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log("server ready at", url, "pid", proc.pid);
  return {
    url,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
      log("server stopped");
    },
  };
}

/** launch starts headless Chromium with a fresh profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "stakegraph-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** gql queries the API directly (tests compare the page with it); token is a bearer token. */
export async function gql(url, query, variables = {}, token) {
  const r = await fetch(url + "/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (body.errors) throw new Error("API error: " + JSON.stringify(body.errors));
  return body.data;
}

export function ensureArtifacts() {
  mkdirSync(artifactsDir, { recursive: true });
  return artifactsDir;
}
