// The static description of this CLI's commands that `oclif manifest` writes (oclif.manifest.json),
// for ours and for each plugin in package.json `oclif.plugins`. Completion and help are answered
// from these files alone, without loading oclif or any command module; keep this file free of
// imports other than node's own.

import {readFileSync} from 'node:fs'
import {join} from 'node:path'

/** A flag as oclif caches it in the manifest (`Command.Flag.Cached`). */
export interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  summary?: string
  description?: string
  helpLabel?: string
  helpGroup?: string
  helpValue?: string | string[]
  hidden?: boolean
  required?: boolean
  allowNo?: boolean
  multiple?: boolean
  options?: readonly string[]
  default?: unknown
  env?: string
  noCacheDefault?: boolean
  dependsOn?: readonly string[]
  exclusive?: readonly string[]
  combinable?: readonly string[]
  aliases?: readonly string[]
  charAliases?: readonly string[]
  hasDynamicHelp?: boolean
}

/** A positional argument as oclif caches it in the manifest (`Command.Arg.Cached`). */
export interface ManifestArg {
  name: string
  description?: string
  required?: boolean
  multiple?: boolean
  hidden?: boolean
  default?: unknown
  options?: readonly string[]
}

export type ManifestExample = string | {description: string; command: string}

export interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  usage?: string | readonly string[]
  examples?: ManifestExample | readonly ManifestExample[]
  flags?: Record<string, ManifestFlag>
  args?: Record<string, ManifestArg>
  aliases?: readonly string[]
  hiddenAliases?: readonly string[]
  deprecateAliases?: boolean
  hidden?: boolean
  strict?: boolean
  state?: string
  deprecationOptions?: {message?: string; version?: string | number; to?: string}
  hasDynamicHelp?: boolean
  pluginName?: string
  pluginType?: string
  permutations?: readonly string[]
  aliasPermutations?: readonly string[]
}

export interface OclifManifest {
  version?: string
  commands?: Record<string, ManifestCommand>
}

export interface PjsonTopic {
  description?: string
  hidden?: boolean
  subtopics?: Record<string, PjsonTopic>
}

/** The parts of a package.json (ours or a plugin's) that describe an oclif CLI. */
export interface PackageJson {
  name?: string
  version?: string
  description?: string
  oclif: {
    bin?: string
    dirname?: string
    description?: string
    plugins?: string[]
    topics?: Record<string, PjsonTopic>
    topicSeparator?: string
    state?: string
    additionalHelpFlags?: string[]
    additionalVersionFlags?: string[]
    [key: string]: unknown
  }
}

export interface ManifestPlugin {
  /** package.json `name`; for a plugin, what its commands' `pluginName` refers to. */
  name: string
  pjson: PackageJson
  manifest: OclifManifest
  /** oclif uses a manifest only when it was written for the installed version; otherwise it loads every command. */
  current: boolean
}

export interface CliManifests {
  /** This CLI first, then its plugins in package.json order: the order oclif loads them in. */
  plugins: ManifestPlugin[]
  /** Plugins listed in package.json whose package.json or manifest could not be read. */
  missing: string[]
}

/** The program name oclif uses: `oclif.bin`, else the package name. */
export function binName(pjson: PackageJson): string {
  return pjson.oclif.bin || pjson.name || ''
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** A package's manifest, under either name oclif looks for (`oclif.manifest.json`, then `.oclif.manifest.json`). */
export function readManifest(dir: string): OclifManifest | undefined {
  const manifest = (readJson(join(dir, 'oclif.manifest.json')) ?? readJson(join(dir, '.oclif.manifest.json'))) as OclifManifest | undefined
  return manifest && typeof manifest === 'object' && manifest.commands && typeof manifest.commands === 'object' ? manifest : undefined
}

function baseVersion(version: unknown): string {
  return String(version ?? '').split('-')[0]
}

function plugin(pjson: PackageJson, manifest: OclifManifest): ManifestPlugin {
  return {name: pjson.name ?? '', pjson, manifest, current: baseVersion(manifest.version) === baseVersion(pjson.version)}
}

/**
 * Our manifest and our plugins' manifests (node_modules/<plugin>/), as oclif would find them for an
 * installed CLI. Undefined when we have no manifest (a checkout that was never built).
 */
export function readManifests(root: string, pjson: PackageJson): CliManifests | undefined {
  const own = readManifest(root)
  if (!own) return undefined
  const result: CliManifests = {plugins: [plugin(pjson, own)], missing: []}
  for (const name of pjson.oclif.plugins ?? []) {
    const dir = join(root, 'node_modules', name)
    const pluginPjson = readJson(join(dir, 'package.json')) as PackageJson | undefined
    const manifest = pluginPjson ? readManifest(dir) : undefined
    if (pluginPjson && manifest) result.plugins.push(plugin({...pluginPjson, oclif: pluginPjson.oclif ?? {}}, manifest))
    else result.missing.push(name)
  }

  return result
}

/** The topics a package.json declares, nested `subtopics` flattened to `parent:child` names, as oclif lists them. */
export function pjsonTopics(pjson: PackageJson): Array<{name: string; description?: string; hidden?: boolean}> {
  const flatten = (topics: Record<string, PjsonTopic> | undefined, base: string): Array<{name: string; description?: string; hidden?: boolean}> =>
    Object.entries(topics ?? {}).flatMap(([key, topic]) => [
      {name: `${base}${key}`, description: topic.description, hidden: topic.hidden},
      ...flatten(topic.subtopics, `${base}${key}:`),
    ])
  return flatten(pjson.oclif.topics, '')
}
