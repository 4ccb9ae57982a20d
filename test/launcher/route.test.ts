import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {applyLeadingOptions, misplacedOption, ownCommandId, rootOnlyLoadOptions, route, strayWordsAsArguments, versionLine} from '../../src/launcher/route.js'
import {mightBeWsl} from '../../src/launcher/wsl.js'

const IDS = new Set(['jobs:list', 'jobs:run', 'webservice', 'sandbox:start', '__complete', 'completion'])

describe('launcher routing', () => {
  it('names one of our commands by its leading words, longest match first', () => {
    expect(ownCommandId(['jobs', 'list'], IDS)).to.equal('jobs:list')
    expect(ownCommandId(['jobs', 'list', '-o', 'long'], IDS)).to.equal('jobs:list')
    expect(ownCommandId(['jobs', 'run', 'myjob', '--command', 'x'], IDS)).to.equal('jobs:run')
    // Arguments after the id are not part of it, even when they look like words.
    expect(ownCommandId(['webservice', 'python3.11', 'start'], IDS)).to.equal('webservice')
    expect(ownCommandId(['completion', 'bash'], IDS)).to.equal('completion')
  })

  describe('options upstream takes before the command', () => {
    const apply = (argv: string[]) => {
      const env: NodeJS.ProcessEnv = {}
      return {argv: applyLeadingOptions(argv, env), env}
    }

    it("moves the umbrella's -d/--debug and -v/--verbose into the environment, as upstream hands them to its plugins", () => {
      expect(apply(['--debug', 'jobs', 'list'])).to.deep.equal({argv: ['jobs', 'list'], env: {TOOLFORGE_DEBUG: '1'}})
      expect(apply(['-d', '-v', 'build', 'list'])).to.deep.equal({argv: ['build', 'list'], env: {TOOLFORGE_DEBUG: '1', TOOLFORGE_VERBOSE: '1'}})
      expect(apply(['--verbose', 'webservice', 'status'])).to.deep.equal({argv: ['webservice', 'status'], env: {TOOLFORGE_VERBOSE: '1'}})
    })

    it("takes a topic's own group options between the topic and the subcommand", () => {
      expect(apply(['build', '-d', 'list'])).to.deep.equal({argv: ['build', 'list'], env: {TOOLFORGE_DEBUG: '1'}})
      expect(apply(['envvars', '--verbose', '--debug', 'show', 'X'])).to.deep.equal({argv: ['envvars', 'show', 'X'], env: {TOOLFORGE_DEBUG: '1', TOOLFORGE_VERBOSE: '1'}})
      expect(apply(['jobs', '--debug', 'list'])).to.deep.equal({argv: ['jobs', 'list'], env: {TOOLFORGE_DEBUG: '1'}})
    })

    it('leaves everything else alone: options after the command, jobs -d, webservice options, a lone -v (--version) and completion requests', () => {
      for (const argv of [['jobs', 'list', '--debug'], ['jobs', '-d', 'list'], ['webservice', '-d', 'start'], ['-v'], ['--debug'], ['build', '-d'], ['__complete', '--', '-d', 'jobs']]) {
        expect(apply(argv), argv.join(' ')).to.deep.equal({argv, env: {}})
      }
    })
  })

  it('stops at the first flag', () => {
    expect(ownCommandId(['jobs', '--json', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['--debug', 'jobs', 'list'], IDS)).to.equal(undefined)
  })

  it('leaves topics, plugin commands, typos and nothing at all to oclif', () => {
    expect(ownCommandId(['jobs'], IDS)).to.equal(undefined)
    expect(ownCommandId(['autocomplete', 'bash'], IDS)).to.equal(undefined)
    expect(ownCommandId(['help', 'jobs', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['jobz', 'list'], IDS)).to.equal(undefined)
    expect(ownCommandId(['jobs', 'lst'], IDS)).to.equal(undefined)
    expect(ownCommandId([], IDS)).to.equal(undefined)
  })

  it('moves words after a command without arguments behind --, where the command refuses them as arguments', () => {
    const none = {args: {}, strict: true}
    expect(strayWordsAsArguments(['jobs', 'list', 'extra'], 'jobs:list', none)).to.deep.equal(['jobs', 'list', '--', 'extra'])
    expect(strayWordsAsArguments(['jobs', 'list', 'a', 'b', '-o', 'long', '--json'], 'jobs:list', none)).to.deep.equal(['jobs', 'list', '-o', 'long', '--json', '--', 'a', 'b'])
    expect(strayWordsAsArguments(['jobs', 'list', 'a', '--json', '--', 'b'], 'jobs:list', none)).to.deep.equal(['jobs', 'list', '--json', '--', 'a', 'b'])
    for (const argv of [['jobs', 'list'], ['jobs', 'list', '--json', 'x'], ['jobs', 'list', '-o', 'long']]) {
      expect(strayWordsAsArguments(argv, 'jobs:list', none)).to.deep.equal(argv)
    }
    // Commands with arguments, or that take any words, get them as they are.
    expect(strayWordsAsArguments(['jobs', 'show', 'x', 'y'], 'jobs:show', {args: {name: {name: 'name'}}})).to.deep.equal(['jobs', 'show', 'x', 'y'])
    expect(strayWordsAsArguments(['webservice', 'php7.4', 'start'], 'webservice', {args: {}, strict: false})).to.deep.equal(['webservice', 'php7.4', 'start'])
  })

  it('refuses an option between a topic and its command, naming where it goes', () => {
    const ids = ['jobs:list', 'jobs:run', 'webservice', 'sandbox:start']
    expect(misplacedOption(['jobs', '--json', 'list'], ids, 'toolforge')).to.equal("--json goes after the command: toolforge jobs <command> --json … (see 'toolforge jobs --help')")
    expect(misplacedOption(['sandbox', '--data-dir=/x', 'start'], ids, 'toolforge')).to.match(/^--data-dir goes after the command/)
    // Commands take their own options; `--` and plain words are not options; unknown words are oclif's.
    for (const argv of [['webservice', '--backend', 'x', 'start'], ['jobs', 'list'], ['jobs', '--'], ['jobz', '--json'], ['jobs']]) {
      expect(misplacedOption(argv, ids, 'toolforge'), argv.join(' ')).to.equal(undefined)
    }
  })

  it('drops the plugins from a copy of package.json, keeping everything else', () => {
    const pjson = {name: 'toolforge', oclif: {bin: 'toolforge', plugins: ['@oclif/plugin-help'], topicSeparator: ' '}}
    const options = rootOnlyLoadOptions('/opt/toolforge', pjson)
    expect(options).to.deep.equal({
      root: '/opt/toolforge',
      pjson: {name: 'toolforge', oclif: {bin: 'toolforge', plugins: [], topicSeparator: ' '}},
      userPlugins: false,
      devPlugins: false,
    })
    expect(pjson.oclif.plugins).to.deep.equal(['@oclif/plugin-help'])
  })

  describe('route', () => {
    let root: string
    const pjson = {name: 'toolforge', version: '1.0.0', oclif: {bin: 'toolforge', plugins: ['@oclif/plugin-help'], additionalHelpFlags: ['-h'], topics: {jobs: {description: 'Jobs.'}}}}
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'tf-route-'))
      writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify({version: '1.0.0', commands: {'jobs:list': {id: 'jobs:list'}, 'jobs:run': {id: 'jobs:run'}}}))
    })
    afterEach(() => rmSync(root, {recursive: true, force: true}))

    it('sends completion requests and help to the answers without oclif', () => {
      expect(route(root, pjson, ['__complete', '--', 'jobs', ''])).to.deep.equal({kind: 'complete'})
      expect(route(root, pjson, ['jobs', 'list', '--help'])).to.deep.equal({kind: 'help'})
      expect(route(root, pjson, ['jobs', '-h'])).to.deep.equal({kind: 'help'})
      expect(route(root, pjson, ['help', 'jobs'])).to.deep.equal({kind: 'help'})
      expect(route(root, pjson, ['jobs'])).to.deep.equal({kind: 'help'})
      expect(route(root, pjson, [])).to.deep.equal({kind: 'help'})
    })

    it('runs our own commands without the plugins, and leaves the rest to oclif as configured', () => {
      expect(route(root, pjson, ['jobs', 'list', '-o', 'long'])).to.deep.equal({kind: 'own', loadOptions: rootOnlyLoadOptions(root, pjson), argv: ['jobs', 'list', '-o', 'long']})
      expect(route(root, pjson, ['jobs', 'list', 'extra', '--json'])).to.deep.include({kind: 'own', argv: ['jobs', 'list', '--json', '--', 'extra']})
      // --help after `--` is an argument, not a help request.
      expect(route(root, pjson, ['jobs', 'run', 'x', '--', '--help']).kind).to.equal('own')
      expect(route(root, pjson, ['autocomplete', 'bash'])).to.deep.equal({kind: 'oclif'})
      expect(route(root, pjson, ['jobz', 'list'])).to.deep.equal({kind: 'oclif'})
      expect(route(root, pjson, ['jobs', '--bogus', 'list'])).to.deep.include({kind: 'usage'})
      rmSync(join(root, 'oclif.manifest.json'))
      expect(route(root, pjson, ['jobs', 'list'])).to.deep.equal({kind: 'oclif'})
    })
  })

  it('answers --version and the additional version flags as oclif would, but not with an init hook', function () {
    if (mightBeWsl()) this.skip()
    const pjson = {name: 'toolforge', version: '1.2.3', oclif: {additionalVersionFlags: ['-v']}}
    const expected = `toolforge/1.2.3 ${process.platform}-${process.arch === 'ia32' ? 'x86' : process.arch} node-${process.version}`
    expect(versionLine(pjson, ['--version'])).to.equal(expected)
    expect(versionLine(pjson, ['-v'])).to.equal(expected)
    expect(versionLine(pjson, ['jobs', '--version'])).to.equal(undefined)
    expect(versionLine({...pjson, oclif: {...pjson.oclif, hooks: {init: './dist/hooks/init.js'}}}, ['--version'])).to.equal(undefined)
  })
})
