// The protocol described as data. Each API's request and response is a list of fields with the
// versions they exist in; codec.ts compiles each into a decoder and an encoder, per version.

export type Primitive =
  | 'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64'
  | 'string' | 'bytes' | 'records' | 'uuid';

/** Inclusive version range; an open range ("3+") ends at MAX_VERSION. */
export type Versions = readonly [min: number, max: number];
export const MAX_VERSION = 0x7fff;
export const NO_VERSIONS: Versions = [1, 0];

export interface Field {
  readonly name: string;
  /** A primitive, or 'struct' when `fields` describes the (element) type. */
  readonly type: Primitive | 'struct';
  readonly array?: true;
  readonly fields?: readonly Field[];
  readonly versions: Versions;
  readonly nullable?: Versions;
  readonly tag?: number;
  readonly taggedVersions?: Versions;
  /** Overrides the message's flexible range for this one field (RequestHeader.ClientId). */
  readonly flexible?: Versions;
  readonly default?: unknown;
}

export interface MessageSchema {
  readonly name: string;
  readonly validVersions: Versions;
  readonly flexibleVersions: Versions;
  readonly fields: readonly Field[];
}

export interface ApiSchema {
  readonly apiKey: number;
  readonly name: string;
  readonly listeners: readonly string[];
  /** True when Kafka marks the newest version as still in development. */
  readonly latestVersionUnstable: boolean;
  readonly request: MessageSchema;
  readonly response: MessageSchema;
}

export function inRange(v: number, r: Versions | undefined): boolean {
  return r !== undefined && v >= r[0] && v <= r[1];
}
