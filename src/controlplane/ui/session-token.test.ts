import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCookie, sameToken, SESSION_TTL_MS, sessionCookies, SessionSigner, sessionSecret } from './session-token.js';

const signer = new SessionSigner(sessionSecret('sk-master', undefined));

test('a signed session round-trips and carries its CSRF token', () => {
  const { session, cookie } = signer.issue('key', 'abc123');
  const back = signer.verify(cookie);
  assert.deepEqual(back, session);
  assert.ok(session.csrf.length >= 20);
});

test('tampered, foreign, malformed and expired cookies are refused', () => {
  const { cookie } = signer.issue('key', 'abc123');
  const [payload, mac] = cookie.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ r: 'admin', s: 'master', c: 'x', e: Date.now() + 1e6 })).toString('base64url');
  assert.equal(signer.verify(`${forged}.${mac}`), null);
  assert.equal(signer.verify(`${payload}.${mac.slice(0, -2)}AA`), null);
  assert.equal(new SessionSigner(sessionSecret('sk-other', undefined)).verify(cookie), null);
  assert.equal(signer.verify('garbage'), null);
  assert.equal(signer.verify(undefined), null);
  assert.equal(signer.verify(cookie, Date.now() + SESSION_TTL_MS + 1), null);
});

test('UI_SESSION_SECRET replaces the master-key derived secret', () => {
  assert.notDeepEqual(sessionSecret('sk-master', 'explicit'), sessionSecret('sk-master', undefined));
  assert.deepEqual(sessionSecret('sk-a', 'explicit'), sessionSecret('sk-b', 'explicit'));
});

test('cookies are HttpOnly (session) and SameSite=Strict; the CSRF copy is readable', () => {
  const { session, cookie } = signer.issue('admin', 'master');
  const [sessionCookie, csrfCookie] = sessionCookies(cookie, session, true);
  assert.match(sessionCookie!, /^sluice_session=[^;]+; HttpOnly; Path=\/; SameSite=Strict; Max-Age=\d+; Secure$/);
  assert.match(csrfCookie!, /^sluice_csrf=[^;]+; Path=\/; SameSite=Strict/);
  assert.ok(!csrfCookie!.includes('HttpOnly'));
  assert.equal(readCookie(`a=1; sluice_session=${cookie}; b=2`, 'sluice_session'), cookie);
  assert.equal(readCookie('a=1', 'sluice_session'), undefined);
  assert.ok(sameToken('abc', 'abc'));
  assert.ok(!sameToken('abc', 'abd'));
  assert.ok(!sameToken('abc', 'abcd'));
});
