// Deno: the scenario with the API key and server from the environment (read via Deno.env); its
// v2 part with the typed key and data plane URL the harness gives in HH_TEST_V2_KEY / HH_TEST_V2_URL.
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

const v2 = { ingestion_api_key: Deno.env.get("HH_TEST_V2_KEY"), data_plane_url: Deno.env.get("HH_TEST_V2_URL") };
console.log(JSON.stringify(await scenario(honeyhive, "deno", {}, v2)));
