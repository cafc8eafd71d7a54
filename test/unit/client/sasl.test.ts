import { describe, expect, it } from 'vitest';
import { plainExchange, scramExchange } from '../../../src/client/sasl.js';

describe('SASL exchanges', () => {
  it('PLAIN sends authzid NUL user NUL password once', () => {
    const x = plainExchange('alice', 'pw');
    expect(x.initial()).toEqual(Buffer.from('\0alice\0pw'));
    expect(x.step(Buffer.alloc(0))).toBeNull();
  });

  // RFC 7677 section 3 test vector.
  it('SCRAM-SHA-256 matches RFC 7677', () => {
    const x = scramExchange('SCRAM-SHA-256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(x.initial().toString()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = x.step(Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(final?.toString()).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(x.step(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBeNull();
  });

  it('SCRAM rejects a wrong server signature, a foreign nonce and server errors', () => {
    const bad = scramExchange('SCRAM-SHA-256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    bad.step(Buffer.from('r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(() => bad.step(Buffer.from('v=AAAA'))).toThrow('Invalid SCRAM server signature');
    const foreign = scramExchange('SCRAM-SHA-512', 'u', 'p', 'abc');
    expect(() => foreign.step(Buffer.from('r=zzz,s=AAAA,i=4096'))).toThrow('Invalid SCRAM server-first-message');
    expect(() => scramExchange('SCRAM-SHA-512', 'u', 'p').step(Buffer.from('e=invalid-proof'))).toThrow('invalid-proof');
  });

  it('escapes = and , in user names', () => {
    expect(scramExchange('SCRAM-SHA-256', 'a=b,c', 'p', 'n').initial().toString()).toBe('n,,n=a=3Db=2Cc,r=n');
  });
});
