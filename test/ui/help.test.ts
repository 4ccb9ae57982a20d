import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config, Help, loadHelpClass} from '@oclif/core'
import {expect} from 'chai'

import {type PackageJson, readManifests} from '../../src/oclif-manifests.js'
import {formatCommand, type HelpCli, helpTarget, renderHelp, templateRenderer, UnsupportedHelpText} from '../../src/ui/help.js'
import HelpClass from '../../src/ui/help-class.js'
import {helpWidth} from '../../src/ui/help-format.js'
import {cliFromManifests, helpFromManifests} from '../../src/ui/help-launch.js'
import {asksForHelp, mayBeHelp} from '../../src/ui/help-request.js'
import {run} from '../helpers/run.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PackageJson

const pipe = {isTTY: false, getWindowSize: () => [0, 0] as [number, number]}
const terminal = (columns: number) => ({isTTY: true, getWindowSize: () => [columns, 40] as [number, number]})
/** The launcher as a script would meet it: stdout piped, no colour settings. */
const launch = (argv: string[], env: NodeJS.ProcessEnv = {}, stdout: typeof pipe = pipe) => helpFromManifests(ROOT, pjson, argv, env, {platform: 'linux', stdout})

describe('help width', () => {
  it('is OCLIF_COLUMNS when set, else 80 off a terminal, else the terminal width (at least 40)', () => {
    expect(helpWidth({OCLIF_COLUMNS: '57'}, terminal(120))).to.equal(57)
    expect(helpWidth({OCLIF_COLUMNS: '57'}, pipe)).to.equal(57)
    expect(helpWidth({OCLIF_COLUMNS: 'wide'}, pipe)).to.equal(80)
    expect(helpWidth({}, pipe)).to.equal(80)
    expect(helpWidth({}, terminal(132))).to.equal(132)
    expect(helpWidth({}, terminal(30))).to.equal(40)
    expect(helpWidth({}, terminal(0))).to.equal(80)
  })
})

describe('help requests', () => {
  it('recognises --help and -h before `--` only, and no arguments at all', () => {
    expect(asksForHelp([], pjson)).to.equal(true)
    expect(asksForHelp(['jobs', 'list', '-h'], pjson)).to.equal(true)
    expect(asksForHelp(['--help', 'jobs'], pjson)).to.equal(true)
    expect(asksForHelp(['jobs', 'run', 'x', '--', '--help'], pjson)).to.equal(false)
    expect(asksForHelp(['--version', '--help'], pjson)).to.equal(false)
    expect(mayBeHelp(['help', 'jobs'], pjson)).to.equal(true)
    expect(mayBeHelp(['jobs'], pjson)).to.equal(true)
    expect(mayBeHelp(['jobs', 'list'], pjson)).to.equal(false)
    expect(mayBeHelp(['webservice', 'status'], pjson)).to.equal(false)
  })
})

