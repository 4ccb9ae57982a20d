import {Errors} from '@oclif/core'
import {expect} from 'chai'

import {type FlagShape, prepareWaitArgv, upstreamUsageError} from '../../src/jobs/run-argv.js'

const FLAGS: Record<string, FlagShape> = {
  command: {type: 'option'},
  image: {type: 'option'},
  'filelog-stdout': {type: 'option', char: 'o'},
  wait: {type: 'option'},
  continuous: {type: 'boolean'},
}

describe('prepareWaitArgv (run --wait [SECONDS])', () => {
  const cases: [string[], string[]][] = [
    [['job', '--wait'], ['job', '--wait=600']],
    [['job', '--wait', '630'], ['job', '--wait=630']],
    [['job', '--wait=630'], ['job', '--wait=630']],
    [['job', '--wait', '--command', 'x'], ['job', '--wait=600', '--command', 'x']],
    // Q-JOBS-10 fixed: the job name after --wait stays the job name.
    [['--wait', 'myjob', '--command', 'x'], ['--wait=600', 'myjob', '--command', 'x']],
    // Values of other options are never mistaken for --wait.
    [['job', '--command', '--wait', '--image', 'i'], ['job', '--command', '--wait', '--image', 'i']],
    [['job', '-o', '--wait'], ['job', '-o', '--wait']],
    [['job', '--', '--wait'], ['job', '--', '--wait']],
  ]
  for (const [argv, expected] of cases) {
    it(`${argv.join(' ')} → ${expected.join(' ')}`, () => {
      expect(prepareWaitArgv(argv, FLAGS)).to.deep.equal(expected)
    })
  }

  for (const value of ['10m', '1.5', '-5']) {
    it(`refuses --wait ${value} as a usage error`, () => {
      expect(() => prepareWaitArgv(['job', '--wait', value], FLAGS))
        .to.throw(Errors.CLIError, `argument --wait: invalid value: '${value}'`)
    })
  }
})

describe('upstreamUsageError', () => {
  const failed = (...reasons: string[]) => new Errors.CLIError(`The following errors occurred:\n  ${reasons.join('\n  ')}\nSee more help with --help`)

  it('rewrites exclusive flags in argparse order (the later argument is named first)', () => {
    const argv = ['job', '--schedule', '@daily', '--continuous']
    const error = upstreamUsageError(
      failed('--continuous=true cannot also be provided when using --schedule', '--schedule=@daily cannot also be provided when using --continuous'),
      argv,
    ) as Errors.CLIError
    expect(error.message).to.equal('argument --continuous: not allowed with argument --schedule')
    expect(error.oclif.exit).to.equal(2)
  })

  it('rewrites missing required flags', () => {
    const error = upstreamUsageError(failed('Missing required flag command', 'Missing required flag image'), ['job']) as Error
    expect(error.message).to.equal('the following arguments are required: --command, --image')
  })

  it('leaves other errors alone', () => {
    const original = failed('Something else')
    expect(upstreamUsageError(original, [])).to.equal(original)
    const other = new Error('boom')
    expect(upstreamUsageError(other, [])).to.equal(other)
  })
})
