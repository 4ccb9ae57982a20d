import type {ManifestResult} from '../kube/policy.js'
import {formatViolation} from '../kube/policy.js'

export interface CheckedManifest extends ManifestResult {
  source: string
}

function label(result: CheckedManifest): string {
  const what = [result.kind, result.name].filter(Boolean).join('/') || 'object'
  const position = result.item === undefined ? `#${result.index + 1}` : `#${result.index + 1} item ${result.item + 1}`
  return `${result.source} ${position} ${what}`
}

/** One block per failing object, then a summary line. */
export function renderPolicyReport(results: CheckedManifest[]): string {
  const lines: string[] = []
  let violations = 0
  for (const result of results) {
    if (result.error) {
      lines.push(`${label(result)}: ${result.error}`)
      continue
    }

    if (result.violations.length === 0) continue
    violations += result.violations.length
    lines.push(`${label(result)}:`)
    for (const v of result.violations) lines.push(`  ${formatViolation(v)}`)
  }

  const failed = results.filter((r) => r.error || r.violations.length > 0).length
  lines.push(
    failed === 0
      ? `${results.length} object(s) checked: all comply with the Toolforge pod policy`
      : `${results.length} object(s) checked: ${failed} refused, ${violations} violation(s)`,
  )
  return lines.join('\n')
}
