// Counts the gaps of each kind and lists the objectives that are not achievable, with
// fetch (Node.js 18+ or a browser). The server is $STAKEGRAPH_URL (default
// http://127.0.0.1:8080), the token $STAKEGRAPH_TOKEN (none for a server without
// authentication). Prints one JSON object. docs/scripting.md explains it.
//
//   node examples/gaps.mjs
const url = (process.env.STAKEGRAPH_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const token = process.env.STAKEGRAPH_TOKEN;

async function graphql(query, variables = {}) {
  const res = await fetch(url + '/graphql', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await res.json();
  if (answer.errors?.length) {
    throw new Error(answer.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  }
  return answer.data;
}

const data = await graphql(`{
  gapCounts { kind count }
  singlePointsOfFailure { objective { id } achievable }
}`);
const counts = Object.fromEntries(data.gapCounts.map((c) => [c.kind, c.count]));
const notAchievable = data.singlePointsOfFailure.filter((o) => !o.achievable).map((o) => o.objective.id);
console.log(JSON.stringify({ gapCounts: counts, notAchievable }, null, 2));
