// graphology-gexf's writer alone: its browser entry also loads a parser that needs the
// page's DOMParser when imported, which Vitest (Node) lacks and the explorer never uses.
declare module "graphology-gexf/browser/writer.js" {
  import { write } from "graphology-gexf/browser";
  export default write;
}
