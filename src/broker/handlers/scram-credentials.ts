// SCRAM credentials (KIP-554): DescribeUserScramCredentials lists users' mechanisms and iteration
// counts, AlterUserScramCredentials stores or deletes credentials. The client sends a salted
// password; the broker keeps only the stored key and server key derived from it (Kafka's
// ScramFormatter), which is all a SCRAM server needs. Errors are per user, with Kafka's codes and
// messages; a user with any error has none of its changes applied. DescribeClientQuotas answers
// with no quotas, since this broker enforces none (kafka-configs asks it before SCRAM).
import { ErrorCode } from '../../protocol/error-codes.js';
import { AlterUserScramCredentials, type AlterUserScramCredentialsRequest, type AlterUserScramCredentialsResponse } from '../../protocol/messages/alter-user-scram-credentials.js';
import { DescribeClientQuotas, type DescribeClientQuotasResponse } from '../../protocol/messages/describe-client-quotas.js';
import { DescribeUserScramCredentials, type DescribeUserScramCredentialsRequest, type DescribeUserScramCredentialsResponse } from '../../protocol/messages/describe-user-scram-credentials.js';
import { SCRAM_MAX_ITERATIONS, SCRAM_MECHANISM_IDS, SCRAM_MIN_ITERATIONS, ScramHash, scramMechanismById, type ScramCredential, type ScramMechanism } from '../../protocol/scram.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

type Result = AlterUserScramCredentialsResponse['results'][number];

export function scramCredentialRoutes(state: BrokerState): Route[] {
  return [
    {
      api: DescribeUserScramCredentials,
      versions: [0, 0],
      handle(req: DescribeUserScramCredentialsRequest): DescribeUserScramCredentialsResponse {
        const known = state.metadata.scramUsers();
        const asked = req.users === null ? [...known.keys()].sort() : req.users.map((u) => u.name);
        const seen = new Set<string>();
        const duplicates = new Set(asked.filter((u) => seen.size === seen.add(u).size));
        const results = [...new Set(asked)].map((user) => {
          const infos = known.get(user);
          if (duplicates.has(user)) return { user, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'Cannot describe SCRAM credentials for the same user twice in a single request', credentialInfos: [] };
          if (!infos) return { user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to describe a user credential that does not exist', credentialInfos: [] };
          return { user, errorCode: 0, errorMessage: null, credentialInfos: infos.map((i) => ({ mechanism: SCRAM_MECHANISM_IDS[i.mechanism as ScramMechanism], iterations: i.iterations })) };
        });
        return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, results };
      },
    },
    {
      api: AlterUserScramCredentials,
      versions: [0, 0],
      handle(req: AlterUserScramCredentialsRequest): AlterUserScramCredentialsResponse {
        const errors = new Map<string, Result>();
        const fail = (user: string, errorCode: number, errorMessage: string): void => {
          if (!errors.has(user)) errors.set(user, { user, errorCode, errorMessage });
        };
        const touched = new Set<string>();
        const once = (user: string, mechanism: number): void => {
          const key = `${user}\u0000${mechanism}`;
          if (touched.has(key)) fail(user, ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request');
          touched.add(key);
        };
        const changes: Array<{ user: string; mechanism: string; credential: ScramCredential | null }> = [];
        for (const d of req.deletions) {
          once(d.name, d.mechanism);
          const mechanism = scramMechanismById(d.mechanism);
          if (d.name === '') fail(d.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
          else if (mechanism === undefined) fail(d.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism');
          else if (state.metadata.scramCredential(d.name, mechanism) === undefined) fail(d.name, ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist');
          else changes.push({ user: d.name, mechanism, credential: null });
        }
        for (const u of req.upsertions) {
          once(u.name, u.mechanism);
          const mechanism = scramMechanismById(u.mechanism);
          if (u.name === '') fail(u.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty');
          else if (mechanism === undefined) fail(u.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism');
          else if (u.iterations < SCRAM_MIN_ITERATIONS) fail(u.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too few iterations');
          else if (u.iterations > SCRAM_MAX_ITERATIONS) fail(u.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Too many iterations');
          else changes.push({ user: u.name, mechanism, credential: new ScramHash(mechanism).credential(Buffer.from(u.salt), u.saltedPassword, u.iterations) });
        }
        const users = [...new Set([...req.deletions.map((d) => d.name), ...req.upsertions.map((u) => u.name)])];
        const applied = changes.filter((c) => !errors.has(c.user));
        if (applied.length > 0) state.metadata.alterScramCredentials(applied);
        return { throttleTimeMs: 0, results: users.map((user) => errors.get(user) ?? { user, errorCode: 0, errorMessage: null }) };
      },
    },
    {
      api: DescribeClientQuotas,
      versions: [0, 1],
      handle: (): DescribeClientQuotasResponse => ({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, entries: [] }),
    },
  ];
}
