// Stands in for axios's lib/adapters/fetch.js in the bundle (scripts/build.js). On import that module
// probes globalThis.fetch/Request/Response, which on Node 20 loads undici (~8 ms). On Node axios picks
// its `http` adapter before `fetch` (xhr, http, fetch), and src/api/http.ts never asks for fetch, so
// the probe never mattered; this reports the fetch adapter as unavailable, as axios does without fetch.
export const getFetch = () => false
export default false
