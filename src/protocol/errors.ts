// Decoding failures: thrown by the protocol layer when bytes do not fit the schema.
// The broker turns one into "close this connection", never into a crash.

export class ProtocolError extends Error {
  readonly code = 'PROTOCOL_ERROR';
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
