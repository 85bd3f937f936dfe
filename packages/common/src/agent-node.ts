// The node options every start of sparesync-agent passes (the systemd unit install-service
// writes, the devkit's agent processes): they must be on node's command line, since V8 sizes its
// heap before any of the agent's code runs.
//
// --max-semi-space-size=1 (MB): V8 grows the young generation to 32 MB by default after the
// allocation burst of a comparison and keeps it, resident, while the agent idles. At 100,000
// files both agents were ~30 MB smaller with 1 MB and a rescan no slower (bench/README.md, issue 16).
export const agentNodeOptions: readonly string[] = ['--max-semi-space-size=1'];
