import {UserError} from '../api/errors.js'
import {loadToolContext} from './context.js'
import {lookupToolUid} from './uid.js'

export interface ToolIdentity {
  tool: string
  uid: number
}

/**
 * Who generated pods run as. Flags win, so rendering works offline without an account; otherwise the
 * kubeconfig names the tool and the passwd entry of `<project>.<tool>` gives the uid.
 */
export async function resolveIdentity(flags: {tool?: string; uid?: number}): Promise<ToolIdentity> {
  const tool = flags.tool ?? loadToolContext().tool
  if (flags.uid !== undefined) return {tool, uid: flags.uid}
  const uid = await lookupToolUid(tool)
  if (uid === undefined) {
    throw new UserError(`Unable to find the uid of tool '${tool}' (no passwd entry for its tool account); pass --uid`)
  }

  return {tool, uid}
}

/** Like resolveIdentity, but a missing identity is not an error: the policy then checks consistency only. */
export async function optionalIdentity(flags: {tool?: string; uid?: number}): Promise<Partial<ToolIdentity>> {
  let {tool} = flags
  if (tool === undefined) {
    try {
      tool = loadToolContext().tool
    } catch {
      return flags.uid === undefined ? {} : {uid: flags.uid}
    }
  }

  return {tool, uid: flags.uid ?? (await lookupToolUid(tool))}
}
