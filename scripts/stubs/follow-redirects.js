// Stands in for `follow-redirects` in the bundle (scripts/build.js). axios sends a request through
// it only when redirects are to be followed; src/api/http.ts sets `maxRedirects: 0`, so axios uses
// node:http/node:https directly, and this saves loading the package (and node:assert) on every API call.
const transport = {
  request() {
    throw new Error('following redirects is not bundled (scripts/stubs/follow-redirects.js); src/api/http.ts sets maxRedirects: 0')
  },
}

export default {http: transport, https: transport}
