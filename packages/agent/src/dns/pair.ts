// The DNS operations of a pair, in the terms the state machine uses: switch the record from one
// role's address to the other's, check that the name points at one of the two (guide §8.1
// item 5), and run the test-record check (guide §7.3.3).
import type { Role } from '@sparesync/common';
import { queryAddress, updateAddress, type UpdateAddressRequest, type UpdateAddressResult } from './client';
import { DnsError } from './errors';
import { addressType } from './rdata';
import type { DnsTarget } from './settings';
import { testDnsRecord, type TestRecordReport } from './test-record';

function addressOf(target: DnsTarget, role: Role): string {
  return role === 'primary' ? target.primaryAddress : target.secondaryAddress;
}

/** The compare-and-swap for a switch: only while the record holds `from`'s address. */
export function switchRequest(target: DnsTarget, from: Role, to: Role): UpdateAddressRequest {
  return {
    server: target.server,
    key: target.key,
    timeoutMs: target.timeoutMs,
    zone: target.zone,
    name: target.name,
    ttl: target.ttl,
    expected: [addressOf(target, from)],
    newAddress: addressOf(target, to),
  };
}

export function switchDns(target: DnsTarget, from: Role, to: Role): Promise<UpdateAddressResult> {
  return updateAddress(switchRequest(target, from, to));
}

export interface DnsCheck {
  ok: boolean;
  /** Which server the name points at, when ok. */
  pointsAt?: Role;
  addresses: string[];
  detail: string;
  error?: DnsError;
}

/** Error condition 5: the managed system's name must resolve to exactly one of the pair's addresses. */
export async function checkDnsName(target: DnsTarget): Promise<DnsCheck> {
  const type = addressType(target.primaryAddress);
  let addresses: string[];
  try {
    addresses = (
      await queryAddress(target.server, target.name, type, { key: target.key, timeoutMs: target.timeoutMs })
    ).addresses;
  } catch (e) {
    if (!(e instanceof DnsError)) throw e;
    return {
      ok: false,
      addresses: [],
      detail: `${target.name} could not be resolved: ${e.message}`,
      error: e,
    };
  }
  const only = addresses.length === 1 ? addresses[0] : undefined;
  const pointsAt =
    only === target.primaryAddress ? 'primary' : only === target.secondaryAddress ? 'secondary' : undefined;
  const shown = addresses.length ? addresses.join(', ') : `no ${type} record`;
  if (pointsAt)
    return { ok: true, pointsAt, addresses, detail: `${target.name} ${type} ${only} (the ${pointsAt})` };
  return {
    ok: false,
    addresses,
    detail: `${target.name} ${type} is ${shown}, expected the primary's ${target.primaryAddress} or the secondary's ${target.secondaryAddress}`,
  };
}

export function testRecordFor(target: DnsTarget): Promise<TestRecordReport> {
  return testDnsRecord({
    server: target.server,
    key: target.key,
    timeoutMs: target.timeoutMs,
    zone: target.zone,
  });
}
