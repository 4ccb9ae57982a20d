import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from '../helpers/subprocess.js'

// `webservice …` as typed on a bastion: the bin/webservice executable is the built CLI with the
// webservice topic chosen.
const ALIAS = fileURLToPath(new URL('../../bin/webservice', import.meta.url))

async function webservice(args: string[], home: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  const {exitCode, stdout, stderr} = await runCli(args, {env: {HOME: home}, bin: ALIAS})
  return {code: exitCode, stdout, stderr}
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
