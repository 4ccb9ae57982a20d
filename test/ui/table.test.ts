import {expect} from 'chai'

import {renderPlain, renderSimple, renderTable, renderVertical} from '../../src/ui/table.js'

// Expected output is tabulate 0.8.9's (Debian's python3-tabulate, no wcwidth): tabulate(rows, headers, tablefmt="plain").
const CASES: Array<[string, string[], (string | undefined)[][], string]> = [
  ['text columns flush left, at least two wider than the header (envvars list)', ['name', 'value'], [['MY_TOKEN', '****************'], ['A', 'x']], 'name      value\nMY_TOKEN  ****************\nA         x'],
  ['numeric columns and their headers flush right (envvars quota)', ['quota', 'used', 'available'], [['10', '3', '7']], '  quota    used    available\n     10       3            7'],
  ['mixed text and numbers, cells wider than the headers', ['n', 'count', 'note'], [['a-long-name', '123456789', 'ok'], ['b', '5', 'a longer note']], 'n                count  note\na-long-name  123456789  ok\nb                    5  a longer note'],
  ['only headers for no rows', ['name', 'value'], [], 'name    value'],
  ['floats line up on the point and print as Python\'s format(x, \'g\')', ['value'], [['1.5'], ['10'], ['1e7'], ['2.50'], ['0.0000123']], '    value\n 1.5\n10\n 1e+07\n 2.5\n 1.23e-05'],
  ['a column with any text is text: numbers in it flush left', ['id', 'v'], [['1', '2'], ['2', 'two']], '  id  v\n   1  2\n   2  two'],
  ['True and False are text; with numbers they make a numeric column', ['flag', 'mix'], [['True', 'True'], ['False', '12']], 'flag      mix\nTrue     True\nFalse      12'],
  ['text is stripped, numbers keep their blanks', ['t', 'n'], [['  padded ', '  7'], ['x', '10']], 't         n\npadded    7\nx        10'],
  ['six significant digits, exact ties rounded to even as Python does', ['v'], [['1234565.0'], ['1234575.0'], ['999999.5'], ['0.5']], '          v\n1.23456e+06\n1.23458e+06\n1e+06\n0.5'],
  ['strings Python cannot parse, inf and overflow stay text', ['a', 'b', 'c'], [['1__0', 'inf', '1e400'], ['0x10', 'nan', '1']], 'a       b  c\n1__0  inf  1e400\n0x10  nan  1'],
  ['underscored and signed numbers are numbers', ['a'], [['1_000'], ['+7'], ['-5']], '    a\n1_000\n   +7\n   -5'],
  ['a missing cell is blank and does not make its column text', ['name', 'n'], [['a', undefined], ['b', '3']], 'name      n\na\nb         3'],
  ['a multi-line cell spans lines, the other cells blank below (build list envvars)', ['id', 'envvars', 'n'], [['b1', 'A=1\nB=2\r\nC=3', '5'], ['b2', 'N/A', '10']], 'id    envvars      n\nb1    A=1          5\n      B=2\n      C=3\nb2    N/A         10'],
  ['a multi-line cell loses surrounding blank lines', ['name', 'value'], [['K', '\nline1\nline2\n\n']], 'name    value\nK       line1\n        line2'],
  ['no headers: columns as wide as their cells, blank rows kept (build quota)', [], [['Storage', ''], ['-----------', ''], ['Limit', '10'], ['', '']], 'Storage\n-----------\nLimit        10\n'],
  ['no headers and no rows: nothing', [], [], ''],
  ['colour codes take no room (upstream\'s bold headers)', ['\u001B[1mname\u001B[0m', '\u001B[1mn\u001B[0m'], [['a', '12'], ['bbbbbbb', '3']], '\u001B[1mname\u001B[0m       \u001B[1mn\u001B[0m\na         12\nbbbbbbb    3'],
  // Cells are what servers sent: shown, not obeyed by the terminal; a CRLF is still a line break.
  ['control characters in cells are shown as text', ['name', 'value'], [['a\u001B[2Jb', 'x\u009B31m\u0007'], ['CR', 'A=1\r\nB=2']], 'name       value\na\\x1b[2Jb  x\\x9b31m\\x07\nCR         A=1\n           B=2'],
  ['fewer headers than columns name the last ones', ['b'], [['x', '1']], '      b\nx     1'],
  ['code points, not UTF-16 units', ['name', 'value'], [['🎉', '日本']], 'name    value\n🎉       日本'],
]

describe('renderPlain (tabulate "plain")', () => {
  for (const [title, head, rows, expected] of CASES) {
    it(title, () => {
      expect(renderPlain(head, rows)).to.equal(expected)
    })
  }
})

describe('the other tables neutralise control characters in cells', () => {
  const hostile = 'job\u001B]0;pwned\u0007\u001B[2J\rX'
  it('renderTable (jobs list), renderVertical (jobs show), renderSimple (jobs quota)', async () => {
    for (const out of [await renderTable(['Job name:'], [[hostile]]), await renderVertical([['Job name:', hostile]]), renderSimple(['name'], [[hostile]])]) {
      expect(out).to.include('job\\x1b]0;pwned\\x07\\x1b[2J\\x0dX')
      expect(out).not.to.match(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
    }
  })
})
