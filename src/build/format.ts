import type {Build, BuildQuotaCategory} from '../api/builds.js'
import {neutralizeControls as text} from '../ui/control-chars.js'
import {renderPlain} from '../ui/table.js'
import {paint, type Style} from '../ui/terminal.js'

// Human and --json renderings of builds, as upstream's `_format_build` and friends (build-envvars.md §1.4).

const NA = 'N/A'

/** The `--json` shape of one build; upstream's keys first, ours after them (fields are only ever added). */
export interface FormattedBuild {
  build_id: string
  start_time: string
  end_time: string
  status: string
  message: string
  ref: string
  envvars: string[]
  source_url: string
  use_latest_versions: boolean
  destination_image: string
  resolved_ref: string
  image_name: string
  use_deprecated_versions: boolean
}

const WORDS: Record<string, string> = {SUCCESS: 'ok', FAILURE: 'error'}
const COLOURS: Record<string, Style> = {unknown: 'yellow', pending: 'yellow', running: 'yellow', ok: 'green', cancelled: 'green', error: 'red', timeout: 'red'}

/** `BUILD_SUCCESS` → `ok`, `BUILD_FAILURE` → `error`, otherwise the lower-cased second word. */
export function statusWord(status: string | undefined): string {
  const word = (status ?? '').split('_')[1]
  if (!word) return 'unknown'
  return WORDS[word] ?? word.toLowerCase()
}

export function paintStatus(word: string, colour: boolean): string {
  const style = COLOURS[word]
  return style ? paint(word, style, colour) : word
}

export function formatBuild(build: Build): FormattedBuild {
  const params = build.parameters ?? {}
  const envvars = Object.entries(params.envvars ?? {}).map(([key, value]) => `${key}=${value}`)
  return {
    build_id: build.build_id ?? '',
    start_time: build.start_time || NA,
    end_time: build.end_time || NA,
    status: statusWord(build.status),
    message: build.message ?? '',
    ref: params.ref || NA,
    envvars: envvars.length > 0 ? envvars : [NA],
    source_url: params.source_url ?? '',
    use_latest_versions: params.use_latest_versions ?? false,
    destination_image: build.destination_image ?? '',
    resolved_ref: build.resolved_ref ?? '',
    image_name: params.image_name ?? '',
    use_deprecated_versions: params.use_deprecated_versions ?? false,
  }
}

/** Python's str(bool), as upstream prints it. */
function pyBool(value: boolean): string {
  return value ? 'True' : 'False'
}

export const LIST_COLUMNS = ['build_id', 'status', 'start_time', 'end_time', 'source_url', 'ref', 'envvars', 'use_latest_versions', 'destination_image']

export function renderBuildList(builds: FormattedBuild[]): string {
  // As upstream's _builds_to_table: one envvar per line, so a build with several spans several lines.
  const rows = builds.map((b) => [
    b.build_id, b.status, b.start_time, b.end_time, b.source_url, b.ref, b.envvars.join('\n'), pyBool(b.use_latest_versions), b.destination_image,
  ])
  return renderPlain(LIST_COLUMNS, rows)
}

/** `build show`: the server's fields have their control characters neutralised before our colours are added. */
export function renderBuildDetails(b: FormattedBuild, colour: boolean): string {
  const label = (name: string) => paint(name, 'bold', colour)
  const envvarLabel = '    Envvars:'
  const [firstEnvvar, ...moreEnvvars] = b.envvars.map((e) => text(e))
  return [
    `${label('Build ID:')} ${text(b.build_id)}`,
    `${label('Start Time:')} ${text(b.start_time)}`,
    `${label('End Time:')} ${text(b.end_time)}`,
    `${label('Status:')} ${paintStatus(text(b.status), colour)}`,
    `${label('Message:')} ${text(b.message)}`,
    label('Parameters:'),
    `${label('    Source URL:')} ${text(b.source_url)}`,
    `${label('    Ref:')} ${text(b.ref)}`,
    `${label(envvarLabel)} ${firstEnvvar}`,
    ...moreEnvvars.map((e) => `${' '.repeat(envvarLabel.length + 1)}${e}`),
    `${label('Use latest versions:')} ${pyBool(b.use_latest_versions)}`,
    `${label('Destination Image:')} ${text(b.destination_image)}`,
  ].join('\n')
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase()
}

/** Upstream's quota layout: per category a title, a rule, then per item its name and `Key value` rows. */
export function renderQuota(categories: BuildQuotaCategory[]): string {
  const blocks: string[] = []
  for (const category of categories) {
    const rows: string[][] = []
    for (const item of category.items ?? []) {
      rows.push([item.name ?? '', ''], ['-----------', ''])
      for (const [key, value] of Object.entries(item)) {
        if (key !== 'name') rows.push([capitalize(key), String(value ?? '')])
      }

      rows.push(['', ''])
    }

    // Upstream tabulates these without headers, so no column is widened for one.
    blocks.push(`${category.name ?? ''}\n===================\n${renderPlain([], rows)}`)
  }

  return blocks.join('\n')
}

/**
 * The short name `toolforge jobs run --image` and webservices accept for a built image:
 * `tools-harbor.wmcloud.org/tool-x/web:latest@sha256:…` → `tool-x/web:latest`.
 */
export function shortImageName(destinationImage: string, tool: string, imageName?: string): string {
  const withoutDigest = destinationImage.split('@')[0]
  const parts = withoutDigest.split('/')
  if (parts.length >= 2 && parts.at(-2)?.startsWith('tool-')) return parts.slice(-2).join('/')
  return `tool-${tool}/${imageName || `tool-${tool}`}:latest`
}
