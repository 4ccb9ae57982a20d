import {Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'

import {EXIT_USER_ERROR, ReportedFailure, UserError} from '../../api/errors.js'
import {BaseCommand} from '../../base-command.js'
import {optionalIdentity} from '../../config/identity.js'
import {identityFlags} from '../../flags.js'
import {readStdin} from '../../ui/stdin.js'

export default class PolicyCheck extends BaseCommand {
  static override summary = 'Check Kubernetes manifests against the Toolforge per-tool pod policy before applying them.'
  static override description = `Reads multi-document YAML or JSON (Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, Lists) and reports every violation the cluster's admission policy would refuse, in Kyverno's wording. Objects without pods pass. Exit 0 when everything complies, 1 otherwise.`

  static override enableJsonFlag = true
  static override examples = [
    '<%= config.bin %> <%= command.id %> -f deployment.yaml',
    'kubectl get deploy mybot -o yaml | <%= config.bin %> <%= command.id %> -f - --tool mytool --uid 52345',
  ]

  static override flags = {
    file: Flags.string({char: 'f', summary: "Manifest file to check, '-' for stdin (repeatable; default stdin).", multiple: true}),
    ...identityFlags,
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(PolicyCheck)
    const files = flags.file ?? ['-']
    const [{parseManifests, ManifestParseError}, {checkManifests}] = await Promise.all([import('../../kube/manifests.js'), import('../../kube/policy.js')])
    const identity = await optionalIdentity({tool: flags.tool, uid: flags.uid})
    if (identity.uid === undefined) this.printer.warn('tool uid unknown (pass --tool/--uid): checking that the pod is consistent with one non-root uid')

    const results = []
    for (const file of files) {
      let text: string
      try {
        text = file === '-' ? await readStdin() : await readFile(file, 'utf8')
      } catch (error) {
        throw new UserError(`Unable to read ${file === '-' ? 'stdin' : file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
      }

      let objects: unknown[]
      try {
        objects = parseManifests(text, file === '-' ? 'stdin' : file)
      } catch (error) {
        if (error instanceof ManifestParseError) throw new UserError(error.message)
        throw error
      }

      for (const result of checkManifests(objects, identity)) results.push({source: file === '-' ? 'stdin' : file, ...result})
    }

    if (results.length === 0) throw new UserError('No manifests found in the input')
    const ok = results.every((r) => !r.error && r.violations.length === 0)
    if (!this.jsonEnabled()) {
      const {renderPolicyReport} = await import('../../ui/policy.js')
      const report = renderPolicyReport(results)
      if (ok) this.print(report)
      else process.stderr.write(report + '\n')
    }

    const report = {ok, tool: identity.tool ?? null, uid: identity.uid ?? null, results}
    if (!ok) {
      const failing = results.filter((r) => r.error || r.violations.length > 0).length
      throw new ReportedFailure(EXIT_USER_ERROR, report, `${failing} of ${results.length} manifests do not comply with the Toolforge pod policy`)
    }
    return report
  }
}
