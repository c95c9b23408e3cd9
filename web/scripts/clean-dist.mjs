// Empties web/dist before a build but keeps dist/README.txt, the one committed file there
// (Vite's own emptyOutDir would delete it).
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
for (const name of readdirSync(dist)) {
  if (name !== "README.txt") rmSync(join(dist, name), { recursive: true, force: true });
}
