// The peer for `make bench-api`: @neo4j/graphql on Apollo Server, over the same Neo4j and
// the same labels and relationship types as stakegraph. Listens on 127.0.0.1:$PORT.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

// Only what the benchmark's queries read; property names as stakegraph stores them.
export const typeDefs = /* GraphQL */ `
  type Nation @node {
    id: ID!
    code: String!
    name: String!
    region: String
    agencies: [Agency!]! @relationship(type: "PART_OF", direction: IN)
    provides: [Capability!]! @relationship(type: "PROVIDES", direction: OUT, properties: "Provision")
  }
  type Agency @node {
    id: ID!
    name: String!
    kind: String!
    provides: [Capability!]! @relationship(type: "PROVIDES", direction: OUT, properties: "Provision")
  }
  type Capability @node {
    id: ID!
    name: String!
    category: String
    dependsOn: [Capability!]! @relationship(type: "DEPENDS_ON", direction: OUT)
  }
  type Provision @relationshipProperties {
    validFrom: Date
    validTo: Date
    capacity: Float
  }
`;

const port = Number(process.env.PORT ?? 4000);
const driver = neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD), {
  maxConnectionPoolSize: 50,
});
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
  context: async () => ({ sessionConfig: { database: process.env.NEO4J_DATABASE ?? "neo4j" } }),
});
console.log(`peer: @neo4j/graphql at ${url}`);
