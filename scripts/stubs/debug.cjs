// Stands in for `debug` in the builds (scripts/build.js). @oclif/core makes its namespace loggers
// with it on every run, and loading the real package (colours, formatters, supports-color, the
// DEBUG patterns) costs ~3 ms of each start. Without DEBUG in the environment the real package
// would switch every one of those loggers off, and nothing in this CLI enables them later; so
// they are off here too, and with DEBUG set the real package is loaded and answers.
'use strict'

function disabled(namespace) {
  const log = () => {}
  return Object.assign(log, {
    namespace,
    enabled: false,
    log() {},
    extend: (suffix, delimiter = ':') => disabled(`${namespace}${delimiter}${suffix}`),
    destroy: () => false,
  })
}

module.exports = process.env.DEBUG
  ? require('debug')
  : Object.assign(disabled, {enabled: () => false, enable() {}, disable: () => '', names: [], skips: []})
