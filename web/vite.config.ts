import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Two pages, both served by the Go binary from the embedded dist/: the explorer at / and
// the GraphQL IDE at /graphiql. emptyOutDir is off because dist/README.txt is committed;
// scripts/clean-dist.mjs empties the rest before each build.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: false,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        index: resolve(__dirname, "index.html"),
        graphiql: resolve(__dirname, "graphiql.html"),
      },
    },
  },
  worker: { format: "es" },
  server: { proxy: { "/graphql": "http://127.0.0.1:8080" } },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
