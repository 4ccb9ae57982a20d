import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {format} from 'node:util'

import {Config, Help} from '@oclif/core'
import {expect} from 'chai'

import type {ManifestCommand, OclifManifest, PackageJson} from '../../src/oclif-manifests.js'
import {type HelpCli, helpTarget, renderHelp} from '../../src/ui/help.js'
import {cliFromManifests} from '../../src/ui/help-launch.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// Commands that use what our own manifests do not: states and deprecations, aliases, every flag
// and argument attribute, each example form, nested and implied topics, long usage lines.
const LONG = 'A description long enough to need several lines even on a wide terminal, so that the list has to fall back to its stacked layout when the column beside it is narrow; it goes on and on, and then some more, until it is certainly longer than five lines at forty columns.'
const COMMANDS: ManifestCommand[] = [
  {
    id: 'alpha',
    summary: 'Alpha summary for <%= config.bin %>.',
    description: 'First paragraph of alpha.\r\nSecond line after a CRLF.\n\nThird paragraph with `<%= command.id %>`.',
    aliases: ['a', 'al:pha'],
    deprecateAliases: true,
    deprecationOptions: {version: '2.0'},
    examples: [
      'Describe the first example.\n<%= config.bin %> <%= command.id %> --flag\n$ <%= config.bin %> alpha one',
      {description: 'An object example whose description is long enough to wrap at narrow widths.', command: '<%= config.bin %> <%= command.id %> --with "quoted value" --and-a-rather-long-flag-name=to-force-wrapping'},
      'just a line that is not a command',
    ],
    flags: {},
    args: {},
  },
  {
    id: 'alpha:one',
    summary: 'One of alpha.',
    strict: true,
    flags: {
      region: {name: 'region', type: 'option', char: 'r', required: true, options: ['eu', 'us'], summary: 'Where to run.', description: 'The region decides the data centre.\nIt cannot be changed later.', exclusive: ['zone']},
      zone: {name: 'zone', type: 'option', char: 'Z', summary: 'A zone instead of a region.', helpValue: ['ZONE', 'ALT'], multiple: true},
      color: {name: 'color', type: 'boolean', allowNo: true, description: 'Colour the output.', env: 'ALPHA_COLOR'},
      tags: {name: 'tags', type: 'option', multiple: true, default: ['a', 'b'], description: 'Tags to apply.', env: 'ALPHA_TAGS', helpGroup: 'META'},
      label: {name: 'label', type: 'option', summary: 'A label with a summary long enough that its title and summary cannot share one line in the flag descriptions.', description: 'The label is shown in listings.', helpGroup: 'META'},
      secret: {name: 'secret', type: 'option', hidden: true, description: 'Never shown.'},
      left: {name: 'left', type: 'boolean', description: 'Go left.', combinable: ['color']},
      after: {name: 'after', type: 'option', description: 'After this.', dependsOn: ['region']},
      count: {name: 'count', type: 'option', char: 'n', default: 3, description: 'How many.', noCacheDefault: true},
      verbose: {name: 'verbose', type: 'boolean', char: 'v', description: LONG},
    },
    args: {},
  },
  {
    id: 'alpha:two',
    summary: 'Two of alpha.',
    state: 'deprecated',
    deprecationOptions: {message: 'Use alpha one.'},
    strict: false,
    hiddenAliases: ['alpha:deux'],
    args: {
      first: {name: 'first', description: 'The first.', required: true, options: ['x', 'y']},
      rest: {name: 'rest', description: 'The rest.', default: 'all', multiple: true},
      ghost: {name: 'ghost', hidden: true, description: 'Hidden.'},
    },
    flags: {},
  },
  {id: 'alpha:deep:x', summary: 'Deep x.', flags: {}, args: {}},
  {id: 'alpha:deep:y', summary: 'Deep y.', hidden: true, flags: {}, args: {}},
  {
    id: 'beta',
    description: 'Beta has no summary.\nIts description comes first, then more.',
    state: 'beta',
    usage: ['<%= command.id %> [THIS] [IS] --a-very-long --usage-line-that --must-be --split-somewhere --around-the-edge --of-the-screen', 'beta short'],
    flags: {quiet: {name: 'quiet', type: 'boolean', char: 'q', description: LONG}},
    args: {},
  },
  {id: 'beta:gamma', state: 'deprecated', summary: 'Deprecated without options.', flags: {}, args: {only: {name: 'only', description: 'Only arg.'}}},
  {id: 'gamma:delta', summary: 'Delta makes gamma a topic nobody declared.', flags: {}, args: {}},
  {id: 'secret:cmd', summary: 'In a hidden topic.', flags: {}, args: {}},
  {id: 'zeta', flags: {}, args: {}},
]

