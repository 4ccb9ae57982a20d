// Entry point of dist/oclif.js, which bin/run.js loads. @oclif/core comes from the library bundle
// under dist/vendor/, as it does for every command, so the CLI and its commands share one copy.
export {execute} from '@oclif/core'
