import {makeToolEnv, type ToolEnv} from '../helpers/tool-env.js'

export const BUILDS = '/builds/v1/tool/mytool'
export const ID = 'mytool-buildpacks-pipelinerun-x7k2p'
export const ID2 = 'mytool-buildpacks-pipelinerun-abc12'
export const REPO = 'https://gitlab.wikimedia.org/toolforge-repos/sample-static-buildpack-app'
export const IMAGE = 'tools-harbor.wmcloud.org/tool-mytool/tool-mytool:latest@sha256:0123abcd'

export function build(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    build_id: ID,
    status: 'BUILD_SUCCESS',
    message: 'All Steps have completed executing',
    start_time: '2026-05-13T10:00:00Z',
    end_time: '2026-05-13T10:03:12Z',
    parameters: {source_url: REPO, ref: 'main', envvars: {}, image_name: 'tool-mytool', use_latest_versions: false, use_deprecated_versions: false},
    destination_image: IMAGE,
    resolved_ref: '4f0c5e2b1d7a9c3e8f6b0a2d4c6e8f0a1b3c5d7e',
    ...overrides,
  }
}

/** A tool account with prompts and spinners off (CI), as in scripts. */
export function toolEnv(): ToolEnv {
  return makeToolEnv({extraEnv: {CI: '1'}})
}
