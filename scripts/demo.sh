#!/usr/bin/env bash
# The product in a minute, offline and without a Toolforge account: render a job's Kubernetes objects
# with their explicit securityContext, then start a local sandbox, run the job for real, read its
# output and logs, and stop everything again.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/commands/jobs/run.js ] || npm run --silent build

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
# Show each command as it could be pasted into a shell.
step() { printf '\n%s$ toolforge' "$bold"; printf ' %q' "$@"; printf '%s\n' "$plain"; }
tf() { step "$@"; node bin/run.js "$@"; }

data_dir=$(mktemp -d "${TMPDIR:-/tmp}/toolforge-demo.XXXXXX")
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
  node bin/run.js sandbox stop --data-dir "$data_dir" >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

echo "1. What would run on Toolforge, checked against the pod policy, without sending anything:"
tf jobs run hello --image python3.11 --command 'echo "hello from $TOOL_DATA_DIR"' --tool tf-test --uid 50001 --dry-run

echo
echo "2. The same job, really run, on a local sandbox:"
tf sandbox start --data-dir "$data_dir" --port "$port"
eval "$(node bin/run.js sandbox env --data-dir "$data_dir")"
tf jobs run hello --image python3.11 --no-filelog --command 'echo "hello from $TOOL_DATA_DIR"; uname -s' --wait 60
tf jobs show hello
tf jobs logs hello
tf jobs list -o long
tf sandbox stop --data-dir "$data_dir"
