// A folder with files that failed to reach the receiver is a warning of its own (WorkingWithErrors),
// raised once when the first path fails and cleared when the last one has recovered.
import type { PartProblem } from '../parts';
import { FolderStats } from './folder-stats';

test('failing files: one warning from the first failure until the last recovery', () => {
  const reported: PartProblem[] = [];
  const st = new FolderStats('www', '/srv/www', (p) => reported.push(p));
  st.fileFailed('a.bin', 'send a.bin: ENOSPC: no space left on device, write');
  st.fileFailed('b.bin', 'send b.bin: ENOSPC: no space left on device, write');
  st.fileFailed('a.bin', 'send a.bin: ENOSPC again');
  expect(reported).toEqual([
    {
      type: 'FileSyncProblem',
      fatal: false,
      failedFiles: true,
      folder: 'www',
      detail:
        'files could not be sent and are retried until they are: send a.bin: ENOSPC: no space left on device, write',
    },
  ]);
  expect(st.failingFiles).toBe(2);
  st.fileRecovered('a.bin');
  st.fileRecovered('never-failed.txt');
  expect(reported).toHaveLength(1);
  st.fileRecovered('b.bin');
  expect(reported[1]).toEqual({ type: 'ProblemCleared', source: 'files:www:failed' });
  expect(st.failingFiles).toBe(0);
});
