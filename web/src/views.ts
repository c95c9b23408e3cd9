// Saved views: the explorer's URL state under a name, kept by the server (saveView,
// savedViews, deleteView). The pure parts: what is saved, how a view is listed, where
// opening it goes.

/** SavedView is one saved view as savedViews lists it. */
export interface SavedView {
  id: string;
  name: string;
  /** The URL query string without "?". */
  state: string;
  author: string;
  nation: string | null;
  createdAt: string;
  graphVersion: string;
  /** The model changed since the view was saved. */
  modelChanged: boolean;
  /** The viewer may delete it (its author, or an administrator). */
  deletable: boolean;
}

/** The server's limits (graph.MaxViewNameChars, graph.MaxViewStateBytes). */
export const MAX_NAME_CHARS = 200;
export const MAX_STATE_BYTES = 4096;

/** stateOf is what a view saves of the page's location.search: the query string without "?". */
export function stateOf(search: string): string {
  return search.startsWith("?") ? search.slice(1) : search;
}

/** urlOf is the URL that opens a view's state on the page at pathname. */
export function urlOf(pathname: string, state: string): string {
  return pathname + (state ? "?" + state : "");
}

/**
 * checkName says what is wrong with a name before it is sent (undefined when nothing): the
 * server checks the same and is the judge; this spares a round trip for the usual slips.
 */
export function checkName(name: string): string | undefined {
  if (!/[^\s\u200b\u2060\ufeff]/u.test(name)) return "Give the view a name.";
  if ([...name].length > MAX_NAME_CHARS) return `A view's name is at most ${MAX_NAME_CHARS} characters.`;
  if (/[\n\r]/.test(name)) return "A view's name is one line.";
  return undefined;
}

/** checkState says why state cannot be saved (undefined when it can). */
export function checkState(state: string): string | undefined {
  const bytes = new TextEncoder().encode(state).length;
  if (bytes > MAX_STATE_BYTES) return `This view's URL state is ${bytes} bytes, more than the ${MAX_STATE_BYTES} a saved view may hold.`;
  return undefined;
}

/** describe is the line under a view's name in the list: author, date and whether the model changed. */
export function describe(v: SavedView): string {
  const when = v.createdAt.slice(0, 16).replace("T", " ");
  const parts = [`by ${v.author}`, `${when} UTC`];
  if (v.modelChanged) parts.push("the model has changed since: the view may show something else now");
  return parts.join(" · ");
}
