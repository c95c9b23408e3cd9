// The GraphQL IDE at /graphiql: GraphiQL bundled from npm (no CDN), talking to /graphql. It
// opens with every question of the analyst's cookbook as a tab, and with a token field
// when the server requires authentication.
import { GraphiQL } from "graphiql";
import type { Fetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { authHeaders, clearToken, getToken, mergeHeaders, setToken } from "./auth";
import { definesOperation, recipes, tabs } from "./cookbook";
import cookbook from "../../docs/cookbook.md?raw";

// The explorer's token (sessionStorage, after signing in at / or in the token field here)
// is sent by default; an Authorization header typed in the headers editor replaces it for
// that request.
const fetcher: Fetcher = async (params, opts) => {
  // Right after a tab switch GraphiQL can still send the previous tab's operation name,
  // which the server refuses ("operation Start not found"); a name the document does not
  // define is dropped, so that the tab's own (single) operation runs.
  if (params.operationName && !definesOperation(params.query, params.operationName)) {
    params = { ...params, operationName: null };
  }
  const res = await fetch("/graphql", {
    method: "POST",
    headers: mergeHeaders({ "Content-Type": "application/json", Accept: "application/json", ...authHeaders() }, opts?.headers),
    body: JSON.stringify(params),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status} from /graphql: ${text.slice(0, 300)}` }] };
  }
};

const defaultQuery = `# stakegraph's GraphQL API. The explorer is at / .
# The other tabs are the analyst's cookbook (docs/cookbook.md); docs/playground.md explains
# where, orderBy and the aggregates. When the server requires a token, paste it in the
# field above (or sign in at /).
query Start {
  nations(first: 5, orderBy: [{ field: NAME }]) {
    totalCount
    nodes {
      id
      name
      region
      agencies(where: { kind_EQ: MILITARY }) { id name kind }
      provides { capability { id name } validFrom validTo }
    }
  }
}
`;

/** authRequired asks /graphql without a token: a 401 means the server wants one. */
async function authRequired(): Promise<boolean> {
  try {
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    return res.status === 401;
  } catch {
    return false;
  }
}

/** TokenBar holds the bearer token this tab sends, when the server requires one. */
function TokenBar({ onChange }: { onChange: () => void }) {
  const [needed, setNeeded] = useState(false);
  const [stored, setStored] = useState(Boolean(getToken()));
  const [problem, setProblem] = useState<string>();
  const [value, setValue] = useState("");
  useEffect(() => {
    authRequired().then(setNeeded);
  }, []);
  if (!needed && !stored) return null;
  const use = (e: React.FormEvent) => {
    e.preventDefault();
    const p = setToken(value);
    setProblem(p);
    if (!p) {
      setValue("");
      setStored(true);
      onChange();
    }
  };
  return (
    <form id="token-bar" onSubmit={use} style={{ display: "flex", gap: "0.5em", alignItems: "center", padding: "0.4em 0.8em", font: "14px system-ui, sans-serif", borderBottom: "1px solid #ddd" }}>
      <label htmlFor="token">{stored ? "Token set for this tab." : "This server requires a token:"}</label>
      <input id="token" type="password" autoComplete="off" placeholder="JWT or sgt_… API token" value={value} onChange={(e) => setValue(e.target.value)} style={{ flex: 1, maxWidth: "40em" }} />
      <button type="submit">{stored ? "Replace" : "Use token"}</button>
      {stored && (
        <button type="button" id="token-clear" onClick={() => { clearToken(); setStored(false); onChange(); }}>
          Forget token
        </button>
      )}
      {problem && <span id="token-problem" role="alert" style={{ color: "#b00" }}>{problem}</span>}
    </form>
  );
}

function IDE() {
  const [, setTick] = useState(0);
  return (
    <div style={{ display: "flex", flexDirection: "column", height: "100%" }}>
      <TokenBar onChange={() => setTick((n) => n + 1)} />
      <div style={{ flex: 1, minHeight: 0 }}>
        <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} defaultTabs={[{ query: defaultQuery }, ...tabs(recipes(cookbook))]} />
      </div>
    </div>
  );
}

const root = document.getElementById("graphiql")!;
root.textContent = "";
createRoot(root).render(<IDE />);
