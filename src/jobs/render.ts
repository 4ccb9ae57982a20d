import type {NewJob} from '../api/jobs-types.js'
import {UserError} from '../api/errors.js'
import type {ToolIdentity} from '../config/identity.js'

export interface RenderedJobs {
  objects: unknown[]
  violations: string[]
}

/**
 * The Kubernetes objects the jobs API would create for these jobs, each pod checked against the
 * per-tool policy: what `--dry-run` shows instead of sending anything.
 */
export async function renderJobs(jobs: NewJob[], identity: ToolIdentity, opts: {project?: string} = {}): Promise<RenderedJobs> {
  const [{buildJobObjects}, {JobValidationError}, {checkPolicy, formatViolation}, {readProject}] = await Promise.all([
    import('../kube/jobs.js'),
    import('../kube/job-spec.js'),
    import('../kube/policy.js'),
    import('../config/uid.js'),
  ])
  // The project picks the public domain of a published job (toolsbeta: beta.toolforge.org).
  const project = opts.project ?? (await readProject())
  const objects: unknown[] = []
  const violations: string[] = []
  for (const job of jobs) {
    let built
    try {
      built = buildJobObjects(job, {tool: identity.tool, uid: identity.uid, project})
    } catch (error) {
      // The same 400 texts the API would answer with.
      if (error instanceof JobValidationError) throw new UserError(`${job.name}: ${error.message}`)
      throw error
    }

    for (const object of built) {
      objects.push(object)
      const {kind, metadata} = object as {kind?: string; metadata?: {name?: string}}
      for (const v of checkPolicy(object, identity)) violations.push(`${kind}/${metadata?.name}: ${formatViolation(v)}`)
    }
  }

  return {objects, violations}
}

/** Multi-document YAML for people, or the objects themselves for --json. */
export async function printRendered(rendered: RenderedJobs, opts: {json: boolean; print: (text: string) => void}): Promise<unknown[]> {
  if (rendered.violations.length > 0) {
    throw new UserError('the generated objects violate the Toolforge pod policy', {details: rendered.violations.join('\n')})
  }

  if (!opts.json) {
    const {renderYamlDocuments} = await import('../ui/manifests.js')
    opts.print(renderYamlDocuments(rendered.objects))
  }

  return rendered.objects
}

