// Deno: the scenario with the API key and server from the environment (read via Deno.env).
import * as honeyhive from "honeyhive-logger-wasm";
import { scenario } from "./scenario.mjs";

console.log(JSON.stringify(await scenario(honeyhive, "deno")));
