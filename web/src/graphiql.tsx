// The GraphQL IDE at /graphiql: GraphiQL bundled from npm (no CDN), talking to /graphql.
import { GraphiQL } from "graphiql";
import type { Fetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";
import { createRoot } from "react-dom/client";
import { authHeaders, mergeHeaders } from "./auth";

// The explorer's token (sessionStorage, after signing in at /) is sent by default; an
// Authorization header typed in the headers editor replaces it for that request.
const fetcher: Fetcher = async (params, opts) => {
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
# When the server requires a token, sign in at / (this tab's token is sent from here too),
# or set {"Authorization": "Bearer …"} in the Headers tab below.
{
  nations(first: 5) {
    totalCount
    nodes {
      id
      name
      region
      agencies { id name kind }
      provides { capability { id name } validFrom validTo }
    }
  }
}
`;

const root = document.getElementById("graphiql")!;
root.textContent = "";
createRoot(root).render(<GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />);
