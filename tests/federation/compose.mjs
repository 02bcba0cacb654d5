// Composes a Federation v2 supergraph from running subgraphs, as a supergraph's build step would:
//   node compose.mjs OUT.graphql NAME=URL [NAME=URL ...]
// Each subgraph's SDL is read from its own `_service { sdl }`; SUBGRAPH_HEADERS (JSON) is sent with each read.
import { writeFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices, compositionHasErrors } from "@theguild/federation-composition";

const [out, ...subgraphs] = process.argv.slice(2);
const headers = { "content-type": "application/json", ...JSON.parse(process.env.SUBGRAPH_HEADERS || "{}") };
const services = [];
for (const spec of subgraphs) {
  const [name, url] = spec.split(/=(.*)/s);
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: "{ _service { sdl } }" }) });
  const body = await response.json();
  if (!response.ok || body.errors) {
    console.error(`subgraph ${name} at ${url} did not give its SDL: ${response.status} ${JSON.stringify(body)}`);
    process.exit(2);
  }
  services.push({ name, url, typeDefs: parse(body.data._service.sdl) });
}
const result = composeServices(services);
if (compositionHasErrors(result)) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
writeFileSync(out, result.supergraphSdl);
console.log(`composed ${services.map((s) => s.name).join(" + ")} into ${out}`);
