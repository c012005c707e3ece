// Node (ESM): the scenario with the API key and server from process.env.
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

console.log(JSON.stringify(await scenario(honeyhive, "node")));
