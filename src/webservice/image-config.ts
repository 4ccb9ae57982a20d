// The cluster's webservice types (webservice.md §2.1): the ConfigMap tf-public/image-config, key
// images-v1.yaml, shared with the jobs framework. Every image with a `webservice` variant is a type.
// Pure: the text in, the types out; reading the ConfigMap is the caller's business.

import {parse as parseYaml} from 'yaml'

import type {WebserviceRunner} from '../kube/images.js'

export const IMAGE_CONFIG_NAMESPACE = 'tf-public'
export const IMAGE_CONFIG_NAME = 'image-config'
export const IMAGE_CONFIG_KEY = 'images-v1.yaml'
/** How messages name it. */
export const IMAGE_CONFIG_REF = `ConfigMap ${IMAGE_CONFIG_NAMESPACE}/${IMAGE_CONFIG_NAME}`

const TAG = 'latest'

/** One prebuilt webservice type (buildservice, which is built in, is not one of them). */
export interface TypeDef {
  name: string
  /** Image with tag. */
  image: string
  /** image-config `variants.webservice.extra.wstype`: which webservice-runner type the image runs. */
  wstype: WebserviceRunner
  /** Default resources profile: jdk images get 1Gi of memory. */
  resources: 'default' | 'jdk'
  /** `stable`, `deprecated`, or whatever else the cluster calls it. */
  state: string
}

export interface ParsedImageConfig {
  types: TypeDef[]
  /** Why images that look like webservice types were left out, one line each (for --debug). */
  skipped: string[]
}

/** The ConfigMap or its text is not what this CLI understands: the caller falls back to its own list. */
export class ImageConfigError extends Error {}

// Exhaustive by type: a runner added to WebserviceRunner must be added here too.
const WSTYPES: Record<WebserviceRunner, true> = {lighttpd: true, 'lighttpd-plain': true, python: true, js: true, generic: true}
const RESOURCES = new Set(['default', 'jdk'])
// Names are typed on the command line; anything else could never be selected.
const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/

type Mapping = Record<string, unknown>

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Upstream appends `:latest` to the variant's image; one that already names a tag or digest keeps it. */
function withTag(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1)
  return image.includes('@') || last.includes(':') ? image : `${image}:${TAG}`
}

/** The type of one image-config entry; undefined when it has no webservice variant, a reason when unusable. */
function toType(name: string, entry: unknown): TypeDef | string | undefined {
  if (!isMapping(entry)) return 'not a mapping'
  const variant = isMapping(entry.variants) ? entry.variants.webservice : undefined
  if (variant === undefined || variant === null) return undefined
  if (name === 'buildservice') return 'the name of the built-in type'
  if (!TYPE_NAME.test(name)) return 'not a name that can be typed'
  if (!isMapping(variant)) return 'its webservice variant is not a mapping'
  if (typeof variant.image !== 'string' || variant.image.trim() === '') return 'its webservice variant has no image'
  const extra = isMapping(variant.extra) ? variant.extra : {}
  const {wstype} = extra
  if (typeof wstype !== 'string' || !Object.hasOwn(WSTYPES, wstype)) return `unknown wstype ${JSON.stringify(wstype ?? null)}`
  const resources = extra.resources ?? 'default'
  if (typeof resources !== 'string' || !RESOURCES.has(resources)) return `unknown resources ${JSON.stringify(resources)}`
  // Upstream requires a state; one left out is read as the ordinary case rather than losing the type.
  const state = entry.state ?? 'stable'
  if (typeof state !== 'string' || state === '') return `invalid state ${JSON.stringify(state)}`
  return {name, image: withTag(variant.image.trim()), wstype: wstype as WebserviceRunner, resources: resources as TypeDef['resources'], state}
}

/**
 * The webservice types of an images-v1.yaml text, sorted by name. Throws ImageConfigError when the text
 * is not YAML, not a mapping of images, or has no usable webservice type at all (then it is not the
 * schema this CLI knows, and its own list is the better guess). Single unusable entries are skipped.
 */
export function parseImageConfig(text: string): ParsedImageConfig {
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (error) {
    throw new ImageConfigError(`${IMAGE_CONFIG_KEY} is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!isMapping(data)) throw new ImageConfigError(`${IMAGE_CONFIG_KEY} is not a mapping of images`)
  const types: TypeDef[] = []
  const skipped: string[] = []
  for (const [name, entry] of Object.entries(data)) {
    const type = toType(name, entry)
    if (typeof type === 'string') skipped.push(`image '${name}' is not used as a webservice type: ${type}`)
    else if (type) types.push(type)
  }
  if (types.length === 0) throw new ImageConfigError(`${IMAGE_CONFIG_KEY} has no usable webservice type`)
  types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {types, skipped}
}

/** The same, from the ConfigMap object the Kubernetes API returns. */
export function typesFromConfigMap(configMap: unknown): ParsedImageConfig {
  const data = isMapping(configMap) && isMapping(configMap.data) ? configMap.data : undefined
  const text = data?.[IMAGE_CONFIG_KEY]
  if (typeof text !== 'string') throw new ImageConfigError(`${IMAGE_CONFIG_REF} has no data key ${IMAGE_CONFIG_KEY}`)
  return parseImageConfig(text)
}
