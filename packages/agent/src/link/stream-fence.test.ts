import * as grpc from '@grpc/grpc-js';
import { fenceRefusal } from './stream-fence';

describe('fenceRefusal', () => {
  it.each([
    // frame epoch, own epoch, receiving, status (null: handled)
    [3, 3, true, null],
    [4, 3, true, null],
    [2, 3, true, grpc.status.FAILED_PRECONDITION],
    [2, 3, false, grpc.status.FAILED_PRECONDITION],
    [3, 3, false, grpc.status.UNAVAILABLE],
    [4, 3, false, grpc.status.UNAVAILABLE],
  ])('frame epoch %d, own epoch %d, receiving %s → %s', (frame, epoch, receiving, code) => {
    expect(fenceRefusal('rows', frame, { epoch, receiving })?.code ?? null).toBe(code);
  });

  it('names what was refused and both epochs', () => {
    expect(fenceRefusal('file frames', 1, { epoch: 2, receiving: true })?.details).toBe(
      'file frames from epoch 1 refused: this agent is at epoch 2',
    );
    expect(fenceRefusal('database rows', 2, { epoch: 2, receiving: false })?.details).toBe(
      'this agent does not receive database rows now',
    );
  });
});
