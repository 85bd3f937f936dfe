import { firstAfter } from './pg-reader';

describe('firstAfter', () => {
  it('starts a read at the position xmin: (txid, seq) > (xmin - 1, the largest bigint)', () => {
    expect(firstAfter('100:105:101,103')).toEqual(['99', '9223372036854775807']);
  });

  it('starts at the beginning for a position whose xmin is 0 (xid8 has no -1)', () => {
    expect(firstAfter('0:0:')).toEqual(['0', '0']);
  });

  it('refuses a position that is not a snapshot', () => {
    expect(() => firstAfter('L0/16B3748')).toThrow(/No valid PostgreSQL replication position/);
  });
});
