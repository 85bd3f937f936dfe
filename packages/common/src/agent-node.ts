// The node options every start of sparesync-agent passes (the systemd unit install-service
// writes, the devkit's agent processes): they must be on node's command line, since V8 sizes its
// heap before any of the agent's code runs.
//
// --max-semi-space-size=16 (MB): bursts (a comparison, an initial sync, a reinitialisation)
// collect less often: a 3 M-row reinitialisation ran 12-27 full collections per side with 1 MB,
// 2-8 with 16 MB. V8 keeps a young generation a burst grew (32 MB) while the agent idles; a full
// collection once allocation has been low for 5 s shrinks it again, which
// keepYoungGenerationSmall (agent memory.ts) runs once the agent idles. Figures: bench/README.md, "Young generation" (issue 16).
export const agentNodeOptions: readonly string[] = ['--max-semi-space-size=16'];
