// Stands in for `node:http2` as axios imports it (scripts/build.js). axios needs it only for
// `httpVersion: 2` requests, which toolforge never makes, yet importing it costs ~2 ms on every API
// call; the real module is loaded on first use instead (process.getBuiltinModule: Node >= 20.16).
let http2
const real = () => (http2 ??= process.getBuiltinModule('node:http2'))

export default {
  get constants() {
    return real().constants
  },
  connect: (...args) => real().connect(...args),
}
