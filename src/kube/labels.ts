// Label sets of kubernetes-objects.md §1. jobs-api puts the same set on an object and on its pod
// template; selectors use a reduced set so that changing e.g. the emails option does not orphan pods.

import type {EmailOption, JobType, MountOption} from '../api/jobs-types.js'

export const JOBS_MANAGED_BY = 'toolforge-jobs-framework'
export const JOBS_OBJECT_VERSION = '2'

const COMPONENT: Record<JobType, string> = {'one-off': 'jobs', scheduled: 'cronjobs', continuous: 'deployments'}

export function jobComponent(jobType: JobType): string {
  return COMPONENT[jobType]
}

export interface JobLabelOptions {
  filelog?: boolean
  emails?: EmailOption
  mount?: MountOption
}

/** `generate_labels`: the full set for objects and pod templates. */
export function jobLabels(tool: string, jobName: string, jobType: JobType, opts: JobLabelOptions = {}): Record<string, string> {
  const labels: Record<string, string> = {
    toolforge: 'tool',
    'app.kubernetes.io/managed-by': JOBS_MANAGED_BY,
    'app.kubernetes.io/created-by': tool,
    'app.kubernetes.io/version': JOBS_OBJECT_VERSION,
    'app.kubernetes.io/component': COMPONENT[jobType],
    'app.kubernetes.io/name': jobName,
  }
  if (opts.filelog) labels['jobs.toolforge.org/filelog'] = 'yes'
  if (opts.emails) labels['jobs.toolforge.org/emails'] = opts.emails
  if (opts.mount) labels['toolforge.org/mount-storage'] = opts.mount
  return labels
}

/** Deployment `matchLabels` and topology-spread selector since T409007 (Nov 2025). */
export function jobSelectorLabels(tool: string, jobName: string): Record<string, string> {
  return {
    toolforge: 'tool',
    'app.kubernetes.io/managed-by': JOBS_MANAGED_BY,
    'app.kubernetes.io/created-by': tool,
    'app.kubernetes.io/name': jobName,
  }
}

/** `webservice_labels` (§1.2), on every webservice object and the pod template. */
export function webserviceLabels(tool: string): Record<string, string> {
  return {
    'app.kubernetes.io/component': 'web',
    'app.kubernetes.io/managed-by': 'webservice',
    toolforge: 'tool',
    name: tool,
  }
}

export function shellPodLabels(podName: string): Record<string, string> {
  return {
    name: podName,
    'app.kubernetes.io/component': 'webservice-interactive',
    'app.kubernetes.io/managed-by': 'webservice',
    'app.kubernetes.io/version': '2',
    toolforge: 'tool',
  }
}
