// Node (ESM): the scenario with the API key and server from process.env; its v2 part with the
// typed key and data plane URL the harness gives in HH_TEST_V2_KEY / HH_TEST_V2_URL.
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

const v2 = { ingestionApiKey: process.env.HH_TEST_V2_KEY, dataPlaneUrl: process.env.HH_TEST_V2_URL };
console.log(JSON.stringify(await scenario(honeyhive, "node", {}, v2)));
