// The background half of completion: fetch one list from the API and store it in the cache. Runs in
// a detached process nobody waits for, so it may load the API client; it never prints anything.

import {BuildsClient} from '../api/builds.js'
import {EnvvarsClient} from '../api/envvars.js'
import {JobsClient} from '../api/jobs.js'
import {createApiClient, loadToolContext, type ToolContext} from '../config/context.js'
import type {ApiName} from '../config/files.js'
import {CACHE_VERSION, completionDir, readEntry, releaseLock, writeEntry} from './cache.js'
import type {CachedKind} from './values.js'

/** Long enough for a slow bastion, short enough that the refresh lock is never held for minutes. */
const REFRESH_TIMEOUT_SECONDS = 10

function client(ctx: ToolContext, api: ApiName, version: string) {
  return createApiClient(ctx, api, version, {}, {maxTimeoutSeconds: REFRESH_TIMEOUT_SECONDS})
}

/** The names completion offers for `kind`, sorted; envvar values are never kept, only names. */
export async function fetchValues(kind: CachedKind, ctx: ToolContext, version: string): Promise<string[]> {
  let values: Array<string | undefined>
  switch (kind) {
    case 'jobs': {
      values = (await new JobsClient(client(ctx, 'jobs', version)).list({includeUnset: false})).map((job) => job.name)
      break
    }

    case 'images': {
      values = (await new JobsClient(client(ctx, 'jobs', version)).images()).map((image) => image.shortname)
      break
    }

    case 'envvars': {
      values = (await new EnvvarsClient(client(ctx, 'envvars', version)).list()).envvars.map((envvar) => envvar.name)
      break
    }

    case 'builds': {
      values = (await new BuildsClient(client(ctx, 'builds', version)).list()).builds.map((build) => build.build_id)
      break
    }
  }

  // Names with whitespace could not be completed as one word anyway, and would break the line format.
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== '' && !/\s/.test(v)))].sort()
}

/**
 * Refreshes one list. A failure keeps the previous values but records the attempt, so the next
 * refresh waits for the TTL instead of hammering an API that is down.
 */
export async function refreshKind(kind: CachedKind, opts: {cacheDir: string; version: string; env?: NodeJS.ProcessEnv}): Promise<boolean> {
  const env = opts.env ?? process.env
  const dir = completionDir(opts.cacheDir, env)
  try {
    const values = await fetchValues(kind, loadToolContext(env), opts.version)
    writeEntry(dir, {version: CACHE_VERSION, kind, fetched_at: Date.now(), ok: true, values})
    return true
  } catch {
    try {
      writeEntry(dir, {version: CACHE_VERSION, kind, fetched_at: Date.now(), ok: false, values: readEntry(dir, kind)?.values ?? []})
    } catch {
      // Nothing more to do: the next TAB tries again once the lock expires.
    }

    return false
  } finally {
    releaseLock(dir, kind)
  }
}
