// User administration over the wire client, as the Java admin client does it: SCRAM credentials
// (DescribeUserScramCredentials, AlterUserScramCredentials: the password is salted and hashed
// here, the broker never sees it) and the client quotas kafka-configs prints beside them
// (DescribeClientQuotas). Each goes to any broker (in KRaft, the broker forwards to the controller).
import { randomBytes } from 'node:crypto';
import { AlterUserScramCredentials, type AlterUserScramCredentialsResponse } from '../protocol/messages/alter-user-scram-credentials.js';
import { DescribeClientQuotas, type DescribeClientQuotasResponse } from '../protocol/messages/describe-client-quotas.js';
import { DescribeUserScramCredentials, type DescribeUserScramCredentialsResponse } from '../protocol/messages/describe-user-scram-credentials.js';
import { SCRAM_MECHANISM_IDS, ScramHash, scramMechanismById, type ScramMechanism } from '../protocol/scram.js';
import { KafkaProtocolError } from './kafka-errors.js';
import type { KafkaWireClient } from './wire-client.js';

export interface UserScramCredentials {
  user: string;
  /** The user's own failure (no such user, ...), or null. */
  error: KafkaProtocolError | null;
  credentials: Array<{ mechanism: string; iterations: number }>;
}

export interface ScramUpsertion {
  mechanism: ScramMechanism;
  iterations: number;
  password: string;
}

export interface ClientQuotaEntry {
  /** (type, name) pairs; a null name is the default entity. */
  entity: Array<{ type: string; name: string | null }>;
  values: Array<{ key: string; value: number }>;
}

/** How DescribeClientQuotas matches a component: one name, the default entity, or any. */
const MATCH = { EXACT: 0, DEFAULT: 1, SPECIFIED: 2 } as const;

export class UserAdmin {
  constructor(private readonly client: KafkaWireClient) {}

  /** Every named user (all users when `users` is empty), in the broker's order. */
  async describeScramCredentials(users: readonly string[]): Promise<UserScramCredentials[]> {
    const conn = await this.client.anyConnection('describeUserScramCredentials');
    const res = await conn.request<DescribeUserScramCredentialsResponse>(DescribeUserScramCredentials, { users: users.length === 0 ? null : users.map((name) => ({ name })) });
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, res.errorMessage);
    return res.results.map((r) => ({
      user: r.user,
      error: r.errorCode === 0 ? null : new KafkaProtocolError(r.errorCode, r.errorMessage),
      credentials: r.credentialInfos.map((c) => ({ mechanism: scramMechanismById(c.mechanism) ?? 'UNKNOWN', iterations: c.iterations })),
    }));
  }

  /** Stores and deletes one user's credentials in one request; the first failure is thrown. */
  async alterScramCredentials(user: string, upsertions: readonly ScramUpsertion[], deletions: readonly ScramMechanism[]): Promise<void> {
    const conn = await this.client.anyConnection('alterUserScramCredentials');
    const res = await conn.request<AlterUserScramCredentialsResponse>(AlterUserScramCredentials, {
      deletions: deletions.map((m) => ({ name: user, mechanism: SCRAM_MECHANISM_IDS[m] })),
      upsertions: upsertions.map((u) => {
        const salt = randomBytes(32);
        return { name: user, mechanism: SCRAM_MECHANISM_IDS[u.mechanism], iterations: u.iterations, salt, saltedPassword: new ScramHash(u.mechanism).saltedPassword(u.password, salt, u.iterations) };
      }),
    });
    const failed = res.results.find((r) => r.errorCode !== 0);
    if (failed) throw new KafkaProtocolError(failed.errorCode, failed.errorMessage);
  }

  /**
   * The quotas of `entityType` entities: one name, the default entity (name null), or every
   * entity of the type (`any`).
   */
  async describeClientQuotas(entityType: string, name: string | null, any: boolean): Promise<ClientQuotaEntry[]> {
    const conn = await this.client.anyConnection('describeClientQuotas');
    const component = any ? { entityType, matchType: MATCH.SPECIFIED, match: null } : name === null ? { entityType, matchType: MATCH.DEFAULT, match: null } : { entityType, matchType: MATCH.EXACT, match: name };
    const res = await conn.request<DescribeClientQuotasResponse>(DescribeClientQuotas, { components: [component], strict: false });
    if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, res.errorMessage);
    return (res.entries ?? []).map((e) => ({ entity: e.entity.map((c) => ({ type: c.entityType, name: c.entityName })), values: e.values }));
  }
}
