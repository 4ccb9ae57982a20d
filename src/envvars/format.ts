import type {Envvar, EnvvarsQuota} from '../api/envvars.js'
import type {ResponseMessages} from '../api/jobs-types.js'
import {renderPlain} from '../ui/table.js'

export const HIDDEN_VALUE = '****************'
export const TRUNCATE_LENGTH = 50

export interface DisplayOptions {
  showValues: boolean
  truncate?: boolean
}

/** Q-ENV-04 kept: truncation is opt-in, applies from 50 characters and appends `...`. */
export function displayValue(value: string, opts: DisplayOptions): string {
  if (!opts.showValues) return HIDDEN_VALUE
  // Code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(value)
  return opts.truncate && chars.length >= TRUNCATE_LENGTH ? chars.slice(0, TRUNCATE_LENGTH).join('') + '...' : value
}

/** tabulate "plain" `name value`, as upstream: a value spanning lines continues under its column. */
export function renderEnvvars(envvars: Envvar[], opts: DisplayOptions): string {
  return renderPlain(['name', 'value'], envvars.map((envvar) => [envvar.name, displayValue(envvar.value, opts)]))
}

/** An envvar in --json output: the value only when asked for, so JSON never leaks more than a table would. */
export function jsonEnvvar(envvar: Envvar, showValues: boolean): {name: string; value?: string} {
  return showValues ? {name: envvar.name, value: envvar.value} : {name: envvar.name}
}

export function jsonOne(envvar: Envvar, messages: ResponseMessages, showValues: boolean): {envvar: {name: string; value?: string}; messages: ResponseMessages} {
  return {envvar: jsonEnvvar(envvar, showValues), messages}
}

export function renderQuota(quota: EnvvarsQuota): string {
  return renderPlain(['quota', 'used', 'available'], [[String(quota.quota), String(quota.used), String(quota.quota - quota.used)]])
}
