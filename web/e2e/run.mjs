// End-to-end tests of the explorer in real headless Chromium against the real server:
//   node e2e/run.mjs [WORDS]    (NEO4J_* must name a Neo4j whose data may be replaced;
//                                WORDS runs only the cases whose name contains them)
// It builds the Go binary (web/dist must already be built: npm run build), imports
// seed/demo.json with -replace, starts `serve -no-seed` on a free port, runs the cases
// below, saves screenshots to artifacts/web/ and stops the server it started.
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildServer, ensureArtifacts, gql, importDoc, launch, log, repoDir, startServer } from "./lib.mjs";

const artifacts = ensureArtifacts();
const results = [];
const OKABE_YELLOW = "#F0E442";

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function sameSet(got, want, what) {
  const g = [...new Set(got)].sort();
  const w = [...new Set(want)].sort();
  const missing = w.filter((x) => !g.includes(x));
  const extra = g.filter((x) => !w.includes(x));
  assert(!missing.length && !extra.length, `${what}: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
}

/** watch collects console errors, page errors and requests that leave the server. */
function watch(page, base) {
  const w = { errors: [], external: [] };
  page.on("console", (m) => {
    if (m.type() === "error") w.errors.push(m.text());
  });
  page.on("pageerror", (e) => w.errors.push("pageerror: " + e.message));
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith("data:") && !u.startsWith("blob:")) w.external.push(u);
  });
  return w;
}

async function ready(page) {
  await page.waitForSelector('#graph[data-loaded="yes"][data-first-frame="yes"]', { timeout: 60_000 });
}
async function overlayReady(page) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.querySelector("#graph").dataset.overlayStatus), null, { timeout: 60_000 });
  const status = await page.getAttribute("#graph", "data-overlay-status");
  assert(status === "ready", `overlay status is ${status}; page messages: ${await page.textContent("#message")}`);
}
/**
 * focusOK checks the focus view of the current analysis: it is drawn as its own subgraph,
 * every answer node of `must` (default: the page's own list of what it has to draw) is in
 * it, and every drawn node has a label that sigma drew and sits inside the viewport.
 */
async function focusOK(page, what, must) {
  await page.waitForFunction(() => window.stakegraph.focusReport().mode === "focus", null, { timeout: 10_000 });
  const r = await page.evaluate(() => window.stakegraph.focusReport());
  // must may depend on n, how many ranked answers the view found room for (15, 10, 7 or 5).
  const want = typeof must === "function" ? must(r.n) : must ?? r.answers;
  assert(r.n >= 5, `${what}: at least the top 5 answers are drawn (n=${r.n})`);
  const missing = want.filter((x) => !r.drawn.includes(x));
  assert(!missing.length, `${what}: answer nodes not drawn in the focus view: ${JSON.stringify(missing)}`);
  assert(!r.unlabelled.length, `${what}: nodes without a label in the focus view: ${JSON.stringify(r.unlabelled)}`);
  assert(!r.outside.length, `${what}: nodes outside the ${r.width}×${r.height} viewport: ${JSON.stringify(r.outside)}`);
  return r;
}

const highlighted = (page) => page.getAttribute("#graph", "data-highlighted").then(JSON.parse);
const failed = (page) => page.getAttribute("#graph", "data-failed").then(JSON.parse);

const only = process.argv.slice(2).join(" ").toLowerCase();

/** downloadModel chooses format in the download menu and returns the saved file. */
async function downloadModel(page, format) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.selectOption("#download", format)]);
  const { readFileSync } = await import("node:fs");
  return { name: dl.suggestedFilename(), body: readFileSync(await dl.path()).toString("utf8") };
}

/** jwt signs an HS256 JWT with node's crypto (docs/security.md "Token formats"). */
function jwt(secret, claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

async function test(name, fn) {
  if (only && !name.toLowerCase().includes(only)) return;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`PASS ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    log(`FAIL ${name}: ${e.stack ?? e}`);
  }
}

const { bin, dir: binDir } = buildServer();
importDoc(bin, join(repoDir, "seed", "demo.json"));
const server = await startServer(bin);
const base = server.url;
const browser = await launch();
const ctx = browser.context;

