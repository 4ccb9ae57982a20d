import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// The README's command reference is generated (`npm run readme`); this keeps it from drifting when a
// command, flag or description changes. It reads the build's manifest, which `npm test` writes first.
describe('README command reference', () => {
  it('matches what `oclif readme` generates from the commands', async () => {
    const {stdout} = await promisify(execFile)(process.execPath, [`${ROOT}node_modules/oclif/bin/run.js`, 'readme', '--no-aliases', '--dry-run'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
      // As `npm run readme` runs it: oclif loads the built help class (dist/ui/help-class.js). The
      // NODE_ENV=test of in-process tests would send it to src/ui/help-class.ts, which plain node cannot import.
      env: {...process.env, OCLIF_SKIP_UPDATE_CHECK: '1', NODE_ENV: 'production'},
    })
    const generated = stdout.slice(stdout.indexOf('\n') + 1).trimEnd()
    const committed = readFileSync(`${ROOT}README.md`, 'utf8').trimEnd()
    expect(generated === committed, 'README.md is out of date: run `npm run build && npm run readme`').to.equal(true)
  })
})
