// Webservice types (webservice.md §2): every image of the embedded catalogue that has a webservice
// variant, plus the built-in `buildservice` type that runs the tool's own image.

import {UserError} from '../api/errors.js'
import {DEFAULT_HARBOR_HOST, webserviceTypes, type WebserviceRunner} from '../kube/images.js'

export const DEFAULT_TYPE = 'php7.4'
export const BUILDSERVICE = 'buildservice'

export interface TypeInfo {
  name: string
  /** Image with tag; for buildservice the default image of the tool. */
  image: string
  state: string
  /** image-config `wstype`; undefined for buildservice. */
  wstype?: WebserviceRunner
  default: boolean
}

export function listTypes(tool: string, buildserviceRepository = DEFAULT_HARBOR_HOST): TypeInfo[] {
  const types: TypeInfo[] = webserviceTypes().map((t) => ({name: t.type, image: t.image, state: t.state, wstype: t.wstype, default: t.type === DEFAULT_TYPE}))
  types.push({name: BUILDSERVICE, image: `${buildserviceRepository}/tool-${tool}/tool-${tool}:latest`, state: 'stable', default: false})
  return types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export function findType(name: string, tool = 'tool'): TypeInfo | undefined {
  return listTypes(tool).find((t) => t.name === name)
}

export function isKnownType(name: string): boolean {
  return findType(name) !== undefined
}

/**
 * Unknown type → upstream's list of supported types (deprecated ones hidden but still accepted). Every
 * item gets its bullet: upstream's first line lacked one (Q-WS-06, fixed).
 */
export function checkType(name: string, tool: string): TypeInfo {
  const found = findType(name, tool)
  if (found) return found
  const names = listTypes(tool)
    .filter((t) => t.state !== 'deprecated')
    .map((t) => `  * ${t.name}`)
  throw new UserError('type must be one of:', {details: names.join('\n')})
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
