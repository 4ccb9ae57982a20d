// Which words complete to values that only the tool's account knows (job names, build ids, …), and
// the values the CLI knows by itself. Kept free of API, YAML and table code: it runs on every TAB.

import {listImages, webserviceTypes} from '../kube/images.js'
import {ACTIONS, BACKENDS} from '../webservice/args.js'
import {BUILDSERVICE} from '../webservice/wstypes.js'

/** Lists kept in the completion cache, each refreshed from one API call. */
export const CACHED_KINDS = ['jobs', 'images', 'envvars', 'builds'] as const
export type CachedKind = (typeof CACHED_KINDS)[number]

export function isCachedKind(word: string): word is CachedKind {
  return (CACHED_KINDS as readonly string[]).includes(word)
}

export type ValueSource = {cached: CachedKind} | {static: readonly string[]} | 'webservice'

/** First positional argument of these commands; `variadic` ones take any number of them. */
const ARG_SOURCES: Record<string, {kind: CachedKind; variadic?: boolean}> = {
  'jobs:show': {kind: 'jobs'},
  'jobs:logs': {kind: 'jobs'},
  'jobs:delete': {kind: 'jobs'},
  'jobs:restart': {kind: 'jobs'},
  'jobs:wait': {kind: 'jobs'},
  'envvars:show': {kind: 'envvars'},
  'envvars:delete': {kind: 'envvars'},
  'build:show': {kind: 'builds'},
  'build:logs': {kind: 'builds'},
  'build:cancel': {kind: 'builds', variadic: true},
  'build:delete': {kind: 'builds', variadic: true},
}

/** Flags whose values are not declared as oclif `options` but are still known. */
const FLAG_SOURCES: Record<string, Record<string, ValueSource>> = {
  'jobs:run': {image: {cached: 'images'}},
  'jobs:load': {job: {cached: 'jobs'}},
  webservice: {backend: {static: BACKENDS}, mount: {static: ['all', 'none']}},
}

export function argSource(commandId: string, position: number): ValueSource | undefined {
  if (commandId === 'webservice') return 'webservice'
  const source = ARG_SOURCES[commandId]
  if (!source || (position > 0 && !source.variadic)) return undefined
  return {cached: source.kind}
}

export function flagSource(commandId: string, flag: string): ValueSource | undefined {
  return FLAG_SOURCES[commandId]?.[flag]
}

/** Words `webservice` accepts as positionals, in either order (`[TYPE] ACTION` or `ACTION [TYPE]`). */
export function webserviceWords(given: readonly string[]): string[] {
  const types = [...webserviceTypes().filter((t) => t.state !== 'deprecated').map((t) => t.type), BUILDSERVICE]
  const actions: readonly string[] = ACTIONS
  const haveAction = given.some((word) => actions.includes(word))
  const haveType = given.some((word) => types.includes(word) || webserviceTypes().some((t) => t.type === word))
  return [...(haveAction ? [] : actions), ...(haveType ? [] : types.sort())]
}

/**
 * Image short names the CLI knows without asking: the stable prebuilt images. Used until the cache
 * holds the API's own list, which adds the tool's build service images.
 */
export function catalogImages(): string[] {
  return listImages()
    .filter((image) => image.state === 'stable')
    .map((image) => image.shortname)
}
