// Errors the herder raises for requests it refuses, each carrying the HTTP status Kafka's REST
// layer gives it (ConnectExceptionMapper): not found 404, already exists 409, bad request 400.

export class ConnectRestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectRestError';
  }
}

export const notFound = (message: string): ConnectRestError => new ConnectRestError(404, message);
export const alreadyExists = (message: string): ConnectRestError => new ConnectRestError(409, message);
export const badRequest = (message: string): ConnectRestError => new ConnectRestError(400, message);
