// The SpareSync version both agents compare in the handshake (guide §8.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

export function sparesyncVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    cached = pkg.version;
  }
  return cached;
}
