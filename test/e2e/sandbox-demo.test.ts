import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import nock from 'nock'

import {sandboxProcesses} from '../helpers/sandbox-e2e.js'

// The README quickstart (`npm run demo`) as a user runs it: scripts/demo.sh drives the built CLI
// (bin/run.js) through a dry run, a sandbox of its own, a real job, its logs, and the sandbox's stop.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('e2e sandbox: scripts/demo.sh', function () {
  this.timeout(90_000)

  before(() => {
    // Without a build the script would run `npm run build` itself, which is not a test's business.
    if (!existsSync(join(ROOT, 'dist/commands/jobs/run.js'))) {
      throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests')
    }
    nock.enableNetConnect('127.0.0.1')
  })

  it('runs the quickstart end to end and leaves nothing behind', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tf-e2e-demo-home-'))
    try {
      const {code, stdout, stderr} = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
        const child = execFile('bash', [join(ROOT, 'scripts/demo.sh')], {
          cwd: ROOT,
          env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', TMPDIR: tmpdir()},
          timeout: 80_000,
        }, (_error, out, err) => resolve({code: child.exitCode, stdout: out, stderr: err}))
      })
      expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).to.equal(0)

      // 1. The dry run: the Job as it would be sent, with the explicit securityContext of the tool uid.
      expect(stdout).to.match(/^kind: Job$/m).and.match(/^\s+runAsUser: 50001$/m)

      // 2. The real run, its logs (the command ran in the sandbox home of the tool) and the stop.
      const dataDir = /sandbox start --data-dir (\S+) --port \d+/.exec(stdout)?.[1]
      expect(dataDir, stdout).to.be.a('string')
      expect(stdout).to.include("job 'hello' completed\n")
      expect(stdout).to.match(new RegExp(`^\\S+ \\[hello-[a-z0-9]{5}\\] \\[job\\] hello from ${dataDir}/home/tf-test$`, 'm'))
      expect(stdout).to.match(/^\S+ \[hello-[a-z0-9]{5}\] \[job\] Linux$/m)
      expect(stdout).to.match(/\|\s+hello\s+\|\s+echo "hello from \$TOOL_DATA_DIR"; uname -s\s+\|\s+one-off\s+\|/)
      expect(stdout).to.match(/^Sandbox stopped \(pid \d+\)$/m)

      expect(existsSync(dataDir!), 'the demo removes its data dir').to.equal(false)
      expect(sandboxProcesses(dataDir!)).to.deep.equal([])
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})
