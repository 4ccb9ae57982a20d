import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {format, promisify} from 'node:util'

import {Config, Help} from '@oclif/core'
import {expect} from 'chai'

import {type PackageJson, readManifests} from '../../src/oclif-manifests.js'
import {formatCommand, type HelpCli, helpTarget, type HelpOptions, renderHelp} from '../../src/ui/help.js'
import {cliFromManifests} from '../../src/ui/help-launch.js'
import {helpFlags} from '../../src/ui/help-request.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const pjson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as PackageJson

/** oclif's default Help, collecting what it prints instead of writing it to stdout. */
class OclifHelp extends Help {
  printed = ''
  protected override log(...args: string[]): void {
    this.printed += format(...args) + '\n'
  }
}

/** oclif's Help rewrites ids and topic names in place (`jobs:list` → `jobs list`); this undoes it after each use. */
function snapshot(config: Config): () => void {
  const commands = config.commands.map((command) => [command, command.id, command.aliases] as const)
  const topics = config.topics.map((topic) => [topic, topic.name] as const)
  return () => {
    for (const [command, id, aliases] of commands) Object.assign(command, {id, aliases})
    for (const [topic, name] of topics) topic.name = name
  }
}

async function oclifShows(config: Config, argv: string[], opts: {maxWidth: number; all?: boolean}): Promise<string> {
  const restore = snapshot(config)
  try {
    const help = new OclifHelp(config, opts)
    await help.showHelp(argv)
    return help.printed
  } finally {
    restore()
  }
}

function oursShows(cli: HelpCli, argv: string[], opts: HelpOptions): string {
  const target = helpTarget(cli, argv, helpFlags(pjson))
  if (target.kind === 'unknown') return `(no help for ${target.subject})`
  return renderHelp(cli, target, opts)
}

/** The help requests to compare: the root, every topic and every command (ours and the plugins'), as typed. */
function requests(config: Config): string[][] {
  const words = [...config.topics.map((topic) => topic.name), ...config.commands.map((command) => command.id)].map((id) => id.split(':'))
  return [[], ...words].map((request) => [...request, '--help'])
}

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n')
  const b = actual.split('\n')
  const line = a.findIndex((text, i) => text !== b[i])
  return `line ${line + 1}:\n  oclif: ${JSON.stringify(a[line])}\n  ours:  ${JSON.stringify(b[line])}`
}

describe('help renderer against oclif 4 Help', () => {
  let config: Config
  let cli: HelpCli

  before(async () => {
    const manifests = readManifests(ROOT, pjson)
    if (!manifests) throw new Error('oclif.manifest.json is missing: run `npm run build`')
    config = await Config.load({root: ROOT})
    cli = cliFromManifests(pjson, manifests, config.platform)
  })

  it('covers our commands, the plugin commands and every topic', () => {
    const ids = requests(config).map((request) => request.slice(0, -1).join(' '))
    expect(ids).to.include.members(['', 'jobs', 'jobs run', 'webservice', 'help', 'autocomplete', 'autocomplete script', '__complete', 'sandbox'])
    expect(cli.commands.map((command) => command.id).sort()).to.deep.equal(config.commands.map((command) => command.id).sort())
  })

  for (const maxWidth of [40, 80, 120, 200]) {
    it(`prints the same root, topic and command help at ${maxWidth} columns`, async () => {
      for (const all of [false, true]) {
        for (const argv of requests(config)) {
          const expected = await oclifShows(config, argv, {maxWidth, all})
          const actual = oursShows(cli, argv, {maxWidth, all, color: false})
          if (actual !== expected) expect.fail(`\`${argv.join(' ')}\`${all ? ' (all)' : ''}: ${firstDifference(expected, actual)}`)
        }
      }
    })
  }

  it('formats each command as `oclif readme` asks for it (README.md command reference)', () => {
    const opts = {maxWidth: 120, respectNoCacheDefault: true, stripAnsi: true}
    for (const command of config.commands) {
      const restore = snapshot(config)
      const expected = (new Help(config, opts) as unknown as {formatCommand(c: unknown): string}).formatCommand(command)
      restore()
      const actual = formatCommand(cli, cli.findCommand(command.id)!, {...opts, color: true})
      if (actual !== expected) expect.fail(`${command.id}: ${firstDifference(expected, actual)}`)
    }
  })

  it('styles the same text as oclif when colour is on (bold headers, underlined values)', async function () {
    this.timeout(60_000)
    // oclif decides on colour once, when its modules load: ask a fresh process with colour forced.
    const subjects = [[], ['jobs'], ['jobs', 'run'], ['jobs', 'load'], ['webservice'], ['help'], ['autocomplete'], ['envvars', 'show']]
    const script = `
      import {format} from 'node:util'
      import {Config, Help} from '@oclif/core'
      const config = await Config.load({root: process.cwd()})
      const out = {}
      for (const words of ${JSON.stringify(subjects)}) for (const maxWidth of [40, 120]) {
        const ids = config.commands.map((c) => [c, c.id, c.aliases]), names = config.topics.map((t) => [t, t.name])
        let printed = ''
        const help = new (class extends Help { log(...args) { printed += format(...args) + '\\n' } })(config, {maxWidth})
        await help.showHelp([...words, '--help'])
        for (const [c, id, aliases] of ids) Object.assign(c, {id, aliases})
        for (const [t, name] of names) t.name = name
        out[words.join(' ') + '@' + maxWidth] = printed
      }
      process.stdout.write(JSON.stringify(out))`
    const env: NodeJS.ProcessEnv = {...process.env, FORCE_COLOR: '3'}
    delete env.NO_COLOR
    const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024})
    const expected = JSON.parse(stdout) as Record<string, string>
    expect(expected['jobs run@120']).to.include('\u001B[1mUSAGE\u001B[22m').and.include('\u001B[4m<value>\u001B[24m')
    for (const [key, text] of Object.entries(expected)) {
      const [words, width] = key.split('@')
      const actual = oursShows(cli, [...(words ? words.split(' ') : []), '--help'], {maxWidth: Number(width), color: true})
      if (actual !== text) expect.fail(`\`${words}\` at ${width}: ${firstDifference(text, actual)}`)
    }
  })
})
