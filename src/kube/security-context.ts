// The one place that decides the securityContext of every pod we generate (jobs, webservices, shell
// pods): exactly the shape jobs-api sends since 2024-04 (pod-security.md §1), so objects pass the per-tool
// Kyverno policy without relying on its mutations. We also state `procMount` explicitly, with the API's
// string value "Default": upstream once sent "DefaultProcMount" (only the Go constant's name, rejected when
// the ProcMountType gate is on) and then dropped the field (T362050); being explicit leaves nothing implied.
// Fresh objects on every call, as callers embed them in objects that others may mutate.

import type {PodSecurityContext, SecurityContext} from 'kubernetes-types/core/v1.js'

export function podSecurityContext(uid: number): PodSecurityContext {
  return {
    fsGroup: uid,
    runAsGroup: uid,
    runAsNonRoot: true,
    runAsUser: uid,
    seccompProfile: {type: 'RuntimeDefault'},
  }
}

export function containerSecurityContext(uid: number): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: {drop: ['ALL']},
    privileged: false,
    // Writable root filesystem so tools can create temporary files without extra volumes (upstream).
    readOnlyRootFilesystem: false,
    runAsGroup: uid,
    runAsNonRoot: true,
    runAsUser: uid,
    procMount: 'Default',
  }
}
