/**
 * Allowlist matcher throughput: credwatch's RangeSet against Node's net.BlockList and a linear
 * ipaddr.js scan, on the same real prefixes (Azure's public ServiceTags) and the same address mix,
 * in one run. Timings are reported here, never asserted in tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ipaddr from 'ipaddr.js';
import { formatAddress, parseCidr, type ParsedCidr } from '../src/networks/cidr.js';
import { parseAddress, type ParsedAddress } from '../src/networks/address.js';
import { RangeSet } from '../src/networks/range-set.js';
import { packageRoot } from '../src/package-root.js';

/** Azure's public service tags, kept in the repository (bench/data/README.md says where they come from). */
export const SERVICE_TAGS = join(packageRoot(), 'bench', 'data', 'azure_ServiceTags_Public_w3c-echidna_change240.json');
const ADDRESSES = 1024;
const MEASURE_MS = 200;
const ROUNDS = 5;

/** One prefix of the service tags file, with the tag it belongs to. */
export interface TagEntry {
  cidr: string;
  tag: string;
}

/**
 * Every prefix of the service tags file, or an error naming the file and how to get it back. A
 * benchmark without its data must stop (non-zero exit): run on an empty allowlist it would print
 * figures that look real and measure nothing.
 */
export function loadServiceTags(): TagEntry[] {
  const restore = 'the file is part of the repository (bench/data/README.md); restore it with `git checkout -- bench/data`';
  if (!existsSync(SERVICE_TAGS)) throw new Error(`Azure's service tags are missing: ${SERVICE_TAGS}; ${restore}`);
  let document: { values?: { name?: string; properties?: { addressPrefixes?: string[] } }[] };
  try {
    document = JSON.parse(readFileSync(SERVICE_TAGS, 'utf8')) as typeof document;
  } catch (e: unknown) {
    // A Git LFS pointer or a truncated copy reads as text that is not JSON.
    throw new Error(`${SERVICE_TAGS} is not Azure's service tags JSON (${e instanceof Error ? e.message : String(e)}); ${restore}`);
  }
  const entries = (document.values ?? []).flatMap((v) => (v.properties?.addressPrefixes ?? []).map((cidr) => ({ cidr, tag: v.name ?? '?' })));
  if (entries.length === 0) throw new Error(`${SERVICE_TAGS} holds no address prefixes (values[].properties.addressPrefixes); ${restore}`);
  return entries;
}

/** Deterministic PRNG (mulberry32) so every run measures the same addresses. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBits(next: () => number, bits: number): bigint {
  let value = 0n;
  for (let done = 0; done < bits; done += 16) value = (value << 16n) | BigInt(Math.floor(next() * 65536));
  return value & ((1n << BigInt(bits)) - 1n);
}

/** Half inside, half outside; 5/8 IPv4, 2/8 IPv6, 1/8 IPv4-mapped IPv6. */
function addressMix(ranges: readonly ParsedCidr[], set: RangeSet): string[] {
  const next = random(42);
  const v4 = ranges.filter((r) => r.family === 4);
  const v6 = ranges.filter((r) => r.family === 6);
  const kinds = ['v4', 'v4', 'v4', 'v4', 'v4', 'v6', 'v6', 'mapped'] as const;
  const out: string[] = [];
  for (let i = 0; out.length < ADDRESSES; i += 1) {
    const kind = kinds[(out.length >> 1) % kinds.length] ?? 'v4';
    const inside = out.length % 2 === 0;
    const pool = kind === 'v6' ? v6 : v4;
    const family = kind === 'v6' ? 6 : 4;
    let value: bigint;
    if (inside) {
      const range = pool[Math.floor(next() * pool.length)];
      if (!range) throw new Error('no range of that family in the sample');
      value = range.first + (randomBits(next, 64) % (range.last - range.first + 1n));
    } else {
      value = family === 4 ? randomBits(next, 32) : (0x2000n << 112n) | randomBits(next, 112);
    }
    const text = kind === 'mapped' ? `::ffff:${formatAddress(4, value)}` : formatAddress(family, value);
    if (set.contains(text) === inside) out.push(text);
    if (i > ADDRESSES * 1000) throw new Error('could not build the address mix');
  }
  return out;
}

/** Lookups per second of `lookup` over `addresses`, timed in batches sized to ~10 ms. */
function opsPerSecond<T>(lookup: (address: T) => boolean, addresses: readonly T[]): number {
  let hits = 0;
  let index = 0;
  const run = (count: number): void => {
    for (let k = 0; k < count; k += 1) {
      if (lookup(addresses[index] as T)) hits += 1;
      index += 1;
      if (index === addresses.length) index = 0; // not `%`: a division per lookup would weigh on the fast side
    }
  };
  const calibrate = performance.now();
  run(16);
  const perLookup = Math.max((performance.now() - calibrate) / 16, 1e-6);
  const batch = Math.max(1, Math.round(10 / perLookup));
  for (const end = performance.now() + MEASURE_MS / 4; performance.now() < end;) run(batch); // warm-up
  let lookups = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) {
    run(batch);
    lookups += batch;
  }
  const elapsed = performance.now() - start;
  if (hits < 0) console.log(hits); // keeps the lookups observable so they are not optimised away
  return Math.round(lookups / (elapsed / 1000));
}

