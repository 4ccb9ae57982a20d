import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {freePort} from '../../../src/sandbox/proxy.js'
import {run} from '../../helpers/run.js'
import {allowLoopback, cleanup, tempDir} from '../../sandbox/helpers.js'

const DEV = fileURLToPath(new URL('../../../bin/dev.js', import.meta.url))

// What `sandbox start` tells a person to type next must work when typed: the lines are run by a shell,
// with `toolforge` being these sources.
describe('sandbox start: the suggested next steps', function () {
  this.timeout(90_000)
  let dataDir: string
  let home: string

  before(() => {
    allowLoopback()
    dataDir = tempDir('tf-sandbox-steps-')
    home = tempDir('tf-sandbox-steps-home-')
  })
  after(async () => {
    await run(['sandbox', 'stop', '--data-dir', dataDir])
    cleanup(dataDir)
    cleanup(home)
  })

  it("run as printed, they show the job's output", async () => {
    const started = await run(['sandbox', 'start', '--data-dir', dataDir, '--port', String(await freePort())])
    expect(started.exitCode, started.stderr).to.equal(0)
    const lines = started.stdout.split('\n')
    const steps = lines.slice(lines.indexOf('Next, point this shell at it and run a job:') + 1).filter((line) => line.startsWith('  ')).map((line) => line.trim())
    expect(steps).to.have.length(3)
    expect(steps[0]).to.match(/^eval "\$\(toolforge sandbox env --data-dir /)

    const bin = join(home, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'toolforge'), `#!/bin/sh\nexec '${process.execPath}' '${DEV}' "$@"\n`)
    chmodSync(join(bin, 'toolforge'), 0o755)
    const {code, stdout, stderr} = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
      const child = execFile('/bin/sh', ['-e', '-c', steps.join('\n')], {
        env: {PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, NO_COLOR: '1', TOOLFORGE_WAIT_INTERVAL_MS: '200'},
        timeout: 80_000,
      }, (_error, out, err) => resolve({code: child.exitCode, stdout: out, stderr: err}))
    })
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).to.equal(0)
    expect(stdout).to.match(/\[hello-[a-z0-9]{5}\] \[job\] hello from the sandbox\n$/)
  })
})