describe('help from the manifests (launcher)', () => {
  it('answers --help, -h, `help …`, a bare topic and no arguments as oclif would', () => {
    const jobsList = launch(['jobs', 'list', '--help'])
    expect(jobsList).to.match(/^List all running jobs/).and.include('\nUSAGE\n  $ toolforge jobs list').and.match(/\n\n$/)
    expect(launch(['jobs', 'list', '-h'])).to.equal(jobsList)
    expect(launch(['-h', 'jobs', 'list'])).to.equal(jobsList)
    expect(launch(['help', 'jobs', 'list'])).to.equal(jobsList)
    expect(launch(['jobs:list', '--help'])).to.equal(jobsList)

    const jobs = launch(['jobs', '--help'])
    expect(jobs).to.match(/^Run and manage jobs/).and.include('USAGE\n  $ toolforge jobs COMMAND').and.include('  jobs list ')
    expect(launch(['jobs'])).to.equal(jobs)
    expect(launch(['help', 'jobs'])).to.equal(jobs)

    const root = launch([])
    expect(root).to.match(/^Command-line client for Wikimedia Toolforge/).and.include('VERSION\n  toolforge/').and.include('TOPICS\n  build ')
    expect(launch(['--help'])).to.equal(root)
    expect(launch(['help'])).to.equal(root)
  })

  it('answers plugin commands too, and `help -n` lists nested and hidden commands', () => {
    expect(launch(['autocomplete', '--help'])).to.match(/^Display autocomplete installation instructions\.\n/)
    expect(launch(['help', '--help'])).to.equal(launch([]))
    const all = launch(['help', '-n'])!
    expect(all).to.include('  jobs list ').and.include('  __complete ')
    expect(launch(['help'])).to.not.include('__complete')
  })

  it('leaves everything else to oclif', () => {
    expect(launch(['jobs', 'run', 'x', '--', '--help']), '--help after --').to.equal(undefined)
    expect(launch(['jobs', 'list']), 'a command').to.equal(undefined)
    expect(launch(['webservice']), 'a command that is also a topic').to.equal(undefined)
    expect(launch(['nope', '--help']), 'unknown command').to.equal(undefined)
    expect(launch(['help', 'nope']), 'unknown subject').to.equal(undefined)
    expect(launch(['jobs', 'nope']), 'unknown command in a topic').to.equal(undefined)
    expect(launch(['help', '--bogus', 'jobs']), 'a flag plugin-help does not know').to.equal(undefined)
    expect(launch(['--version'])).to.equal(undefined)
    expect(launch(['-v', '--help'])).to.equal(undefined)
    expect(launch(['--debug', 'jobs']), 'a flag before any command').to.equal(undefined)
    expect(launch(['create', 'autocomplete', '--help']), 'another order of a plugin command (oclif permutations)').to.equal(undefined)
  })

  it('leaves it to oclif without a current manifest, or when oclif would run a hook first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-help-'))
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pjson))
      expect(helpFromManifests(dir, pjson, ['jobs', '--help'])).to.equal(undefined)
      const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {version: string}
      writeFileSync(join(dir, 'oclif.manifest.json'), JSON.stringify({...manifest, version: '0.0.0-old'}))
      expect(helpFromManifests(dir, pjson, ['jobs', '--help']), 'a manifest for another version').to.equal(undefined)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }

    const hooked = {...pjson, oclif: {...pjson.oclif, hooks: {init: './dist/hooks/init.js'}}}
    expect(helpFromManifests(ROOT, hooked, ['jobs', '--help'], {}, {platform: 'linux', stdout: pipe})).to.equal(undefined)
    const otherHelp = {...pjson, oclif: {...pjson.oclif, helpClass: './dist/other-help.js'}}
    expect(helpFromManifests(ROOT, otherHelp, ['jobs', '--help'], {}, {platform: 'linux', stdout: pipe})).to.equal(undefined)
  })

  it('makes headers bold only on a terminal without NO_COLOR and without --json', () => {
    const bold = '\u001B[1mUSAGE\u001B[22m'
    expect(launch(['jobs', 'list', '--help'], {}, terminal(100))).to.include(bold).and.include('\u001B[4m<option>\u001B[24m')
    expect(launch(['jobs', 'list', '--help'], {NO_COLOR: '1'}, terminal(100))).to.not.include('\u001B[')
    expect(launch(['jobs', 'list', '--help'], {}, pipe)).to.not.include('\u001B[')
    expect(launch(['jobs', 'list', '--help', '--json'], {}, terminal(100))).to.not.include('\u001B[')
    expect(launch(['jobs'], {FORCE_COLOR: '1'}, pipe)).to.include(bold)
  })

  it('wraps to OCLIF_COLUMNS, else to the terminal', () => {
    const manifests = readManifests(ROOT, pjson)!
    const cli = cliFromManifests(pjson, manifests, 'linux')
    const at = (maxWidth: number) => renderHelp(cli, {kind: 'command', command: cli.findCommand('jobs:run')!}, {maxWidth, color: false})
    expect(launch(['jobs', 'run', '--help'], {OCLIF_COLUMNS: '50', NO_COLOR: '1'}, terminal(140))).to.equal(at(50))
    expect(launch(['jobs', 'run', '--help'], {NO_COLOR: '1'}, terminal(140))).to.equal(at(140))
    expect(launch(['jobs', 'run', '--help'])).to.equal(at(80))
  })

  it('shows the version line with the platform it is given (oclif says `wsl` on WSL)', () => {
    expect(helpFromManifests(ROOT, pjson, [], {}, {platform: 'wsl', stdout: pipe})).to.include(`\n  toolforge/${pjson.version} wsl-`)
  })
})

