import {expect} from 'chai'

import {neutralizeControls} from '../../src/ui/control-chars.js'
import {createPrinter} from '../../src/ui/messages.js'

// What servers say is printed for people to read, never for their terminal to obey.

const HOSTILE = 'done\u001B[2J\u001B]0;owned\u0007 \u009B31m\r\b end\tok\nsecond line'
const SHOWN = 'done\\x1b[2J\\x1b]0;owned\\x07 \\x9b31m\\x0d\\x08 end\tok\nsecond line'

function capture(fn: () => void): {stdout: string; stderr: string} {
  const out = {stdout: '', stderr: ''}
  const saved = {stdout: process.stdout.write, stderr: process.stderr.write}
  process.stdout.write = ((chunk: string) => (out.stdout += chunk) !== undefined) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => (out.stderr += chunk) !== undefined) as typeof process.stderr.write
  try {
    fn()
  } finally {
    process.stdout.write = saved.stdout
    process.stderr.write = saved.stderr
  }

  return out
}

describe('neutralizeControls', () => {
  it('shows C0, DEL and C1 characters as \\xNN text, keeping newline, tab and everything printable', () => {
    expect(neutralizeControls(HOSTILE)).to.equal(SHOWN)
    expect(neutralizeControls('\u007F\u0080\u009F\u00A0é日本🎉')).to.equal('\\x7f\\x80\\x9f\u00A0é日本🎉')
    expect(neutralizeControls('plain text')).to.equal('plain text')
  })
})

describe('the printer neutralises what it prints', () => {
  it('info, warn, error, debug and API messages', () => {
    const printer = createPrinter({json: false, debug: true})
    const {stdout, stderr} = capture(() => {
      printer.info(HOSTILE)
      printer.warn(HOSTILE)
      printer.error(HOSTILE)
      printer.debug(HOSTILE)
      printer.messages({info: [HOSTILE], warning: [HOSTILE]})
    })
    expect(stdout).to.equal(`${SHOWN}\n${SHOWN}\n`)
    const lines = stderr.split('\n')
    expect(stderr).to.include(`WARNING: ${SHOWN}\n`).and.include(`ERROR: ${SHOWN}\n`).and.include(`DEBUG: ${SHOWN}\n`)
    expect(lines.filter((line) => line.startsWith('WARNING: '))).to.have.length(2)
    expect(stdout + stderr).not.to.match(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
  })

  it('keeps its own colours', () => {
    const saved = {noColor: process.env.NO_COLOR, force: process.env.FORCE_COLOR}
    delete process.env.NO_COLOR
    process.env.FORCE_COLOR = '1'
    try {
      const printer = createPrinter({json: false, debug: false})
      const {stdout, stderr} = capture(() => {
        printer.info('note \u001B[8mhidden')
        printer.error('bad \u001B[8mhidden')
      })
      expect(stdout).to.equal('\u001B[34mnote \\x1b[8mhidden\u001B[0m\n')
      expect(stderr).to.equal('\u001B[1;31mERROR\u001B[0m: bad \\x1b[8mhidden\n')
    } finally {
      if (saved.noColor === undefined) delete process.env.NO_COLOR
      else process.env.NO_COLOR = saved.noColor
      if (saved.force === undefined) delete process.env.FORCE_COLOR
      else process.env.FORCE_COLOR = saved.force
    }
  })
})
