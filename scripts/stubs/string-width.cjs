// Stands in for string-width 4 (scripts/build.js) where cli-table3 and the help renderer measure
// cells and lines. Printable ASCII, nearly all a table or help screen holds, is one column per
// character, which is what string-width answers too after running its ANSI, control-character,
// full-width and emoji checks on every call; anything else still goes through those checks.
// cli-table3 measures every cell several times, cold, on each run: ~3 ms of `jobs list`.
'use strict'

const stringWidth = require('../../node_modules/string-width/index.js')

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

function asciiAwareStringWidth(text) {
  return typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text)
}

module.exports = asciiAwareStringWidth
module.exports.default = asciiAwareStringWidth
