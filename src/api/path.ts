import {UserError} from './errors.js'

// Names from the command line become URL path segments. encodeURIComponent leaves `.` alone, and URL
// parsing resolves dot segments, so `jobs delete .` would become `DELETE …/jobs/` and an empty name
// `DELETE …/jobs/` too: the collection, which the jobs API answers by deleting every job. Such names can
// never be real objects, so they are refused here, before anything is sent.

/** One path segment naming an object; refuses the names that would address something else. */
export function pathSegment(value: string, what: string): string {
  if (value.trim() === '' || value === '.' || value === '..' || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new UserError(`Invalid ${what} ${JSON.stringify(value)}: it must not be empty, '.' or '..', or contain control characters`)
  }

  return encodeURIComponent(value)
}

