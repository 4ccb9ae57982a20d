import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

// `webservice …` as typed on a bastion: the bin/webservice executable is the built CLI with the
// webservice topic chosen.
const ALIAS = fileURLToPath(new URL('../../bin/webservice', import.meta.url))

function webservice(args: string[], home: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [ALIAS, ...args], {env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1'}}, (_error, stdout, stderr) =>
      resolve({code: child.exitCode, stdout, stderr}),
    )
  })
}

describe('the webservice alias (bin/webservice)', () => {
  let home: string
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'tf-ws-alias-'))
  })
  after(() => rmSync(home, {recursive: true, force: true}))

  it('runs `toolforge webservice` with the same arguments', async () => {
    const {code, stdout} = await webservice(['types', '--json'], home)
    expect(code).to.equal(0)
    const {types} = JSON.parse(stdout) as {types: {name: string}[]}
    expect(types.map((t) => t.name)).to.include.members(['php8.2', 'python3.11'])
  })

  it('reports usage errors as `toolforge webservice` does (exit 2)', async () => {
    const {code, stderr} = await webservice(['start', '--no-such-flag'], home)
    expect(code).to.equal(2)
    expect(stderr).to.include('Nonexistent flag: --no-such-flag').and.include("See 'toolforge webservice --help'")
  })
})
