import {Config} from '@oclif/core'
import {expect} from 'chai'

import {type Completion, complete} from '../../src/completion/engine.js'
import {type CommandTree, buildTree} from '../../src/completion/tree.js'
import type {CachedKind} from '../../src/completion/values.js'

const ROOT = new URL('../../', import.meta.url).pathname

function values(completion: Completion): string[] {
  if ('files' in completion) return [':files']
  return completion.candidates.map((c) => c.value)
}

describe('completion engine (the command tree from the real oclif config)', () => {
  let tree: CommandTree
  const cache: Partial<Record<CachedKind, string[]>> = {
    jobs: ['mybot', 'nightly', 'once'],
    envvars: ['DB_HOST', 'MY_API_TOKEN'],
    builds: ['mytool-buildpacks-pipelinerun-abcde', 'mytool-buildpacks-pipelinerun-x7k2p'],
    images: ['python3.11', 'tool-mytool/tool-mytool:latest'],
  }
  const asked: CachedKind[] = []
  const sources = {
    cached(kind: CachedKind) {
      asked.push(kind)
      return cache[kind]
    },
  }
  const at = (...words: string[]) => values(complete(tree, words, sources))

  before(async () => {
    const config = await Config.load({root: ROOT})
    tree = buildTree(config.commands, config.topics, config.bin)
  })
  beforeEach(() => {
    asked.length = 0
  })

  it('offers the topics and top-level commands first, hidden commands excluded', () => {
    const top = at('')
    expect(top).to.include.members(['jobs', 'build', 'envvars', 'webservice', 'sandbox', 'policy', 'completion', 'autocomplete', 'help'])
    expect(top).to.not.include('__complete')
    expect(at('j')).to.deep.equal(['jobs'])
    expect(asked).to.deep.equal([])
  })

  it('offers the commands of a topic, with their summaries', () => {
    expect(at('jobs', '')).to.deep.equal(['delete', 'dump', 'flush', 'images', 'list', 'load', 'logs', 'quota', 'restart', 'run', 'show', 'wait'])
    const described = complete(tree, ['build', 'l'], sources)
    expect(described).to.deep.equal({
      candidates: [
        {value: 'list', description: 'List builds'},
        {value: 'logs', description: 'Show the logs for a build'},
      ],
    })
  })

  it('offers the flags of a command, not those already given (unless repeatable)', () => {
    expect(at('jobs', 'list', '-')).to.deep.equal(['--debug', '--help', '--json', '--output'])
    expect(at('jobs', 'list', '--json', '--')).to.deep.equal(['--debug', '--help', '--output'])
    expect(at('policy', 'check', '-f', 'a.yaml', '--f')).to.deep.equal(['--file'])
    expect(at('jobs', 'run', 'x', '--he')).to.include.members(['--health-check-http', '--health-check-script', '--help'])
    expect(at('jobs', 'list', '--long')).to.deep.equal([])
  })

  it('completes job names for show, logs, delete, restart and wait, from the cache', () => {
    for (const command of ['show', 'logs', 'delete', 'restart', 'wait']) {
      expect(at('jobs', command, '')).to.deep.equal(['mybot', 'nightly', 'once'])
    }

    expect(at('jobs', 'logs', '-f', 'n')).to.deep.equal(['nightly'])
    expect(at('jobs', 'logs', '--last', '10', 'm')).to.deep.equal(['mybot'])
    // One name only: strict commands take no second argument.
    expect(at('jobs', 'show', 'mybot', '')).to.deep.equal([])
    expect(asked.every((kind) => kind === 'jobs')).to.equal(true)
  })

  it('completes envvar names and build ids; cancel and delete take several build ids', () => {
    expect(at('envvars', 'show', 'M')).to.deep.equal(['MY_API_TOKEN'])
    expect(at('envvars', 'delete', '')).to.deep.equal(['DB_HOST', 'MY_API_TOKEN'])
    expect(at('build', 'show', '')).to.have.length(2)
    expect(at('build', 'logs', '-f', 'mytool-buildpacks-pipelinerun-x')).to.deep.equal(['mytool-buildpacks-pipelinerun-x7k2p'])
    expect(at('build', 'cancel', 'mytool-buildpacks-pipelinerun-abcde', 'mytool-buildpacks-pipelinerun-x')).to.deep.equal(['mytool-buildpacks-pipelinerun-x7k2p'])
  })

  it('completes --image values, also in the --image=VALUE form', () => {
    expect(at('jobs', 'run', 'x', '--image', '')).to.deep.equal(['python3.11', 'tool-mytool/tool-mytool:latest'])
    expect(at('jobs', 'run', 'x', '--image=tool')).to.deep.equal(['--image=tool-mytool/tool-mytool:latest'])
  })

  it('falls back to the built-in image catalogue while the image cache is empty', () => {
    const cold = {cached: () => undefined}
    const images = values(complete(tree, ['jobs', 'run', 'x', '--image', 'python3'], cold))
    expect(images).to.include('python3.11')
    expect(images.every((name) => name.startsWith('python3'))).to.equal(true)
  })

  it('offers nothing (and no file names) for a name list that is not cached yet', () => {
    expect(values(complete(tree, ['jobs', 'show', ''], {cached: () => undefined}))).to.deep.equal([])
  })

  it('completes webservice actions and types in either order, without the cache', () => {
    const first = at('webservice', '')
    expect(first).to.include.members(['start', 'stop', 'status', 'logs', 'python3.11', 'php8.2', 'buildservice'])
    expect(at('webservice', 'python3.11', '')).to.deep.equal(['start', 'stop', 'status', 'restart', 'shell', 'logs', 'types'])
    expect(at('webservice', 'start', 'py')).to.include('python3.11')
    expect(at('webservice', 'start', 'py')).to.not.include('start')
    expect(at('webservice', '--backend', '')).to.deep.equal(['jobs-api', 'kubernetes'])
    expect(at('webservice', '--mount=')).to.deep.equal(['--mount=all', '--mount=none'])
    expect(asked).to.deep.equal([])
  })

  it('completes the values of option flags and arguments declared with options', () => {
    expect(at('jobs', 'list', '-o', '')).to.deep.equal(['normal', 'long', 'name'])
    expect(at('jobs', 'run', 'x', '--retry', '')).to.deep.equal(['0', '1', '2', '3', '4', '5'])
    expect(at('completion', '')).to.deep.equal(['bash', 'zsh'])
  })

  it('leaves file names to the shell for free-form values and file arguments', () => {
    expect(at('jobs', 'load', '')).to.deep.equal([':files'])
    expect(at('policy', 'check', '-f', '')).to.deep.equal([':files'])
    expect(at('webservice', 'shell', '--', '')).to.deep.equal([':files'])
  })

  it('offers nothing after words that are not commands', () => {
    expect(at('nope', '')).to.deep.equal([])
    expect(at('jobs', 'nope', '')).to.deep.equal([])
    expect(at('--debug', '')).to.deep.equal([])
  })
})
