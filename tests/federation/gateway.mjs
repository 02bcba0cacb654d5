// Serves a composed supergraph through Hive Gateway's runtime on loopback:
//   node gateway.mjs SUPERGRAPH.graphql PORT
// The caller's Authorization header is passed on to every subgraph; "ready" is printed once it listens.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";

const [supergraphPath, port] = process.argv.slice(2);
const gateway = createGatewayRuntime({
  supergraph: readFileSync(supergraphPath, "utf8"),
  graphqlEndpoint: "/graphql",
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get("authorization") }),
  },
  logging: "warn",
});
const server = createServer(gateway);
server.listen(Number(port), "127.0.0.1", () => console.log("ready", { port }));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => gateway.dispose().finally(() => process.exit(0))));
}
