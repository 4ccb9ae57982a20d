// Webservice types (webservice.md §2): the cluster's image-config when it can be read, else the catalogue
// built into the CLI, plus the built-in `buildservice` type that runs the tool's own image.

import {UserError} from '../api/errors.js'
import {DEFAULT_HARBOR_HOST, resolveImage, webserviceTypes, type WebserviceRunner} from '../kube/images.js'
import type {TypeDef} from './image-config.js'

export const DEFAULT_TYPE = 'php7.4'
export const BUILDSERVICE = 'buildservice'

/** The prebuilt types in force, and where they come from. */
export interface TypeTable {
  source: 'cluster' | 'embedded'
  types: readonly TypeDef[]
}

export const EMBEDDED_TYPES: TypeTable = Object.freeze({
  source: 'embedded',
  types: Object.freeze(webserviceTypes().map((t) => ({name: t.type, image: t.image, wstype: t.wstype, resources: t.resources, state: t.state}))),
})

export interface TypeInfo {
  name: string
  /** Image with tag; for buildservice the default image of the tool. */
  image: string
  state: string
  /** image-config `wstype`; undefined for buildservice. */
  wstype?: WebserviceRunner
  /** Default resources profile; undefined for buildservice (the default one). */
  resources?: 'default' | 'jdk'
  default: boolean
}

export function listTypes(table: TypeTable, tool: string, buildserviceRepository = DEFAULT_HARBOR_HOST): TypeInfo[] {
  const types: TypeInfo[] = table.types.map((t) => ({...t, default: t.name === DEFAULT_TYPE}))
  types.push({name: BUILDSERVICE, image: `${buildserviceRepository}/tool-${tool}/tool-${tool}:latest`, state: 'stable', default: false})
  return types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export function findType(table: TypeTable, name: string, tool = 'tool'): TypeInfo | undefined {
  return listTypes(table, tool).find((t) => t.name === name)
}

export function isKnownType(table: TypeTable, name: string): boolean {
  return findType(table, name) !== undefined
}

/**
 * Unknown type → upstream's list of supported types (deprecated ones hidden but still accepted). Every
 * item gets its bullet: upstream's first line lacked one (Q-WS-06, fixed).
 */
export function checkType(table: TypeTable, name: string, tool: string): TypeInfo {
  const found = findType(table, name, tool)
  if (found) return found
  const names = listTypes(table, tool)
    .filter((t) => t.state !== 'deprecated')
    .map((t) => `  * ${t.name}`)
  throw new UserError('type must be one of:', {details: names.join('\n')})
}

/**
 * The type a running webservice was started with, from what the backend reports: the type name the jobs
 * API keeps as `imagename`, or an image — one of the table's, else any spelling of a catalogue image.
 */
export function typeOfImage(table: TypeTable, image: string, tool: string): string | undefined {
  if (!image) return undefined
  const byName = table.types.find((t) => t.name === image) ?? table.types.find((t) => t.image === image || t.image === `${image}:latest`)
  if (byName) return byName.name
  const resolved = resolveImage(image, tool)
  if (!resolved) return undefined
  if (resolved.buildservice) return BUILDSERVICE
  return isKnownType(table, resolved.shortname) ? resolved.shortname : undefined
}

export function deprecationWarning(type: string): string {
  return `DEPRECATED: '${type}' type is deprecated.\n  See https://wikitech.wikimedia.org/wiki/Help:Toolforge/Kubernetes\n  for currently supported types.`
}

/** The command webservice-runner is given for each wstype (webservice.md §2.2). */
export const RUNNER_TYPES: Record<WebserviceRunner, string> = {
  lighttpd: 'lighttpd',
  'lighttpd-plain': 'lighttpd-plain',
  python: 'uwsgi-python',
  js: 'nodejs',
  generic: 'generic',
}
