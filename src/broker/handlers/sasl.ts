// SaslHandshake and SaslAuthenticate once a connection needs no (more) authentication: on a
// listener without SASL, or after it succeeded. The exchange itself runs in the connection
// (network/connection.ts), before any other request is let through; here it is refused, as Kafka
// refuses it, with ILLEGAL_SASL_STATE.
import { ErrorCode } from '../../protocol/error-codes.js';
import { SaslAuthenticate, type SaslAuthenticateResponse } from '../../protocol/messages/sasl-authenticate.js';
import { SaslHandshake, type SaslHandshakeResponse } from '../../protocol/messages/sasl-handshake.js';
import type { Route } from '../router.js';

export function saslRoutes(): Route[] {
  return [
    {
      api: SaslHandshake,
      versions: [0, 1],
      handle: (): SaslHandshakeResponse => ({ errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }),
    },
    {
      api: SaslAuthenticate,
      versions: [0, 2],
      handle: (): SaslAuthenticateResponse => ({
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      }),
    },
  ];
}