function fixture(dir: string, separator: string, state?: string): {pjson: PackageJson; manifest: OclifManifest} {
  const pjson: PackageJson = {
    name: 'fixture-cli',
    version: '1.2.3',
    description: 'A fixture CLI.\nWith a second description line for the root DESCRIPTION section.',
    oclif: {
      bin: 'fx',
      commands: './lib/commands',
      topicSeparator: separator,
      ...(state ? {state} : {}),
      topics: {
        alpha: {description: 'Alpha topic.\nMore about alpha, which wraps when the screen is narrow enough.', subtopics: {deep: {description: 'Deep things.'}}},
        secret: {description: 'Hidden topic.', hidden: true},
      },
    },
  }
  const manifest: OclifManifest = {version: '1.2.3', commands: Object.fromEntries(COMMANDS.map((c) => [c.id, {aliases: [], hiddenAliases: [], ...c, pluginName: 'fixture-cli', pluginType: 'core', hidden: c.hidden ?? false}]))}
  writeFileSync(join(dir, 'package.json'), JSON.stringify({...pjson, type: 'module'}))
  writeFileSync(join(dir, 'oclif.manifest.json'), JSON.stringify(manifest))
  return {pjson, manifest}
}

class OclifHelp extends Help {
  printed = ''
  protected override log(...args: string[]): void {
    this.printed += format(...args) + '\n'
  }
}

describe('help renderer against oclif 4 Help, synthetic commands', () => {
  const dirs: string[] = []
  after(async () => {
    for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
    // Config.load records the root plugin process-wide; give it back to the CLI under test.
    await Config.load({root: ROOT})
  })

  for (const [separator, state] of [[' ', undefined], [':', undefined], [' ', 'beta'], [' ', 'deprecated']] as const) {
    it(`prints the same with topic separator "${separator}"${state ? ` and CLI state ${state}` : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tf-help-fixture-'))
      dirs.push(dir)
      const {pjson, manifest} = fixture(dir, separator, state)
      const config = await Config.load({root: dir})
      const cli: HelpCli = cliFromManifests(pjson, {plugins: [{name: 'fixture-cli', pjson, manifest, current: true}], missing: []}, config.platform)
      const ids = [...config.topics.map((t) => t.name), ...config.commands.map((c) => c.id)]
      expect(ids).to.include.members(['alpha', 'alpha:deep', 'gamma', 'a', 'al:pha', 'alpha:deux', 'secret'])
      for (const maxWidth of [40, 80, 120]) {
        for (const all of [false, true]) {
          for (const id of ['', ...ids]) {
            const argv = [...(id ? (separator === ':' ? [id] : id.split(':')) : []), '--help']
            const commands = config.commands.map((c) => [c, c.id, c.aliases] as const)
            const topics = config.topics.map((t) => [t, t.name] as const)
            const help = new OclifHelp(config, {maxWidth, all})
            await help.showHelp(argv)
            for (const [c, cid, aliases] of commands) Object.assign(c, {id: cid, aliases})
            for (const [t, name] of topics) t.name = name
            const target = helpTarget(cli, argv, ['--help'])
            const ours = target.kind === 'unknown' ? `(no help for ${target.subject})` : renderHelp(cli, target, {maxWidth, all, color: false})
            if (ours !== help.printed) {
              const a = help.printed.split('\n')
              const b = ours.split('\n')
              const line = a.findIndex((text, i) => text !== b[i])
              expect.fail(`\`${argv.join(' ')}\` at ${maxWidth}${all ? ' (all)' : ''}, line ${line + 1}:\n  oclif: ${JSON.stringify(a[line])}\n  ours:  ${JSON.stringify(b[line])}`)
            }
          }
        }
      }
    })
  }
})
