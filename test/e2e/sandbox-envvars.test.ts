import {expect} from 'chai'

import {expectExit, sandboxWithoutJobs} from '../helpers/sandbox-e2e.js'

// envvars through the CLI against `toolforge sandbox`: the create/list/show/delete round trip, and the
// values really reaching the processes of jobs started afterwards.

const PRINT_VARS = `printf '%s|%s\\n' "\${E2E_GREETING-unset}" "\${E2E_SECRET-unset}"`

describe('e2e sandbox: envvars', function () {
  this.timeout(60_000)
  const sb = sandboxWithoutJobs()
  let leftovers = false

  after(async () => {
    // Only when a test failed half-way; a missing one is not an error here.
    if (leftovers) await Promise.all(['E2E_GREETING', 'E2E_SECRET'].map((name) => sb.tf(['envvars', 'delete', name, '--yes'])))
  })

  async function jobOutput(name: string): Promise<string> {
    const run = expectExit(await sb.tf(['jobs', 'run', name, '--image', 'bookworm', '--no-filelog', '--command', PRINT_VARS, '--wait', '60']), 0)
    expect(run.stdout).to.equal(`job '${name}' completed\n`)
    const logs = expectExit(await sb.tf(['jobs', 'logs', name]), 0).stdout
    const m = /^\S+ \[\S+\] \[job\] (.*)\n$/.exec(logs)
    expect(m, logs).to.not.equal(null)
    return m![1]
  }

  it('creates envvars from an argument and from stdin, lists and shows them with values hidden or shown', async () => {
    leftovers = true
    const [fromArg, fromStdin] = await Promise.all([
      sb.tf(['envvars', 'create', 'E2E_GREETING', 'hello from envvars']),
      sb.tf(['envvars', 'create', 'E2E_SECRET'], {stdin: 's3cr3t value'}),
    ])
    expect(expectExit(fromArg, 0).stdout).to.match(/^name\s+value\nE2E_GREETING\s+\*+\n$/)
    expect(expectExit(fromStdin, 0).stdout).to.match(/^name\s+value\nE2E_SECRET\s+\*+\n$/)
    expect(fromArg.stdout + fromStdin.stdout).to.not.include('hello from envvars').and.not.include('s3cr3t')

    const [hidden, shown, raw, json] = await Promise.all([
      sb.tf(['envvars', 'list']),
      sb.tf(['envvars', 'list', '--show-values']),
      sb.tf(['envvars', 'show', 'E2E_SECRET', '--raw']),
      sb.tf(['envvars', 'show', 'E2E_GREETING', '--show-values', '--json']),
    ])
    expect(expectExit(hidden, 0).stdout).to.match(/^E2E_GREETING\s+\*+$/m).and.match(/^E2E_SECRET\s+\*+$/m)
    expect(hidden.stdout).to.not.include('hello')
    expect(expectExit(shown, 0).stdout).to.match(/^E2E_GREETING\s+hello from envvars$/m).and.match(/^E2E_SECRET\s+s3cr3t value$/m)
    // Byte for byte: no newline was added on the way in or out.
    expect(expectExit(raw, 0).stdout).to.equal('s3cr3t value')
    expect(JSON.stringify(JSON.parse(expectExit(json, 0).stdout))).to.include('"name":"E2E_GREETING"').and.include('"value":"hello from envvars"')
  })

  it('injects the envvars into jobs started after they were created', async () => {
    expect(await jobOutput('e2e-env')).to.equal('hello from envvars|s3cr3t value')
  })

  it('deletes envvars, after which new jobs no longer get them', async () => {
    const deleted = expectExit(await sb.tf(['envvars', 'delete', 'E2E_GREETING', '--yes']), 0)
    expect(deleted.stdout).to.match(/^Deleted E2E_GREETING/)
    expect(deleted.stdout).to.not.include('hello from envvars')

    const [gone, list, output] = await Promise.all([
      sb.tf(['envvars', 'show', 'E2E_GREETING']),
      sb.tf(['envvars', 'list', '--json']),
      jobOutput('e2e-env-after'),
    ])
    expectExit(gone, 1)
    expect(gone.stderr).to.equal("ERROR: Envvar 'E2E_GREETING' does not exist\n")
    const names = JSON.stringify(JSON.parse(expectExit(list, 0).stdout))
    expect(names).to.include('"E2E_SECRET"').and.not.include('"E2E_GREETING"')
    expect(output).to.equal('unset|s3cr3t value')

    expectExit(await sb.tf(['envvars', 'delete', 'E2E_SECRET', '--yes']), 0)
    leftovers = false
  })
})