describe('help templates', () => {
  it('renders the program name and command id, HTML-escaped as EJS does', () => {
    const render = templateRenderer('toolforge', 'jobs list')
    expect(render('<%= config.bin %> <%= command.id %> --json')).to.equal('toolforge jobs list --json')
    expect(templateRenderer('a&b')('<%= config.bin %>|<%- config.bin %>')).to.equal('a&amp;b|a&b')
  })

  it('refuses templates it does not implement, and a command id outside a command', () => {
    expect(() => templateRenderer('toolforge')('<%= command.id %>')).to.throw(UnsupportedHelpText)
    expect(() => templateRenderer('toolforge', 'x')('<%= config.version %>')).to.throw(UnsupportedHelpText)
  })
})

describe('help class (oclif help paths)', () => {
  let cli: HelpCli

  before(() => {
    cli = cliFromManifests(pjson, readManifests(ROOT, pjson)!, 'linux')
  })

  it('is the class package.json registers', async () => {
    const config = await Config.load({root: ROOT})
    // oclif imports its own instance of the module; what it gets must behave as ours.
    const Loaded = await loadHelpClass(config)
    expect(Loaded).to.not.equal(Help)
    const command = config.findCommand('jobs:run')!
    const opts = {maxWidth: 100, stripAnsi: true}
    const formatted = (new Loaded(config, opts) as unknown as {formatCommand(c: unknown): string}).formatCommand(command)
    expect(formatted).to.equal(new HelpClass(config, opts).formatCommand(command))
    expect(Object.getOwnPropertyNames(Loaded.prototype)).to.include.members(['showHelp', 'showCommandHelp', 'formatCommand'])
  })

  it('prints what the launcher prints for `help jobs` and `jobs list --help`', async () => {
    // Same stdout, same environment (NO_COLOR from the test setup): the two must agree byte for byte.
    for (const argv of [['help', 'jobs'], ['jobs', 'list', '--help'], ['jobs'], ['help', 'jobs', 'run']]) {
      const {stdout, exitCode} = await run(argv)
      expect(exitCode, argv.join(' ')).to.equal(0)
      expect(stdout, argv.join(' ')).to.equal(helpFromManifests(ROOT, pjson, argv, process.env, {platform: 'linux'}))
    }
  })

  it('reports an unknown subject as oclif does', async () => {
    const {stdout, exitCode} = await run(['help', 'nope'])
    expect(exitCode).to.equal((pjson.oclif.exitCodes as {default: number}).default)
    expect(stdout).to.equal('')
    const config = await Config.load({root: ROOT})
    const failure = (help: {showHelp(argv: string[]): Promise<void>}) => help.showHelp(['nope']).then(() => 'shown', (error: Error) => error.message)
    expect(await failure(new HelpClass(config))).to.equal('Command nope not found.')
    expect(await failure(new Help(config))).to.equal('Command nope not found.')
  })

  it('gives `oclif readme` each command without colour or a summary line', async () => {
    const config = await Config.load({root: ROOT})
    const help = new HelpClass(config, {maxWidth: 120, stripAnsi: true, respectNoCacheDefault: true})
    const command = config.findCommand('jobs:list')!
    const text = help.formatCommand(command)
    expect(text).to.match(/^USAGE\n {2}\$ toolforge jobs list/)
    expect(text).to.equal(formatCommand(cli, cli.findCommand('jobs:list')!, {maxWidth: 120, stripAnsi: true, respectNoCacheDefault: true, color: false}))
    expect(helpTarget(cli, ['jobs', 'list'], ['--help'])).to.deep.include({kind: 'command'})
  })
})
