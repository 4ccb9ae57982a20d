import {expect} from 'chai'

import {checkQuantity, checkReplicas, resolvePositionals, splitExtra} from '../../src/webservice/args.js'
import {EMBEDDED_TYPES, isKnownType} from '../../src/webservice/wstypes.js'

function resolveArgv(argv: string[]) {
  const {before, extra} = splitExtra(argv)
  return resolvePositionals(before, extra, (word) => isKnownType(EMBEDDED_TYPES, word))
}

function usageError(fn: () => unknown): {message: string; exitCode: number} {
  try {
    fn()
  } catch (error) {
    return error as {message: string; exitCode: number}
  }
  throw new Error('expected an error')
}

describe('webservice argument order', () => {
  it('accepts upstream TYPE ACTION', () => {
    expect(resolveArgv(['python3.11', 'start'])).to.deep.equal({action: 'start', type: 'python3.11', extra: [], extraGiven: false})
  })

  it('accepts ACTION TYPE', () => {
    expect(resolveArgv(['start', 'python3.11'])).to.deep.equal({action: 'start', type: 'python3.11', extra: [], extraGiven: false})
  })

  it('accepts a lone ACTION', () => {
    expect(resolveArgv(['status'])).to.deep.equal({action: 'status', type: undefined, extra: [], extraGiven: false})
  })

  it('passes everything after -- verbatim, flags included', () => {
    expect(resolveArgv(['python3.11', 'shell', '--', 'python3', '-m', 'venv', '--clear', 'venv'])).to.deep.equal({
      action: 'shell',
      type: 'python3.11',
      extra: ['python3', '-m', 'venv', '--clear', 'venv'],
      extraGiven: true,
    })
  })

  it('drops a second -- that scripts wrote for the upstream umbrella (T370184)', () => {
    expect(resolveArgv(['php7.4', 'shell', '--', '--', 'bash', '-c', 'echo hi']).extra).to.deep.equal(['bash', '-c', 'echo hi'])
  })

  it('takes words after TYPE ACTION as extra arguments, like upstream', () => {
    expect(resolveArgv(['jdk17', 'start', 'java', '--', '-jar', 'app.jar'])).to.include({action: 'start', type: 'jdk17'})
    expect(resolveArgv(['jdk17', 'start', 'java', '--', '-jar', 'app.jar']).extra).to.deep.equal(['java', '-jar', 'app.jar'])
  })

  it('marks an empty -- as given, so it overrides stored extra arguments', () => {
    expect(resolveArgv(['start', '--'])).to.deep.include({extra: [], extraGiven: true})
  })

  it('requires an ACTION (exit 2)', () => {
    expect(usageError(() => resolveArgv([]))).to.include({message: 'the following arguments are required: ACTION', exitCode: 2})
    expect(usageError(() => resolveArgv(['php7.4']))).to.include({message: 'the following arguments are required: ACTION', exitCode: 2})
  })

  it('rejects an unknown ACTION with the upstream choice list', () => {
    const error = usageError(() => resolveArgv(['php7.4', 'strat']))
    expect(error.exitCode).to.equal(2)
    expect(error.message).to.equal(
      "argument ACTION: invalid choice: 'strat' (choose from 'start', 'stop', 'status', 'restart', 'shell', 'logs', 'types')",
    )
    expect(usageError(() => resolveArgv(['strat'])).message).to.contain("invalid choice: 'strat'")
  })

  it('rejects unknown options instead of treating them as positionals', () => {
    expect(usageError(() => resolveArgv(['start', '--frobnicate'])).message).to.equal('unrecognized arguments: --frobnicate')
  })
})

describe('webservice option values', () => {
  it('accepts decimal quantities upstream rejected (Q-WS-02)', () => {
    for (const value of ['0.5', '1.5Gi', '500m', '2', '512Mi', '.5']) expect(checkQuantity('-c/--cpu', value)).to.equal(value)
  })

  it('rejects what is not a positive quantity, with the upstream wording (exit 2)', () => {
    for (const value of ['abc', '1.5Gb', '-1', '0', '1e3', '']) {
      const error = usageError(() => checkQuantity('-m/--mem', value))
      expect(error).to.include({message: `argument -m/--mem: ${value} is not a valid Kubernetes quantity`, exitCode: 2})
    }
  })

  it('parses replicas as a positive integer', () => {
    expect(checkReplicas('3')).to.equal(3)
    expect(usageError(() => checkReplicas('x')).message).to.equal("argument -r/--replicas: invalid int value: 'x'")
    expect(usageError(() => checkReplicas('0')).exitCode).to.equal(2)
  })
})