try {
  // Shared state between cases, as a user would go from one to the next.
  let spofObjective;
  let whatIfNation;
  let sharedURL;

  await test("the explorer loads with no console errors and nothing from outside", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/");
    await ready(page);
    await page.waitForSelector('#graph[data-layout="settled"]', { timeout: 60_000 });
    const counts = await page.evaluate(() => [window.stakegraph.nodeCount, window.stakegraph.edgeCount]);
    const api = await gql(base, "{ exportGraph }");
    const doc = typeof api.exportGraph === "string" ? JSON.parse(api.exportGraph) : api.exportGraph;
    assert(counts[0] === doc.nodes.length, `page shows ${counts[0]} nodes, the API has ${doc.nodes.length}`);
    assert(counts[1] === doc.relationships.length, `page shows ${counts[1]} relationships, the API has ${doc.relationships.length}`);
    const legend = await page.$$eval("#legend-list li", (l) => l.map((x) => x.textContent));
    assert(legend.includes("Nation") && legend.includes("Threat"), "legend lists the kinds: " + legend);
    await page.screenshot({ path: join(artifacts, "01-loaded.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    assert(!w.external.length, "requests outside the server: " + w.external.join(" "));
    await page.close();
  });

  await test("search finds air-to-air refuelling (case-insensitive) and opens its details", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/");
    await ready(page);
    await page.fill("#search", "AIR-TO-AIR Refuelling");
    const hit = await page.waitForSelector("#search-results button", { timeout: 10_000 });
    const text = await hit.textContent();
    assert(/air-to-air refuelling/i.test(text), "first result: " + text);
    const id = await hit.getAttribute("data-id");
    await hit.click();
    await page.waitForSelector(`#details[data-node="${id}"]`, { timeout: 10_000 });
    const title = await page.textContent("#details h2");
    assert(/air-to-air refuelling/i.test(title), "details title: " + title);
    const prov = await page.textContent("#details .provenance");
    assert(/Provenance: .*NATO/.test(prov) && /confidence/.test(prov), "provenance: " + prov);
    const providers = await page.$$eval('#details section[data-field="providers"] li a', (l) => l.map((a) => a.dataset.id));
    assert(providers.length > 0, "details list the providers");
    assert(new URL(page.url()).searchParams.get("sel") === id, "URL holds the selection: " + page.url());
    // A neighbour link selects the neighbour.
    await page.click(`#details section[data-field="providers"] li a[data-id="${providers[0]}"]`);
    await page.waitForSelector(`#details[data-node="${providers[0]}"]`, { timeout: 10_000 });
    await page.screenshot({ path: join(artifacts, "02-search-details.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("search finds nations by code and id first, in the API's order, with the kind said once", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/");
    await ready(page);
    for (const [text, nation] of [["USA", "nation:USA"], ["POL", "nation:POL"], ["FRA", "nation:FRA"], ["nation:POL", "nation:POL"], ["pol", "nation:POL"]]) {
      const api = (await gql(base, "query($t:String!){ search(text:$t){ id name __typename } }", { t: text })).search;
      assert(api[0]?.id === nation, `the API's search "${text}" starts with ${nation}: ${api.slice(0, 3).map((x) => x.id)}`);
      await page.fill("#search", "");
      await page.fill("#search", text);
      await page.waitForFunction((t) => document.querySelector("#search-results")?.dataset.query === t, text, { timeout: 10_000 });
      const ids = await page.$$eval("#search-results button", (l) => l.map((b) => b.dataset.id));
      assert(JSON.stringify(ids) === JSON.stringify(api.map((x) => x.id)), `the page lists "${text}" as the API ranks it: ${ids}`);
      const texts = await page.$$eval("#search-results button", (l) => l.map((b) => b.textContent));
      const doubled = texts.filter((t) => /\b(\w+) \1$/i.test(t.trim()));
      assert(!doubled.length, "the kind is said once: " + doubled);
    }
    await page.fill("#search", "POL");
    await page.waitForFunction(() => document.querySelector("#search-results button")?.dataset.id === "nation:POL", null, { timeout: 10_000 });
    await page.press("#search", "Enter");
    await page.waitForSelector('#details[data-node="nation:POL"]', { timeout: 10_000 });
    // The details say a source shared by a whole list once, not on every line.
    const perSection = await page.$$eval("#details section.rels", (l) => l.map((sec) => [...sec.querySelectorAll("li .relprops")].map((d) => /source ([^·]+)/.exec(d.textContent)?.[1]).filter(Boolean)));
    for (const srcs of perSection) assert(srcs.length < 2 || new Set(srcs).size > 1, "one source repeated on every line: " + srcs[0]);
    // Selecting a node dims the rest: a node that is not its neighbour is drawn grey.
    const far = await page.evaluate(() => {
      const g = window.stakegraph.graph;
      const near = new Set(["nation:POL", ...g.neighbors("nation:POL")]);
      const other = g.nodes().find((n) => !near.has(n));
      return [window.stakegraph.sigma.getNodeDisplayData(other)?.color, window.stakegraph.sigma.getNodeDisplayData(g.neighbors("nation:POL")[0])?.color];
    });
    assert(far[0] === "#dedede" && far[1] !== "#dedede", "the rest is dimmed, the neighbours are not: " + far);
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("the single-point-of-failure overlay highlights exactly what the API returns", async () => {
    const all = await gql(base, `{ singlePointsOfFailure { objective { id name } achievable cutSets { events { id __typename } explanation { nodes } } } }`);
    const withSpof = all.singlePointsOfFailure.filter((o) => o.achievable && o.cutSets.some((c) => c.events.length === 1));
    assert(withSpof.length > 0, "the seed has an objective with a single point of failure");
    const o = withSpof.find((x) => x.cutSets.some((c) => c.events[0].__typename === "Nation")) ?? withSpof[0];
    spofObjective = o.objective.id;
    const expected = new Set([o.objective.id]);
    for (const c of o.cutSets.filter((c) => c.events.length === 1)) {
      for (const e of c.events) expected.add(e.id);
      for (const n of c.explanation.nodes) expected.add(n);
    }
    whatIfNation = o.cutSets.filter((c) => c.events.length === 1).map((c) => c.events[0]).find((e) => e.__typename === "Nation")?.id;
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/");
    await ready(page);
    await page.selectOption("#overlay", "spof");
    await page.selectOption("#objective", spofObjective);
    await overlayReady(page);
    sameSet(await highlighted(page), [...expected], `highlighted nodes for ${spofObjective}`);
    const hook = await page.evaluate(() => window.stakegraph.highlighted());
    sameSet(hook, [...expected], "window hook");
    const summary = await page.textContent("#overlay-result");
    assert(/fails for the coalition as a whole if any one of these/.test(summary), "plain-words summary: " + summary);
    await focusOK(page, "single points of failure", [...expected]);
    // The check can fail: a camera moved away leaves the answer outside the viewport.
    const moved = await page.evaluate(() => {
      window.stakegraph.sigma.getCamera().setState({ x: 5, y: 5, ratio: 0.05 });
      return window.stakegraph.focusReport();
    });
    assert(moved.outside.length > 0, "the viewport check notices nodes outside it");
    await page.click("#fit");
    await page.waitForFunction(() => window.stakegraph.focusReport().outside.length === 0, null, { timeout: 5_000 });
    // Relationship types and directions: arrows with their type as label.
    const edges = await page.evaluate(() => window.stakegraph.sigma.getGraph().edges().map((e) => window.stakegraph.sigma.getEdgeDisplayData(e)));
    assert(edges.length > 0 && edges.every((e) => e.type === "arrow" && /^[A-Z_]+/.test(e.label) && e.forceLabel), "relationships drawn as labelled arrows");
    const url = new URL(page.url());
    assert(url.searchParams.get("overlay") === "spof" && url.searchParams.get("objective") === spofObjective, "URL holds the overlay: " + page.url());
    await page.screenshot({ path: join(artifacts, "03-spof.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("marking a nation down in the what-if turns the affected objectives to failed", async () => {
    if (!whatIfNation) {
      // No nation is a single point of failure in the seed: take the nation whose loss fails most.
      const nations = await gql(base, "{ nations(first: 100) { nodes { id } } }");
      let best = { n: -1 };
      for (const { id } of nations.nations.nodes.slice(0, 40)) {
        const r = await gql(base, "query($d:[ID!]!){ whatIf(down:$d){ objectives { node { id } } } }", { d: [id] });
        if (r.whatIf.objectives.length > best.n) best = { n: r.whatIf.objectives.length, id };
      }
      whatIfNation = best.id;
    }
    const api = await gql(base, "query($d:[ID!]!){ whatIf(down:$d){ objectives { node { id } } capabilities { node { id } } } }", { d: [whatIfNation] });
    const lostObjectives = api.whatIf.objectives.map((x) => x.node.id);
    assert(lostObjectives.length > 0, `downing ${whatIfNation} fails some objective`);
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/?sel=" + encodeURIComponent(whatIfNation));
    await ready(page);
    await page.waitForSelector(`#details[data-node="${whatIfNation}"] #mark-down`, { timeout: 10_000 });
    await page.click("#mark-down");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("overlay") === "whatif");
    await overlayReady(page);
    sameSet(await failed(page), [...lostObjectives, ...api.whatIf.capabilities.map((x) => x.node.id)], `failed nodes with ${whatIfNation} down`);
    const colors = await page.evaluate((ids) => ids.map((id) => window.stakegraph.sigma.getNodeDisplayData(id)?.color), lostObjectives);
    assert(colors.every((c) => c?.toUpperCase() === OKABE_YELLOW), "failed objectives are drawn as failed: " + colors);
    const nationColor = await page.evaluate((id) => window.stakegraph.sigma.getNodeDisplayData(id)?.color, whatIfNation);
    assert(nationColor === "#555555", "the nation is drawn down: " + nationColor);
    const summary = await page.textContent("#overlay-result");
    assert(new RegExp(`${lostObjectives.length} objective\\(s\\) stop being achievable`).test(summary), "summary: " + summary);
    const lost = [...lostObjectives, ...api.whatIf.capabilities.map((x) => x.node.id)];
    await focusOK(page, "what-if", (n) => [whatIfNation, ...lost.slice(0, n)]);
    // Bring back up: nothing fails any more.
    await page.screenshot({ path: join(artifacts, "04-whatif.png") });
    await page.fill("#asof", "2027-06-01");
    await page.dispatchEvent("#asof", "change");
    await overlayReady(page);
    await page.waitForFunction(() => new URL(location.href).searchParams.get("asOf") === "2027-06-01");
    sharedURL = page.url();
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("the URL restores the view (selection, overlay, what-if, date)", async () => {
    assert(sharedURL, "a view to share from the previous case");
    const expectedAPI = await gql(base, "query($d:[ID!]!){ whatIf(down:$d, asOf:\"2027-06-01\"){ objectives { node { id } } capabilities { node { id } } } }", { d: [whatIfNation] });
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(sharedURL);
    await ready(page);
    await overlayReady(page);
    assert((await page.inputValue("#overlay")) === "whatif", "overlay control");
    assert((await page.inputValue("#asof")) === "2027-06-01", "date control");
    assert((await page.getAttribute("#graph", "data-selected")) === whatIfNation, "selection");
    await page.waitForSelector(`#details[data-node="${whatIfNation}"]`, { timeout: 10_000 });
    assert(/Bring back up/.test(await page.textContent("#mark-down")), "the details know the nation is down");
    sameSet(await failed(page), [...expectedAPI.whatIf.objectives, ...expectedAPI.whatIf.capabilities].map((x) => x.node.id), "failed nodes after reload");
    // Back in history goes back to the view before the date change.
    await page.screenshot({ path: join(artifacts, "05-restored.png") });
    // The same for the SPOF view.
    const spofURL = `${base}/?overlay=spof&objective=${encodeURIComponent(spofObjective)}`;
    await page.goto(spofURL);
    await ready(page);
    await overlayReady(page);
    assert((await page.inputValue("#objective")) === spofObjective, "objective control restored");
    assert((await highlighted(page)).includes(spofObjective), "spof highlight restored");
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("saved views: save the current view, reload, open it and the URL state is restored", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    const search = "?sel=nation%3APOL&overlay=gaps&asOf=2026-06-01";
    await page.goto(base + "/" + search);
    await ready(page);
    await overlayReady(page);
    const name = `e2e view ${Date.now()}`;
    await page.fill("#view-name", name);
    await page.click("#view-save button[type=submit]");
    await page.waitForFunction((n) => [...document.querySelectorAll("#view-list li a")].some((a) => a.textContent === n), name, { timeout: 10_000 });
    const saved = (await gql(base, "{ savedViews { id name state author modelChanged deletable } }")).savedViews.find((v) => v.name === name);
    assert(saved, `the API lists the view ${name}`);
    const wanted = new URL(page.url()).search;
    assert("?" + saved.state === wanted, `the saved state ${saved.state} is the page's URL state ${wanted}`);
    assert(!saved.modelChanged && saved.deletable, `a fresh view of the local administrator: ${JSON.stringify(saved)}`);
    // It survives a reload, on another view of the page.
    await page.goto(base + "/");
    await ready(page);
    await page.reload();
    await ready(page);
    const link = await page.waitForSelector(`#view-list li[data-view="${saved.id}"] a`, { timeout: 10_000 });
    assert((await page.textContent(`#view-list li[data-view="${saved.id}"]`)).includes("by local"), "the list says who saved it");
    await link.click();
    await overlayReady(page);
    assert(new URL(page.url()).search === wanted, `opening the view restores the URL: ${page.url()}, want ${wanted}`);
    assert((await page.inputValue("#overlay")) === "gaps", "overlay control restored");
    assert((await page.inputValue("#asof")) === "2026-06-01", "date control restored");
    assert((await page.getAttribute("#graph", "data-selected")) === "nation:POL", "selection restored");
    await page.screenshot({ path: join(artifacts, "05b-saved-view.png") });
    // Its author deletes it.
    await page.click(`#view-list li[data-view="${saved.id}"] button`);
    await page.waitForSelector(`#view-list li[data-view="${saved.id}"]`, { state: "detached", timeout: 10_000 });
    const left = (await gql(base, "{ savedViews { id } }")).savedViews;
    assert(!left.some((v) => v.id === saved.id), "the API no longer lists the deleted view");
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("analyses: resilience of an objective highlights exactly the API's ranked events", async () => {
    const all = await gql(base, `{ singlePointsOfFailure { objective { id } achievable cutSets { events { id } } } }`);
    const objective = spofObjective ?? all.singlePointsOfFailure.find((o) => o.achievable && o.cutSets.length)?.objective.id;
    assert(objective, "an achievable objective in the seed");
    const api = (await gql(base, "query($o:ID!){ resilience(objective:$o){ achievable minCutOrder probability importance { event { id } birnbaum } } }", { o: objective })).resilience;
    assert(api.importance.length > 0, "the objective has ranked events");
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/?sel=" + encodeURIComponent(objective));
    await ready(page);
    await page.waitForSelector(`#details[data-node="${objective}"] #show-resilience`, { timeout: 10_000 });
    await page.click("#show-resilience");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("overlay") === "resilience");
    await overlayReady(page);
    sameSet(await highlighted(page), [objective, ...api.importance.map((i) => i.event.id)], `resilience of ${objective}`);
    const url = new URL(page.url());
    assert(url.searchParams.get("objective") === objective, "URL holds the objective: " + page.url());
    const text = await page.textContent("#overlay-result");
    assert(/Probability that .* is not achievable: /.test(text) && /Minimum cut order \d/.test(text) && /Birnbaum/.test(text), "plain words: " + text);
    // The assumptions: each event's reliability as the model holds it, the missing ones flagged.
    const exp = await gql(base, "{ exportGraph }");
    const model = typeof exp.exportGraph === "string" ? JSON.parse(exp.exportGraph) : exp.exportGraph;
    const relOf = new Map(model.nodes.filter((n) => typeof n.reliability === "number").map((n) => [n.id, n.reliability]));
    const relCells = await page.$$eval("table.importance tr[data-id]", (l) => l.map((r) => [r.dataset.id, r.children[1].textContent]));
    for (const [id, cell] of relCells) {
      if (relOf.has(id)) assert(Math.abs(Number(cell) - relOf.get(id)) < 0.001, `reliability of ${id}: page ${cell}, model ${relOf.get(id)}`);
      else assert(/not set \(1\)/.test(cell), `${id} has no reliability and is flagged: ${cell}`);
    }
    assert(/Assumptions: /.test(text), "the assumptions are stated: " + text);
    const ranked = [...api.importance].sort((x, y) => y.birnbaum - x.birnbaum || x.event.id.localeCompare(y.event.id)).map((i) => i.event.id);
    await focusOK(page, "resilience", (n) => [objective, ...ranked.slice(0, n)]);
    // Graded by importance: the strongest event is drawn larger than the weakest.
    if (api.importance.length > 1 && ranked.length <= 15) {
      const sizes = await page.evaluate((ids) => ids.map((id) => window.stakegraph.sigma.getNodeDisplayData(id)?.size), [ranked[0], ranked[ranked.length - 1]]);
      const [hi, lo] = [api.importance.find((i) => i.event.id === ranked[0]).birnbaum, api.importance.find((i) => i.event.id === ranked[ranked.length - 1]).birnbaum];
      if (hi > lo) assert(sizes[0] > sizes[1], "sizes graded by Birnbaum: " + sizes);
    }
    const rows = await page.$$eval("table.importance tr[data-id]", (l) => l.map((r) => r.dataset.id));
    const byBirnbaum = [...api.importance].sort((x, y) => y.birnbaum - x.birnbaum || x.event.id.localeCompare(y.event.id)).map((i) => i.event.id);
    assert(JSON.stringify(rows) === JSON.stringify(byBirnbaum), "ranking by Birnbaum: " + rows);
    // Clicking an event selects it in the graph (ring, label, its relationships dark).
    await page.click(`table.importance a[data-id="${rows[0]}"]`);
    await page.waitForFunction((id) => document.querySelector("#graph").dataset.selected === id, rows[0]);
    await page.waitForSelector(`table.importance tr.chosen[data-id="${rows[0]}"]`);
    const ring = await page.evaluate((id) => window.stakegraph.sigma.getNodeDisplayData(id)?.ring, rows[0]);
    assert(ring === "#000000", "the clicked event is ringed: " + ring);
    await page.screenshot({ path: join(artifacts, "16-resilience.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("analyses: impact of a nation highlights exactly the API's downstream nodes and its single-point objectives", async () => {
    const id = "nation:USA";
    const api = (await gql(base, `query($id:ID!){ impact(id:$id){ node { id } capabilities { id } objectives { id } stakeholders { id } singlePointOf { id } explanation { nodes } } }`, { id })).impact;
    const expected = [id, ...api.capabilities, ...api.objectives, ...api.stakeholders, ...api.singlePointOf].map((x) => x.id ?? x).concat(api.explanation.nodes);
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/?sel=" + encodeURIComponent(id));
    await ready(page);
    await page.waitForSelector(`#details[data-node="${id}"] #show-impact`, { timeout: 10_000 });
    await page.click("#show-impact");
    await overlayReady(page);
    sameSet(await highlighted(page), expected, `impact of ${id}`);
    const emphasised = await page.evaluate((ids) => ids.map((o) => window.stakegraph.sigma.getNodeDisplayData(o)?.zIndex), api.singlePointOf.map((o) => o.id));
    assert(emphasised.every((z) => z >= 2), "single-point objectives drawn strong: " + emphasised);
    const text = await page.textContent("#overlay-result");
    assert(new RegExp(`${api.objectives.length} objective\\(s\\) that need them`).test(text), "summary: " + text);
    const order = [...api.singlePointOf, ...api.objectives.filter((o) => !api.singlePointOf.some((s) => s.id === o.id)), ...api.capabilities, ...api.stakeholders].map((x) => x.id);
    await focusOK(page, "impact (top n)", (n) => [id, ...order.slice(0, n)]);
    if (order.length > 15) {
      await page.click("#show-all");
      await page.waitForFunction(() => new URL(location.href).searchParams.get("all") === "1");
      await focusOK(page, "impact (all)", [id, ...order]);
      await page.screenshot({ path: join(artifacts, "17b-impact-all.png") });
      await page.click("#show-all");
      await page.waitForFunction(() => !new URL(location.href).searchParams.has("all"));
    }
    // The rest of the graph, dimmed: the whole model drawn, the answer fitted into the view.
    await page.click("#show-rest");
    await page.waitForFunction(() => window.stakegraph.focusReport().mode === "dim");
    const dim = await page.evaluate(() => window.stakegraph.focusReport());
    assert(!dim.outside.length, "dimmed view: answer nodes outside the viewport: " + dim.outside);
    assert(await page.evaluate(() => window.stakegraph.sigma.getGraph().order === window.stakegraph.nodeCount), "the dimmed view draws the whole model");
    await page.click("#show-rest");
    await page.waitForFunction(() => window.stakegraph.focusReport().mode === "focus");
    assert(new URL(page.url()).searchParams.get("of") === id, "URL holds the node");
    await page.screenshot({ path: join(artifacts, "17-impact.png") });
    // The URL restores it.
    await page.goto(page.url());
    await ready(page);
    await overlayReady(page);
    sameSet(await highlighted(page), expected, "impact after reload");
    assert((await page.inputValue("#of")) === id, "the control shows the node");
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("analyses: partners of a nation are listed in the API's order with exactly its highlights", async () => {
    const id = "nation:USA";
    const api = (await gql(base, `query($id:ID!){ partners(of:$id){ b { id } score conflicts { objectiveA { id } objectiveB { id } explanation { nodes } } } }`, { id })).partners;
    assert(api.length > 0, "USA has partners");
    const expected = [id, ...api.map((p) => p.b.id)];
    for (const p of api) for (const c of p.conflicts) expected.push(c.objectiveA.id, c.objectiveB.id, ...c.explanation.nodes);
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/?sel=" + encodeURIComponent(id));
    await ready(page);
    await page.waitForSelector(`#details[data-node="${id}"] #show-partners`, { timeout: 10_000 });
    await page.click("#show-partners");
    await overlayReady(page);
    sameSet(await highlighted(page), expected, `partners of ${id}`);
    const listed = await page.$$eval("#overlay-result li a", (l) => l.map((a) => new URL(a.href).searchParams.get("sel")));
    assert(JSON.stringify(listed) === JSON.stringify(api.map((p) => p.b.id)), "ranked as the API: " + listed);
    assert(/score \d\.\d\d/.test(await page.textContent("#overlay-result")), "scores shown");
    await focusOK(page, "partners", expected);
    await page.screenshot({ path: join(artifacts, "18-partners.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("a shared link reproduces the picture: deterministic layout, cached per model version, centred on the selection", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    const positions = () => page.evaluate(() => {
      const g = window.stakegraph.graph;
      return g.nodes().map((n) => [n, g.getNodeAttribute(n, "x"), g.getNodeAttribute(n, "y")]);
    });
    await page.goto(base + "/");
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('#graph[data-layout="settled"]', { timeout: 60_000 });
    assert(!(await page.evaluate(() => window.stakegraph.layoutFromCache)), "the first load lays out");
    const first = await positions();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('#graph[data-layout="settled"]', { timeout: 60_000 });
    const second = await positions();
    assert(JSON.stringify(first) === JSON.stringify(second), "two layouts of the same model are identical");
    await page.goto(base + "/?sel=nation:POL");
    await page.waitForSelector('#graph[data-layout="settled"]', { timeout: 60_000 });
    assert(await page.evaluate(() => window.stakegraph.layoutFromCache), "the next load takes the cached layout");
    assert(JSON.stringify(await positions()) === JSON.stringify(first), "the cached layout is the same picture");
    await page.waitForFunction(() => {
      const r = window.stakegraph.sigma;
      const v = r.framedGraphToViewport(r.getNodeDisplayData("nation:POL"));
      const { width, height } = r.getDimensions();
      return Math.abs(v.x - width / 2) < width * 0.1 && Math.abs(v.y - height / 2) < height * 0.1;
    }, null, { timeout: 5_000 }).catch(() => { throw new Error("the selection is not centred in the graph area after layout"); });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("at 1024×768 the header is one line, the graph keeps its width and a focus view fits", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.setViewportSize({ width: 1024, height: 768 });
    const all = await gql(base, `{ singlePointsOfFailure { objective { id } achievable cutSets { events { id } } } }`);
    const objective = all.singlePointsOfFailure.find((o) => o.achievable && o.cutSets.some((c) => c.events.length === 1)).objective.id;
    await page.goto(`${base}/?overlay=spof&objective=${encodeURIComponent(objective)}&sel=nation:USA`);
    await ready(page);
    await overlayReady(page);
    await page.waitForSelector('#details[data-node="nation:USA"]', { timeout: 10_000 });
    const m = await page.evaluate(() => {
      const kids = [...document.querySelectorAll("header > *")].filter((e) => e.offsetParent !== null);
      const tops = kids.map((e) => e.getBoundingClientRect().top);
      return { header: document.querySelector("header").getBoundingClientRect().height, spread: Math.max(...tops) - Math.min(...tops), graph: document.querySelector("#graph").getBoundingClientRect().width };
    });
    assert(m.header <= 50 && m.spread <= 12, `the header does not wrap: ${JSON.stringify(m)}`);
    assert(m.graph >= 700, `the graph area is ${m.graph} px wide at 1024 px`);
    await focusOK(page, "single points of failure at 1024×768");
    await page.screenshot({ path: join(artifacts, "19-1024.png") });
    await page.click("#close-details");
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("sel"));
    assert(await page.isHidden("#details"), "× closes the details drawer");
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("time: the date slider, what is out of force, and expiring gaps that have come about", async () => {
    const d = "2030-01-01";
    const today = new Date().toISOString().slice(0, 10);
    const exp = await gql(base, "{ exportGraph }");
    const model = typeof exp.exportGraph === "string" ? JSON.parse(exp.exportGraph) : exp.exportGraph;
    // The validity rule of docs/analyses.md, applied independently: an agreement counts when signed <= d < expires,
    // a relationship when validFrom <= d < validTo; an agreement out of force takes its
    // relationships with it.
    const counts = (from, to) => (!from || from <= d) && (!to || d < to);
    const deadAgr = new Set(model.nodes.filter((n) => n.label === "Agreement" && !counts(n.signed, n.expires)).map((n) => n.id));
    const deadRels = model.relationships.filter((r) => deadAgr.has(r.from) || deadAgr.has(r.to) || !counts(r.validFrom, r.validTo)).length;
    const came = (await gql(base, "query($a:Date,$h:Date){ gaps(kinds:[EXPIRING], asOf:$a, horizon:$h){ kind } }", { a: today, h: d })).gaps;
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(`${base}/?overlay=gaps&gap=EXPIRING&asOf=${d}`);
    await ready(page);
    await overlayReady(page);
    const oof = await page.textContent("#out-of-force");
    assert(oof.startsWith(`${deadAgr.size + deadRels} out of force on ${d}: ${deadAgr.size} agreement(s) and ${deadRels} relationship(s)`), `out of force: ${oof} (expected ${deadAgr.size} + ${deadRels})`);
    const legendText = (await page.$$eval("#legend-list li", (l) => l.map((x) => x.textContent))).join(" | ");
    if (deadAgr.size + deadRels) assert(legendText.includes(`out of force on ${d}`), "the legend explains out-of-force items: " + legendText);
    const summary = await page.textContent("#overlay-result");
    if (came.length) assert(summary.includes(`${came.length} gap(s) still ahead on ${today} have come about by ${d}`), "expiring gaps that came about are said: " + summary);
    // The slider moves the view's date between the dates where something changes.
    const stop = await page.evaluate(() => {
      const s = document.querySelector("#date-slider");
      s.value = "1";
      s.dispatchEvent(new Event("change"));
      return Number(s.max);
    });
    assert(stop > 3, "the slider has the model's validity dates as stops: " + stop);
    await page.waitForFunction((d0) => new URL(location.href).searchParams.get("asOf") !== d0, d);
    const moved = new URL(page.url()).searchParams.get("asOf");
    const isStop = model.nodes.some((n) => n.signed === moved || n.expires === moved) || model.relationships.some((r) => r.validFrom === moved || r.validTo === moved);
    assert(moved && moved < d && isStop, "the slider's date is a validity date: " + moved);
    await page.screenshot({ path: join(artifacts, "20-time.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("a large model starts from search and draws neighbourhoods on demand", async () => {
    // The demo stands in for a large model: this browser is told a smaller threshold.
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/");
    await page.evaluate(() => localStorage.setItem("stakegraph.largeNodes", "100"));
    await page.reload();
    await ready(page);
    try {
      assert((await page.evaluate(() => window.stakegraph.sigma.getGraph().order)) === 0, "nothing is drawn at first");
      assert(/search for a node/.test(await page.textContent("#graph-status")), "the page invites a search");
      await page.fill("#search", "POL");
      await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "POL");
      await page.press("#search", "Enter");
      await page.waitForSelector('#details[data-node="nation:POL"]', { timeout: 10_000 });
      const want = await page.evaluate(() => ["nation:POL", ...window.stakegraph.graph.neighbors("nation:POL")].sort());
      await page.waitForFunction((n) => window.stakegraph.sigma.getGraph().order === n, want.length, { timeout: 10_000 });
      const check = () => page.evaluate(() => {
        const r = window.stakegraph.sigma;
        r.refresh();
        const { width, height } = r.getDimensions();
        const labels = r.displayedNodeLabels;
        const ids = r.getGraph().nodes();
        return {
          ids: ids.sort(),
          unlabelled: ids.filter((id) => !labels.has(id) || !r.getNodeDisplayData(id).label),
          outside: ids.filter((id) => { const v = r.framedGraphToViewport(r.getNodeDisplayData(id)); return v.x < 0 || v.y < 0 || v.x > width || v.y > height; }),
        };
      });
      let c = await check();
      sameSet(c.ids, want, "Poland and its neighbours are drawn");
      assert(!c.unlabelled.length && !c.outside.length, "every drawn node labelled and in view: " + JSON.stringify(c));
      // Clicking a neighbour expands the drawing with its neighbours.
      const next = want.find((id) => id !== "nation:POL");
      await page.evaluate((id) => window.stakegraph.select(id), next);
      const grown = await page.evaluate(([a, b]) => [...new Set([...window.stakegraph.graph.neighbors(a), ...window.stakegraph.graph.neighbors(b).slice(0, 200), a, b])].sort(), ["nation:POL", next]);
      await page.waitForFunction((n) => window.stakegraph.sigma.getGraph().order === n, grown.length, { timeout: 10_000 });
      c = await check();
      sameSet(c.ids, grown, "the neighbourhood grows on demand");
      await page.screenshot({ path: join(artifacts, "21-large-search.png") });
      // An analysis still draws its focus view.
      await page.selectOption("#overlay", "brokers");
      await overlayReady(page);
      await focusOK(page, "brokers in a large model");
    } finally {
      await page.evaluate(() => localStorage.removeItem("stakegraph.largeNodes"));
    }
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("compare: a what-if against the baseline, highlighted exactly as the API explains it", async () => {
    const nation = "nation:USA";
    const to = "2028-01-01";
    const c = (await gql(base, `query($d:[ID!],$to:Date){ compare(scenarioAsOf:$to, down:$d){ empty
      gapsAppeared { objective { id } capability { id } stakeholder { id } threat { id } explanation { nodes } }
      gapsDisappeared { objective { id } capability { id } stakeholder { id } threat { id } explanation { nodes } }
      singlePointsAppeared { objective { id } event { id } explanation { nodes } } singlePointsDisappeared { objective { id } event { id } explanation { nodes } }
      objectivesLost { objective { id } explanation { nodes } } objectivesGained { objective { id } explanation { nodes } }
      coalitionMoves { nation { id } scenarioExplanation { nodes } } down { id } } }`, { d: [nation], to })).compare;
    assert(!c.empty, "downing the USA changes something");
    const expected = new Set([nation]);
    const addAll = (xs) => xs.forEach((x) => x && expected.add(x));
    for (const g of [...c.gapsAppeared, ...c.gapsDisappeared]) addAll([...g.explanation.nodes, g.objective?.id, g.stakeholder?.id, g.capability?.id, g.threat?.id]);
    for (const p of [...c.singlePointsAppeared, ...c.singlePointsDisappeared]) addAll([...p.explanation.nodes, p.event.id, ...(c.singlePointsAppeared.includes(p) ? [p.objective.id] : [])]);
    for (const o of [...c.objectivesLost, ...c.objectivesGained]) addAll([...o.explanation.nodes, o.objective.id]);
    for (const m of c.coalitionMoves) addAll([...m.scenarioExplanation.nodes, m.nation.id]);
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(`${base}/?overlay=compare&to=${to}&down=${encodeURIComponent(nation)}`);
    await ready(page);
    await overlayReady(page);
    sameSet(await highlighted(page), [...expected], "comparison highlighted");
    const lost = await page.evaluate((ids) => ids.map((id) => window.stakegraph.sigma.getNodeDisplayData(id)?.color), c.objectivesLost.map((o) => o.objective.id).slice(0, 5));
    assert(lost.every((col) => col?.toUpperCase() === OKABE_YELLOW), "lost objectives drawn as what gets worse: " + lost);
    const text = await page.textContent("#overlay-result");
    assert(text.includes(`${c.gapsAppeared.length} gap(s) appear and ${c.gapsDisappeared.length} disappear`) && text.includes(`${c.objectivesLost.length} objective(s) are lost`), "the summary counts the API's changes: " + text.slice(0, 300));
    await focusOK(page, "comparison");
    await page.screenshot({ path: join(artifacts, "22-compare.png") });
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("an unknown id in the URL says so", async () => {
    const page = await ctx.newPage();
    await page.goto(base + "/?sel=nation:ATLANTIS&asOf=2027-02-30");
    await ready(page);
    await page.waitForSelector("#details h2:text('Unknown id')", { timeout: 10_000 });
    const msg = await page.textContent("#message");
    assert(/no node with that id/.test(msg) && /nation:ATLANTIS/.test(msg), "message: " + msg);
    assert(/asOf "2027-02-30" in the URL is not a date/.test(msg), "bad date reported: " + msg);
    const banners = await page.$$eval("#message p", (l) => l.map((p) => p.firstChild.textContent));
    assert(new Set(banners).size === banners.length, "one banner per distinct error: " + banners.join(" | "));
    await page.goto(base + "/?overlay=spof&objective=obj:nothing");
    await ready(page);
    await page.waitForFunction(() => document.querySelector("#graph").dataset.overlayStatus === "error");
    const msg2 = await page.textContent("#message");
    assert(/obj:nothing/.test(msg2), "overlay on an unknown objective: " + msg2);
    await page.screenshot({ path: join(artifacts, "06-unknown-id.png") });
    await page.close();
  });

  await test("a failed API call shows a readable message, not a blank page", async () => {
    const page = await ctx.newPage();
    await page.route("**/graphql", (r) => r.fulfill({ status: 502, contentType: "text/plain", body: "Bad Gateway" }));
    await page.goto(base + "/");
    await page.waitForSelector('#graph[data-loaded="error"]', { timeout: 20_000 });
    const msg = await page.textContent("#message");
    assert(/HTTP 502/.test(msg) && /exportGraph/.test(msg), "message: " + msg);
    await page.unroute("**/graphql");
    await page.route("**/graphql", (r) => r.abort());
    await page.reload();
    await page.waitForSelector('#graph[data-loaded="error"]', { timeout: 20_000 });
    assert(/Cannot reach the API/.test(await page.textContent("#message")), "network failure message");
    await page.screenshot({ path: join(artifacts, "07-api-down.png") });
    await page.close();
  });

  await test("the view exports as a PNG", async () => {
    const page = await ctx.newPage();
    await page.goto(base + "/?overlay=brokers");
    await ready(page);
    await overlayReady(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    const file = join(artifacts, "08-export.png");
    await download.saveAs(file);
    const { readFileSync } = await import("node:fs");
    const buf = readFileSync(file);
    assert(buf.length > 5000 && buf.subarray(1, 4).toString() === "PNG", `a PNG file (${buf.length} bytes)`);
    // The export is not blank: some pixel differs from white.
    const nonWhite = await page.evaluate(async () => {
      const img = new Image();
      img.src = await window.stakegraph.exportPNG();
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height - 40).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
      return n;
    });
    assert(nonWhite > 500, `the exported graph has drawn pixels (${nonWhite})`);
    const dims = await page.evaluate(async () => {
      const img = new Image();
      img.src = await window.stakegraph.exportPNG();
      await img.decode();
      return [img.width, window.stakegraph.sigma.getDimensions().width];
    });
    assert(dims[0] >= 3 * dims[1], `high resolution: ${dims[0]} px wide for a ${dims[1]} px graph`);
    await page.close();
  });

  await test("the other overlays answer: gaps, overlap, coalitions", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    for (const [q, shot] of [["overlay=gaps&gap=SINGLE_SOURCE", "09-gaps.png"], ["overlay=overlap&a=nation:USA&b=nation:FRA", "10-overlap.png"], ["overlay=coalitions", "11-coalitions.png"]]) {
      await page.goto(`${base}/?${q}`);
      await ready(page);
      await overlayReady(page);
      assert((await highlighted(page)).length > 0, `${q} highlights something`);
      await focusOK(page, q);
      await page.screenshot({ path: join(artifacts, shot) });
    }
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("gaps: grouped by kind and objective, agencies merged under their nation, the top answers in focus", async () => {
    const list = (await gql(base, `{ gaps { kind objective { id } capability { id } stakeholder { id } threat { id } causedBy cause { kind } explanation { nodes } } }`)).gaps;
    assert(list.length > 15, "the seed has more gaps than the focus view draws at first");
    const expected = new Set();
    for (const g of list) for (const x of [...g.explanation.nodes, g.objective?.id, g.stakeholder?.id, g.capability?.id, g.threat?.id]) if (x) expected.add(x);
    const agencies = (await gql(base, "{ agencies(first: 500) { nodes { id nation { id } } } }")).agencies.nodes;
    const nationOf = new Map(agencies.filter((a) => a.nation).map((a) => [a.id, a.nation.id]));
    const key = (g) => JSON.stringify([g.kind, g.cause?.kind, g.objective?.id, g.capability?.id, g.threat?.id, [...g.causedBy].sort()]);
    const has = new Set(list.filter((g) => g.stakeholder).map((g) => key(g) + g.stakeholder.id));
    const mergeable = list.filter((g) => g.stakeholder && nationOf.has(g.stakeholder.id) && has.has(key(g) + nationOf.get(g.stakeholder.id)));
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(`${base}/?overlay=gaps`);
    await ready(page);
    await overlayReady(page);
    sameSet(await highlighted(page), [...expected], "gaps highlighted");
    const titles = Object.fromEntries(await page.$$eval("#overlay-result details[data-key] > summary", (l) => l.map((x) => [x.parentElement.dataset.key, x.textContent])));
    const byKind = {};
    for (const g of list) byKind[g.kind] = (byKind[g.kind] ?? 0) + 1;
    sameSet(Object.keys(titles), Object.keys(byKind), "one heading per gap kind");
    for (const [kind, n] of Object.entries(byKind)) assert(new RegExp(`\\(${n}[,)]`).test(titles[kind]), `the heading of ${kind} counts ${n}: ${titles[kind]}`);
    const lines = await page.$$eval("#overlay-result li", (l) => l.map((x) => x.textContent));
    assert(lines.length === list.length - mergeable.length, `${list.length} gaps, ${mergeable.length} merged into their nation's line: ${lines.length} lines`);
    if (mergeable.length) assert(lines.some((l) => /\(also /.test(l)), "a merged line names the agencies");
    assert(!lines.some((l) => /when [a-z]+:[^ ]/.test(l)), "expiring lines name what ends, not raw ids: " + lines.filter((l) => /when/.test(l)).slice(0, 3));
    const r = await focusOK(page, "gaps (top n)");
    assert(r.drawn.length < expected.size, "the top answers only, not all " + expected.size);
    await page.screenshot({ path: join(artifacts, "09b-gaps-focus.png") });
    await page.click("#show-all");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("all") === "1");
    await focusOK(page, "gaps (all)", [...expected]);
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("report exports: SVG with title, date, legend and answer; CSV of the answer list; GraphML and GEXF of what is drawn", async () => {
    const all = await gql(base, `{ singlePointsOfFailure { objective { id name } achievable cutSets { events { id name } } } }`);
    const o = all.singlePointsOfFailure.find((x) => x.achievable && x.cutSets.some((c) => c.events.length === 1));
    const events = o.cutSets.filter((c) => c.events.length === 1).flatMap((c) => c.events);
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(`${base}/?overlay=spof&objective=${encodeURIComponent(o.objective.id)}&asOf=2027-06-01`);
    await ready(page);
    await overlayReady(page);
    const r = await focusOK(page, "spof before export");
    const download = async (value) => {
      const [d] = await Promise.all([page.waitForEvent("download"), page.selectOption("#export-as", value)]);
      const file = join(artifacts, d.suggestedFilename());
      await d.saveAs(file);
      return (await import("node:fs")).readFileSync(file, "utf8");
    };
    const svg = await download("svg");
    const { DOMParser } = await import("@xmldom/xmldom");
    const parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
    const texts = Array.from(parsed.getElementsByTagName("text")).map((t) => t.textContent);
    assert(texts.some((t) => t.startsWith("Single points of failure — ") && t.includes(o.objective.name)), "title: " + texts[0]);
    assert(texts.includes("as of 2027-06-01 · stakegraph"), "date: " + texts[1]);
    assert(texts.includes("Legend") && texts.includes("Nation"), "legend in the SVG");
    for (const e of events) assert(texts.some((t) => t.includes(e.name.slice(0, 20))), `answer ${e.name} in the SVG (label or list)`);
    const labels = await page.evaluate((ids) => ids.map((id) => window.stakegraph.sigma.getNodeDisplayData(id).label), r.drawn);
    for (const l of labels) assert(texts.includes(l), `the drawn label "${l}" is in the SVG`);
    const csv = await download("csv");
    const Papa = (await import("papaparse")).default;
    const rows = Papa.parse(csv, { skipEmptyLines: true }).data;
    assert(rows.length === events.length + 1 && events.every((e) => rows.some((row) => row[3] === e.id)), "the CSV lists every answer: " + JSON.stringify(rows));
    const gml = await download("graphml");
    const { parse } = await import("graphology-graphml");
    const Graph = (await import("graphology")).default;
    const back = parse(Graph, new DOMParser().parseFromString(gml, "application/xml"));
    sameSet(back.nodes(), r.drawn, "GraphML nodes are what the focus view draws");
    assert(back.size > 0, "with their relationships");
    const gx = await download("gexf");
    const { parse: parseGEXF } = await import("graphology-gexf");
    const gxBack = parseGEXF(Graph, gx);
    sameSet(gxBack.nodes(), r.drawn, "GEXF nodes are what the focus view draws");
    assert(gxBack.size === back.size, `GEXF has the GraphML's ${back.size} relationships (${gxBack.size})`);
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    await page.close();
  });

  await test("GraphiQL is served at /graphiql from the binary and runs a query", async () => {
    const page = await ctx.newPage();
    const w = watch(page, base);
    await page.goto(base + "/graphiql");
    await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => /totalCount/.test(document.querySelector(".graphiql-response")?.textContent ?? ""), null, { timeout: 20_000 });
    await page.screenshot({ path: join(artifacts, "12-graphiql.png") });
    // It opens with the cookbook's questions as tabs, and no token field on an open server.
    const sections = (readFileSync(new URL("../../docs/cookbook.md", import.meta.url), "utf8").match(/^```graphql$/gm) ?? []).length;
    const tabCount = await page.locator(".graphiql-tab").count();
    assert(sections >= 18 && tabCount === sections + 1, `${tabCount} tabs for ${sections} cookbook questions and the default`);
    assert((await page.locator("#token-bar").count()) === 0, "no token field when the server is open");
    // A cookbook tab runs: §19, nations in PESCO but not in NATO.
    await page.locator(".graphiql-tab", { hasText: "Q19_" }).first().click();
    await page.click(".graphiql-execute-button");
    try {
      await page.waitForFunction(() => /"nations"/.test(document.querySelector(".graphiql-response")?.textContent ?? ""), null, { timeout: 20_000 });
    } finally {
      await page.screenshot({ path: join(artifacts, "12-graphiql-cookbook-tab.png") });
    }
    const shown = await page.textContent(".graphiql-response");
    const want = await gql(base, '{ nations(where: {partyTo_SOME: {agreement: {id_EQ: "agr:pesco"}}, partyTo_NONE: {agreement: {id_EQ: "agr:north-atlantic-treaty"}}}) { nodes { code } } }');
    assert(want.nations.nodes.length > 0 && want.nations.nodes.every((n) => shown.includes(`"${n.code}"`)), `tab Q19 answers as the API does: ${JSON.stringify(want)} in ${shown.slice(0, 300)}`);
    assert(!w.errors.length, "console errors: " + w.errors.join(" | "));
    assert(!w.external.length, "requests outside the server: " + w.external.join(" "));
    await page.close();
  });

  await test("with authentication: sign-in panel on 401, the graph after a token, releasability by nation", async () => {
    // A second server, with an HS256 secret in a temporary auth config.
    const secret = randomBytes(32).toString("hex");
    const cfg = join(binDir, "auth.json");
    writeFileSync(cfg, JSON.stringify({ hs256Secret: secret }));
    const authServer = await startServer(bin, { args: ["-auth-config", cfg] });
    const abase = authServer.url;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const usa = jwt(secret, { sub: "e2e-usa", role: "analyst", nation: "USA", exp });
    const fra = jwt(secret, { sub: "e2e-fra", role: "analyst", nation: "FRA", exp });
    try {
      const r = await fetch(abase + "/graphql", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: "{ exportGraph }" }) });
      assert(r.status === 401, `the server requires a token (HTTP ${r.status})`);
      const page = await ctx.newPage();
      const w = watch(page, abase);
      await page.goto(abase + "/");
      await page.waitForSelector("#signin:not([hidden])", { timeout: 30_000 });
      assert((await page.getAttribute("#graph", "data-loaded")) === "auth", "the page waits for sign-in");
      assert(/requires authentication/.test(await page.textContent("#signin")), "the panel says why");
      assert(!(await page.textContent("#message")).includes("HTTP 401"), "no raw error shown");
      await page.screenshot({ path: join(artifacts, "13-signin.png") });
      // A malformed token is refused in the page, not sent.
      await page.fill("#token", "not a token");
      await page.click("#signin button[type=submit]");
      assert(/no spaces|neither/.test(await page.textContent("#signin-error")), "malformed token refused");
      // The USA analyst signs in: the graph loads (page by page: exportGraph is for admins).
      await page.fill("#token", usa);
      await page.click("#signin button[type=submit]");
      await ready(page);
      assert(await page.isHidden("#signin"), "the panel is gone");
      const stored = await page.evaluate(() => [sessionStorage.getItem("stakegraph.token"), Object.values(localStorage), location.href]);
      assert(stored[0] === usa && !stored[1].some((v) => v.includes(usa.slice(0, 20))) && !stored[2].includes(usa.slice(0, 20)), "token in sessionStorage only");
      assert(/e2e-usa · analyst · USA/.test(await page.textContent("#who")), "who is signed in");
      assert(/Your role does not allow exportGraph/.test(await page.textContent("#message")), "says which action the role does not allow");
      const hasUkusa = await page.evaluate(() => window.stakegraph.graph.hasNode("agr:ukusa"));
      assert(hasUkusa, "agr:ukusa (Five Eyes) is visible to USA");
      const viaAPI = await gql(abase, '{ search(text: "UKUSA") { id } }', {}, usa);
      assert(viaAPI.search.some((x) => x.id === "agr:ukusa"), "the API shows it to USA");
      await page.fill("#search", "UKUSA");
      await page.waitForSelector('#search-results button[data-id="agr:ukusa"]', { timeout: 10_000 });
      const counts = await page.evaluate(() => [window.stakegraph.nodeCount, window.stakegraph.edgeCount]);
      assert(counts[0] > 200 && counts[1] > 1000, "the model loads: " + counts);
      await page.screenshot({ path: join(artifacts, "14-signed-in-usa.png") });
      // The download menu saves the model as this analyst may see it (GET /export.graphml).
      const usaFile = await downloadModel(page, "graphml");
      assert(usaFile.name === "stakegraph.graphml" && usaFile.body.includes('<node id="agr:ukusa">'), `USA's GraphML holds agr:ukusa (${usaFile.name}, ${usaFile.body.length} bytes)`);
      // Sign out: the panel again, token gone.
      await page.press("#search", "Escape"); // the results list covers the header's right end
      await page.click("#signout");
      await page.waitForSelector("#signin:not([hidden])", { timeout: 30_000 });
      assert((await page.evaluate(() => sessionStorage.getItem("stakegraph.token"))) === null, "signed out");
      // A French analyst does not see it.
      await page.fill("#token", fra);
      await page.click("#signin button[type=submit]");
      await ready(page);
      assert(!(await page.evaluate(() => window.stakegraph.graph.hasNode("agr:ukusa"))), "agr:ukusa is absent for FRA");
      await page.fill("#search", "UKUSA");
      await page.waitForSelector("#search-results li.muted", { timeout: 10_000 });
      assert(/nothing named like "UKUSA"/.test(await page.textContent("#search-results")), "search finds nothing for FRA");
      await page.screenshot({ path: join(artifacts, "15-signed-in-fra.png") });
      const fraFile = await downloadModel(page, "json");
      const fraDoc = JSON.parse(fraFile.body);
      assert(fraDoc.nodes.length > 200 && !fraDoc.nodes.some((n) => n.id === "agr:ukusa"), `FRA's JSON export lacks agr:ukusa (${fraDoc.nodes.length} nodes)`);
      assert(!fraDoc.relationships.some((r) => r.from === "agr:ukusa" || r.to === "agr:ukusa"), "and every relationship of it");
      // GraphiQL sends the same token by default.
      await page.goto(abase + "/graphiql");
      await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
      await page.click(".graphiql-execute-button");
      await page.waitForFunction(() => /totalCount/.test(document.querySelector(".graphiql-response")?.textContent ?? ""), null, { timeout: 20_000 });
      assert(!w.errors.filter((e) => !/status of 40[13]/.test(e)).length, "console errors: " + w.errors.join(" | "));
      await page.close();
      // Without the stored token GraphiQL gets the 401 as a readable error, and offers a
      // token field that refuses a malformed token and uses a good one.
      const anon = await ctx.newPage();
      await anon.goto(abase + "/graphiql");
      await anon.waitForSelector(".graphiql-container", { timeout: 30_000 });
      await anon.click(".graphiql-execute-button");
      await anon.waitForFunction(() => /UNAUTHENTICATED|bearer/i.test(document.querySelector(".graphiql-response")?.textContent ?? ""), null, { timeout: 20_000 });
      await anon.waitForSelector("#token-bar", { timeout: 10_000 });
      await anon.fill("#token-bar #token", "not a token");
      await anon.click("#token-bar button[type=submit]");
      assert(/no spaces|neither/.test(await anon.textContent("#token-problem")), "GraphiQL refuses a malformed token");
      await anon.fill("#token-bar #token", usa);
      await anon.click("#token-bar button[type=submit]");
      await anon.waitForSelector("#token-clear", { timeout: 10_000 });
      await anon.click(".graphiql-execute-button");
      await anon.waitForFunction(() => /totalCount/.test(document.querySelector(".graphiql-response")?.textContent ?? ""), null, { timeout: 20_000 });
      await anon.screenshot({ path: join(artifacts, "16-graphiql-token.png") });
      await anon.close();
    } finally {
      await authServer.stop();
    }
  });
} finally {
  await browser.close();
  await server.stop();
  rmSync(binDir, { recursive: true, force: true });
}

const failedCases = results.filter((r) => !r.ok);
writeFileSync(join(artifacts, "e2e-results.json"), JSON.stringify(results.map((r) => ({ name: r.name, ok: r.ok, error: r.error?.message })), null, 2));
log(`${results.length - failedCases.length}/${results.length} end-to-end cases passed; screenshots in ${artifacts}`);
process.exit(failedCases.length ? 1 : 0);