function linearIpaddr(ranges: readonly ParsedCidr[]): (ip: string) => boolean {
  const v4 = ranges.filter((r) => r.family === 4).map((r) => ipaddr.IPv4.parseCIDR(r.cidr));
  const v6 = ranges.filter((r) => r.family === 6).map((r) => ipaddr.IPv6.parseCIDR(r.cidr));
  return (ip) => {
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      address = ipaddr.process(ip); // turns IPv4-mapped IPv6 into IPv4
    } catch {
      return false;
    }
    if (address.kind() === 'ipv4') return v4.some((r) => (address as ipaddr.IPv4).match(r));
    return v6.some((r) => (address as ipaddr.IPv6).match(r));
  };
}

function blockList(ranges: readonly ParsedCidr[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.cidr.split('/')[0] ?? '', r.prefix, r.family === 4 ? 'ipv4' : 'ipv6');
  return (ip) => list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

function pick(entries: readonly TagEntry[], count: number): TagEntry[] {
  if (count >= entries.length) return [...entries];
  if (count > 100) return entries.slice(0, count);
  // A small allowlist like a vendor's: spread over the file, a fifth of it IPv6.
  const v6 = entries.filter((e) => e.cidr.includes(':'));
  const v4 = entries.filter((e) => !e.cidr.includes(':'));
  const spread = (list: readonly TagEntry[], n: number) =>
    Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]).filter((e) => e !== undefined);
  return [...spread(v4, count - Math.floor(count / 5)), ...spread(v6, Math.floor(count / 5))];
}

async function benchSize(all: readonly TagEntry[], count: number): Promise<Record<string, number | string>> {
  const entries = pick(all, count);
  const buildStart = performance.now();
  const set = RangeSet.build(
    entries.map((e) => ({ cidr: e.cidr, provenance: { vendor: 'azure', source: `serviceTag:${e.tag}`, cidr: e.cidr, fetchedAt: undefined, stale: false } })),
  );
  const buildMs = performance.now() - buildStart;
  // The baselines get each distinct prefix once: fewer rules than credwatch indexes, in their favour.
  const distinct = [...new Map(entries.map((e) => [e.cidr, e])).values()].flatMap((e) => {
    const parsed = parseCidr(e.cidr);
    return parsed.ok ? [parsed.range] : [];
  });
  // Sign-in addresses arrive from JSON.parse as flat strings; the generated ones are ropes until flattened.
  const addresses = JSON.parse(JSON.stringify(addressMix(distinct, set))) as string[];
  const impls = { rangeSet: (ip: string) => set.contains(ip), blockList: blockList(distinct), ipaddrLinear: linearIpaddr(distinct) };
  const disagreements = addresses.filter((ip) => impls.blockList(ip) !== impls.rangeSet(ip) || impls.ipaddrLinear(ip) !== impls.rangeSet(ip));
  const parsed = addresses.flatMap((ip) => parseAddress(ip) ?? []);
  const measure = {
    rangeSet: () => opsPerSecond(impls.rangeSet, addresses),
    rangeSetPreParsed: () => opsPerSecond((address: ParsedAddress) => set.matchParsed(address) !== undefined, parsed),
    blockList: () => opsPerSecond(impls.blockList, addresses),
    ipaddrLinear: () => opsPerSecond(impls.ipaddrLinear, addresses),
  };
  // Best of interleaved rounds: on a shared machine, the other load only ever slows a round down.
  const best = { rangeSet: 0, rangeSetPreParsed: 0, blockList: 0, ipaddrLinear: 0 };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of Object.keys(best) as (keyof typeof best)[]) best[name] = Math.max(best[name], measure[name]());
  }
  const { rangeSet, rangeSetPreParsed: preParsed, blockList: block, ipaddrLinear: linear } = best;
  return {
    ranges: entries.length,
    distinctPrefixes: distinct.length,
    segments: set.segmentCount,
    addresses: addresses.length,
    buildMs: Math.round(buildMs),
    rangeSetOpsPerSec: rangeSet,
    blockListOpsPerSec: block,
    ipaddrLinearOpsPerSec: linear,
    speedupVsBlockList: Math.round((rangeSet / block) * 10) / 10,
    speedupVsIpaddrLinear: Math.round((rangeSet / linear) * 10) / 10,
    rangeSetPreParsedOpsPerSec: preParsed,
    agreement: disagreements.length === 0 ? 'all three agree' : `${disagreements.length} disagreements, e.g. ${disagreements[0] ?? ''}`,
  };
}

/** Lookups per second at 50 and 50,000 ranges; throws when the service tags file is missing or empty. */
export async function benchMatcher(): Promise<Record<string, number | string>[]> {
  const all = loadServiceTags();
  return [await benchSize(all, 50), await benchSize(all, 50_000)];
}
