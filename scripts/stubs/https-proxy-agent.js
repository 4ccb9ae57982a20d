// Stands in for `https-proxy-agent` in the bundle (scripts/build.js). axios only constructs it to
// tunnel through an HTTP(S) proxy, and src/api/http.ts turns proxies off (`proxy: false`); axios
// still tests `agent instanceof HttpsProxyAgent`, which a plain class answers (always false).
export default class HttpsProxyAgent {
  constructor() {
    throw new Error('proxy support is not bundled (scripts/stubs/https-proxy-agent.js); src/api/http.ts sets proxy: false')
  }
}
