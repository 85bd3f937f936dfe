// The agent's bin starts node with the same options as the systemd unit and the devkit's agents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentNodeOptions } from '@sparesync/common';

test("main.ts's first line passes agentNodeOptions to node", () => {
  const first = readFileSync(join(__dirname, 'main.ts'), 'utf8').split('\n')[0];
  expect(first).toBe(['#!/usr/bin/env -S node', ...agentNodeOptions].join(' '));
});
