// The prebuilt Toolforge images (upstream: ConfigMap tf-public/image-config, key images-v1.yaml) embedded
// so the CLI's `images` fallback, the sandbox and the object builders resolve names without the cluster.
// The list is assembled from webservice.md §2 and jobs.md §2.8/§3.7; the authoritative list lives in the
// image-config repository. Registry hosts follow the sources: images published before the 2025 registry
// rename keep docker-registry.tools.wmflabs.org, newer ones (php8.4, python3.13, trixie) use
// docker-registry.svc.toolforge.org — both names serve the same registry.
//
// Jobs run the `-web` variant of every image that has one (jobs.md §2.8, since Jan 2026); images without
// a webservice variant (Debian base images, mono) run their base image.

export type ImageState = 'stable' | 'deprecated'
export type WebserviceRunner = 'lighttpd' | 'lighttpd-plain' | 'python' | 'js' | 'generic'

export interface CatalogImage {
  /** Short name users type (`python3.11`). */
  shortname: string
  state: ImageState
  /** Every other accepted name (image-config aliases and variant names). */
  aliases: readonly string[]
  /** Image the jobs framework runs, with tag. */
  url: string
  /** jobs-framework (base) variant, with tag. */
  baseUrl: string
  /** webservice variant, with tag, when the image can serve a webservice. */
  webUrl?: string
  /** image-config `variants.webservice.extra.wstype`. */
  wstype?: WebserviceRunner
  /** image-config `variants.webservice.extra.resources`: jdk images get 1Gi by default. */
  resources?: 'default' | 'jdk'
}

export interface ResolvedImage {
  url: string
  shortname: string
  buildservice: boolean
  /** `stable`/`deprecated` for prebuilt images; buildservice images of the tool itself are `stable`, other tools' `unknown`. */
  state: string
}

export const OLD_REGISTRY = 'docker-registry.tools.wmflabs.org'
export const NEW_REGISTRY = 'docker-registry.svc.toolforge.org'
export const DEFAULT_HARBOR_HOST = 'tools-harbor.wmcloud.org'
const TAG = 'latest'

interface Entry {
  name: string
  /** Part of the image name between `toolforge-` and `-sssd`. */
  stem: string
  state: ImageState
  wstype?: WebserviceRunner
  jdk?: boolean
  registry?: string
  /** Debian base images are `toolforge-<stem>-sssd` with no variants. */
  plain?: boolean
}

const ENTRIES: readonly Entry[] = [
  {name: 'bookworm', stem: 'bookworm', state: 'stable', plain: true},
  {name: 'bullseye', stem: 'bullseye', state: 'deprecated', plain: true},
  {name: 'trixie', stem: 'trixie', state: 'stable', plain: true, registry: NEW_REGISTRY},
  {name: 'golang1.11', stem: 'golang111', state: 'deprecated', wstype: 'generic'},
  {name: 'jdk17', stem: 'jdk17', state: 'stable', wstype: 'generic', jdk: true},
  {name: 'mono6.8', stem: 'mono68', state: 'deprecated'},
  {name: 'node12', stem: 'node12', state: 'deprecated', wstype: 'js'},
  {name: 'node16', stem: 'node16', state: 'stable', wstype: 'js'},
  {name: 'perl5.32', stem: 'perl532', state: 'stable', wstype: 'lighttpd-plain'},
  {name: 'php7.3', stem: 'php73', state: 'deprecated', wstype: 'lighttpd'},
  {name: 'php7.4', stem: 'php74', state: 'stable', wstype: 'lighttpd'},
  {name: 'php8.2', stem: 'php82', state: 'stable', wstype: 'lighttpd'},
  {name: 'php8.4', stem: 'php84', state: 'stable', wstype: 'lighttpd', registry: NEW_REGISTRY},
  {name: 'python3.9', stem: 'python39', state: 'stable', wstype: 'python'},
  {name: 'python3.11', stem: 'python311', state: 'stable', wstype: 'python'},
  {name: 'python3.13', stem: 'python313', state: 'stable', wstype: 'python', registry: NEW_REGISTRY},
  {name: 'ruby2.1', stem: 'ruby21', state: 'deprecated', wstype: 'generic'},
  {name: 'ruby2.7', stem: 'ruby27', state: 'stable', wstype: 'generic'},
  {name: 'tcl8.6', stem: 'tcl86', state: 'stable', wstype: 'lighttpd-plain'},
]

