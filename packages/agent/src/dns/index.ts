// The DNS part of SpareSync: RFC 2136 updates signed with TSIG, queries, and the test record.
export { answerError, queryAddress, queryRecords, transact, updateAddress } from './client';
export type {
  AddressAnswer,
  DnsRequestOptions,
  QueryResult,
  UpdateAddressRequest,
  UpdateAddressResult,
} from './client';
export { DnsError, rcodeName, tsigErrorName, type DnsErrorName } from './errors';
export { buildQuery, buildUpdate, inZone, type Prerequisite, type Update } from './messages';
export { checkDnsName, switchDns, switchRequest, testRecordFor, type DnsCheck } from './pair';
export { addressType, canonicalAddress, dataText, type RecordData } from './rdata';
export {
  dnsSettingsProblems,
  dnsTargetFromSettings,
  readTsigSecret,
  type DnsSettings,
  type DnsTarget,
} from './settings';
export { testDnsRecord, type TestRecordReport, type TestRecordRequest, type TestStep } from './test-record';
export { exchange, serverText, type DnsServerAddress } from './transport';
export { signMessage, tsigAlgorithms, verifyMessage, type TsigAlgorithm, type TsigKey } from './tsig';
export { startEmbeddedDns, type EmbeddedDns, type EmbeddedDnsOptions } from './embedded-server';
export { embeddedDnsFromSettings } from './settings';
export { initialZone, type Zone, type ZoneRecord } from './zone';
