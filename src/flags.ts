import {Flags} from '@oclif/core'

/** Tool identity for commands that render or check pods; lets them work without a Toolforge account. */
export const identityFlags = {
  tool: Flags.string({
    summary: 'Tool name to render or check for (default: from the kubeconfig).',
    helpGroup: 'IDENTITY',
  }),
  uid: Flags.integer({
    summary: "Unix uid of the tool account (default: the passwd entry of '<project>.<tool>').",
    min: 1,
    helpGroup: 'IDENTITY',
  }),
}
