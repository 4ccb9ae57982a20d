// Entry point of dist/oclif.js, which bin/run.js loads. Built in the same esbuild pass as the
// commands, so the CLI and every command share one bundled copy of @oclif/core.
export {execute} from '@oclif/core'
