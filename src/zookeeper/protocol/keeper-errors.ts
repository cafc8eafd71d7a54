// ZooKeeper's result codes (KeeperException.Code) with the names and texts the Java client prints,
// e.g. `KeeperErrorCode = NoNode for /brokers/ids/0`.

interface KeeperCode {
  readonly code: number;
  readonly name: string;
  readonly message: string;
}

const TABLE: readonly KeeperCode[] = [
  { code: 0, name: 'OK', message: 'ok' },
  { code: -1, name: 'SYSTEMERROR', message: 'SystemError' },
  { code: -2, name: 'RUNTIMEINCONSISTENCY', message: 'RuntimeInconsistency' },
  { code: -3, name: 'DATAINCONSISTENCY', message: 'DataInconsistency' },
  { code: -4, name: 'CONNECTIONLOSS', message: 'ConnectionLoss' },
  { code: -5, name: 'MARSHALLINGERROR', message: 'MarshallingError' },
  { code: -6, name: 'UNIMPLEMENTED', message: 'Unimplemented' },
  { code: -7, name: 'OPERATIONTIMEOUT', message: 'OperationTimeout' },
  { code: -8, name: 'BADARGUMENTS', message: 'BadArguments' },
  { code: -12, name: 'UNKNOWNSESSION', message: 'Unknown session' },
  { code: -13, name: 'NEWCONFIGNOQUORUM', message: 'NewConfigNoQuorum' },
  { code: -14, name: 'RECONFIGINPROGRESS', message: 'ReconfigInProgress' },
  { code: -100, name: 'APIERROR', message: 'APIError' },
  { code: -101, name: 'NONODE', message: 'NoNode' },
  { code: -102, name: 'NOAUTH', message: 'NoAuth' },
  { code: -103, name: 'BADVERSION', message: 'BadVersion' },
  { code: -108, name: 'NOCHILDRENFOREPHEMERALS', message: 'NoChildrenForEphemerals' },
  { code: -110, name: 'NODEEXISTS', message: 'NodeExists' },
  { code: -111, name: 'NOTEMPTY', message: 'Directory not empty' },
  { code: -112, name: 'SESSIONEXPIRED', message: 'Session expired' },
  { code: -113, name: 'INVALIDCALLBACK', message: 'Invalid callback' },
  { code: -114, name: 'INVALIDACL', message: 'InvalidACL' },
  { code: -115, name: 'AUTHFAILED', message: 'AuthFailed' },
  { code: -118, name: 'SESSIONMOVED', message: 'Session moved' },
  { code: -119, name: 'NOTREADONLY', message: 'Not a read-only call' },
  { code: -120, name: 'EPHEMERALONLOCALSESSION', message: 'Ephemeral node on local session' },
  { code: -121, name: 'NOWATCHER', message: 'No such watcher' },
  { code: -122, name: 'REQUESTTIMEOUT', message: 'Request timeout' },
  { code: -123, name: 'RECONFIGDISABLED', message: 'Reconfig is disabled' },
  { code: -124, name: 'SESSIONCLOSEDREQUIRESASLAUTH', message: 'Session closed because client failed to authenticate' },
  { code: -125, name: 'QUOTAEXCEEDED', message: 'Quota has exceeded' },
  { code: -127, name: 'THROTTLEDOP', message: 'Op throttled due to high load' },
];

/** Result codes by name: `Err.NONODE === -101`. */
export const Err = Object.fromEntries(TABLE.map((c) => [c.name, c.code])) as Readonly<Record<string, number>> & {
  readonly OK: 0;
  readonly SYSTEMERROR: -1;
  readonly RUNTIMEINCONSISTENCY: -2;
  readonly MARSHALLINGERROR: -5;
  readonly UNIMPLEMENTED: -6;
  readonly BADARGUMENTS: -8;
  readonly NONODE: -101;
  readonly NOAUTH: -102;
  readonly BADVERSION: -103;
  readonly NOCHILDRENFOREPHEMERALS: -108;
  readonly NODEEXISTS: -110;
  readonly NOTEMPTY: -111;
  readonly SESSIONEXPIRED: -112;
  readonly INVALIDACL: -114;
  readonly AUTHFAILED: -115;
  readonly NOWATCHER: -121;
  readonly RECONFIGDISABLED: -123;
};

const BY_CODE = new Map(TABLE.map((c) => [c.code, c]));

export function keeperErrorName(code: number): string {
  return BY_CODE.get(code)?.name ?? `UNKNOWN(${code})`;
}

export function keeperErrorMessage(code: number): string {
  return BY_CODE.get(code)?.message ?? `Unknown error ${code}`;
}

/** A non-zero result code from the server, worded as the Java client words it. */
export class KeeperError extends Error {
  constructor(
    readonly code: number,
    readonly path?: string,
  ) {
    super(`KeeperErrorCode = ${keeperErrorMessage(code)}${path === undefined ? '' : ` for ${path}`}`);
    this.name = 'KeeperError';
  }

  /** `NONODE`, `NODEEXISTS`, ... */
  get codeName(): string {
    return keeperErrorName(this.code);
  }
}
