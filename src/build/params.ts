import {Errors} from '@oclif/core'

import type {BuildParameters} from '../api/builds.js'
import {UserError} from '../api/errors.js'

// builds-api's own rule for build-time variables (internal/build.go). It differs from the envvars
// API's rule (Q-ENV-06); we check it here so a typo fails before a build slot is taken.
export const BUILD_ENVVAR_NAME = /^[A-Za-z_][A-Za-z_0-9]{2,}$/

// Upstream printed this hint on stdout (Q-BUILD-09, fixed): like every error it now goes to stderr.
export const NO_URL_MESSAGE = 'Please provide a git url for your source code.'
export const NO_URL_EXAMPLE = "Example: toolforge build start 'https://gitlab.wikimedia.org/toolforge-repos/my-tool'"

/**
 * `-e NAME=value` → [NAME, value]; the value may contain `=` or be empty. A bare `-e NAME` is a usage
 * error: upstream silently sent `{"NAME": "NAME"}` (Q-BUILD-02, fixed).
 */
export function parseEnvvarFlag(input: string): [string, string] {
  const index = input.indexOf('=')
  if (index < 0) {
    throw new Errors.CLIError(`Invalid --envvar '${input}': expected NAME=value (e.g. -e PYTHON_VERSION=3.12)`, {exit: 2})
  }

  return [input.slice(0, index), input.slice(index + 1)]
}

/** The server's message, word for word, so the error reads the same whether we or it catch it. */
export function validateBuildEnvvarName(name: string): void {
  if (!BUILD_ENVVAR_NAME.test(name)) {
    throw new UserError(
      `Not valid environment variables passed: not valid environment variable name, must match '${BUILD_ENVVAR_NAME.source}', got '${name}'`,
    )
  }
}

export interface StartOptions {
  sourceUrl?: string
  ref?: string
  imageName?: string
  envvars?: string[]
  useLatestVersions?: boolean
  useDeprecatedVersions?: boolean
}

/** The `start` request body: only what the user asked for, so the server's defaults apply otherwise. */
export function buildParameters(opts: StartOptions): BuildParameters {
  if (!opts.sourceUrl) throw new UserError(NO_URL_MESSAGE, {details: NO_URL_EXAMPLE})
  const body: BuildParameters = {source_url: opts.sourceUrl}
  if (opts.ref) body.ref = opts.ref
  if (opts.imageName) body.image_name = opts.imageName
  if (opts.envvars && opts.envvars.length > 0) {
    const envvars: Record<string, string> = {}
    for (const entry of opts.envvars) {
      const [name, value] = parseEnvvarFlag(entry)
      validateBuildEnvvarName(name)
      envvars[name] = value
    }

    body.envvars = envvars
  }

  if (opts.useLatestVersions) body.use_latest_versions = true
  if (opts.useDeprecatedVersions) body.use_deprecated_versions = true
  return body
}