function toCatalogImage(entry: Entry): CatalogImage {
  const registry = entry.registry ?? OLD_REGISTRY
  const prefix = `toolforge-${entry.stem}`
  if (entry.plain) {
    const url = `${registry}/${prefix}-sssd:${TAG}`
    return {shortname: entry.name, state: entry.state, aliases: [`tf-${entry.stem}`, prefix, `${prefix}-sssd`], url, baseUrl: url}
  }
  const aliases = [`tf-${entry.stem}`, prefix, `${prefix}-sssd-base`, `${prefix}-sssd-web`]
  // Deprecated entries carried a `-DEPRECATED` alias in image-config.
  if (entry.state === 'deprecated') aliases.splice(1, 0, `tf-${entry.stem}-DEPRECATED`)
  const baseUrl = `${registry}/${prefix}-sssd-base:${TAG}`
  const webUrl = entry.wstype ? `${registry}/${prefix}-sssd-web:${TAG}` : undefined
  return {
    shortname: entry.name,
    state: entry.state,
    aliases: entry.wstype ? aliases : aliases.filter((a) => !a.endsWith('-sssd-web')),
    url: webUrl ?? baseUrl,
    baseUrl,
    ...(webUrl ? {webUrl, wstype: entry.wstype, resources: entry.jdk ? 'jdk' : 'default'} : {}),
  }
}

const CATALOG: readonly CatalogImage[] = Object.freeze(
  ENTRIES.map(toCatalogImage).sort((a, b) => (a.shortname < b.shortname ? -1 : a.shortname > b.shortname ? 1 : 0)),
)

// Every accepted spelling → image, built once: short names, aliases, aliases with `:latest`, and the
// variant URLs under either registry name, with and without the tag.
const BY_NAME = new Map<string, CatalogImage>()
for (const image of CATALOG) {
  const names = [image.shortname, ...image.aliases]
  for (const alias of image.aliases) if (alias.startsWith('toolforge-')) names.push(`${alias}:${TAG}`)
  for (const url of [image.baseUrl, image.webUrl]) {
    if (!url) continue
    const path = url.slice(url.indexOf('/') + 1)
    for (const registry of [OLD_REGISTRY, NEW_REGISTRY]) {
      names.push(`${registry}/${path}`, `${registry}/${path.slice(0, -(TAG.length + 1))}`)
    }
  }
  for (const name of names) if (!BY_NAME.has(name)) BY_NAME.set(name, image)
}

/** All prebuilt images (deprecated included), sorted by short name. */
export function listImages(): readonly CatalogImage[] {
  return CATALOG
}

/** The images list as jobs-api's `GET …/images` returns it: stable prebuilt images only. */
export function apiImageList(): Array<{shortname: string; image: string}> {
  return CATALOG.filter((i) => i.state === 'stable').map((i) => ({shortname: i.shortname, image: i.url}))
}

export function findCatalogImage(name: string): CatalogImage | undefined {
  return BY_NAME.get(name)
}

// Harbor reference `[host/]tool-<tool>/<repository>[:tag][@sha256:<digest>]`. The host must look like a
// host name (contain a dot) so `tool-a/tool-a:latest` is not read as host `tool-a`.
const BUILDSERVICE_IMAGE =
  /^(?:([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?)\/)?tool-([a-z0-9][a-z0-9._-]*)\/([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/

/**
 * Resolve what a user typed as `--image` (jobs.md §3.7): short name, alias, variant name, full prebuilt
 * URL, or a buildservice image of this or another tool, with or without the Harbor host. Prebuilt images
 * resolve to the URL jobs run (the `-web` variant); buildservice images keep the host given, else Harbor.
 */
export function resolveImage(imagename: string, tool: string, harborHost = DEFAULT_HARBOR_HOST): ResolvedImage | undefined {
  const prebuilt = BY_NAME.get(imagename)
  if (prebuilt) return {url: prebuilt.url, shortname: prebuilt.shortname, buildservice: false, state: prebuilt.state}

  const m = BUILDSERVICE_IMAGE.exec(imagename)
  if (!m) return undefined
  const [, host, owner, repository, tag, digest] = m
  const shortname = `tool-${owner}/${repository}:${tag ?? TAG}${digest ? `@${digest}` : ''}`
  return {
    url: `${host ?? harborHost}/${shortname}`,
    shortname,
    buildservice: true,
    state: owner === tool ? 'stable' : 'unknown',
  }
}

export interface WebserviceType {
  type: string
  image: string
  wstype: WebserviceRunner
  resources: 'default' | 'jdk'
  state: ImageState
}

/** Webservice types (webservice.md §2.1): every image with a webservice variant, by short name. */
export function webserviceTypes(): WebserviceType[] {
  const types: WebserviceType[] = []
  for (const image of CATALOG) {
    if (!image.webUrl || !image.wstype) continue
    types.push({type: image.shortname, image: image.webUrl, wstype: image.wstype, resources: image.resources ?? 'default', state: image.state})
  }
  return types
}

export function resolveWebserviceType(type: string): WebserviceType | undefined {
  return webserviceTypes().find((t) => t.type === type)
}
