// redact.ts: registered key values are masked in any text; credential shapes in error texts.

import { describe, expect, it } from 'vitest';
import { addSecret, addSecretsFromEnv, addUrlSecrets, MASK, redact, redactError, redactSecrets } from './redact.ts';

const KEY = 'k3y-value-registered-for-redact-test-0001';

describe('redactSecrets (registered values)', () => {
  it('masks a registered value wherever it appears, in its URL-encoded form too, and leaves other text alone', () => {
    addSecret('a+b/c=key-with-specials-0002');
    addSecret(KEY);
    expect(redactSecrets(`x ${KEY} y ${KEY}`)).toBe(`x ${MASK} y ${MASK}`);
    expect(redactSecrets(`q=${encodeURIComponent('a+b/c=key-with-specials-0002')}`)).toBe(`q=${MASK}`);
    expect(redactSecrets('Authorization: Bearer <token> is what a doc may show')).toBe('Authorization: Bearer <token> is what a doc may show');
  });

  it('ignores values too short to be keys (a local server placeholder must not garble every text)', () => {
    addSecret('local');
    expect(redactSecrets('a local model')).toBe('a local model');
  });

  it('takes *_API_KEY variables and the credentials of *_BASE_URL variables from an environment', () => {
    addSecretsFromEnv({ MY_GATEWAY_API_KEY: 'gw-key-from-env-0003', OPENAI_BASE_URL: 'https://alice:pa%24%24word-0004@gw.example/v1', HOME: '/home/someone-long' });
    expect(redactSecrets('gw-key-from-env-0003 pa$$word-0004 pa%24%24word-0004')).toBe(`${MASK} ${MASK} ${MASK}`);
    expect(redactSecrets('/home/someone-long')).toBe('/home/someone-long');
  });

  it('masks a longer secret whole when it contains a shorter one', () => {
    addSecret('inner-secret-0005');
    addSecret('outer-inner-secret-0005-tail');
    expect(redactSecrets('outer-inner-secret-0005-tail')).toBe(MASK);
  });
});

describe('redact (error texts)', () => {
  it.each([
    ['an echoed Authorization header (JSON)', '{"authorization":"Bearer abcdefghijklmnop"}', '{"authorization":"Bearer [redacted]"}'],
    ['an echoed x-api-key header (escaped JSON)', '{\\"x-api-key\\":\\"zyxwvutsrqponm\\"}', '{\\"x-api-key\\":\\"[redacted]\\"}'],
    ['a header line', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['a bare Bearer token', 'sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', 'sent Bearer [redacted]'],
    ['an OpenAI-shaped key', 'key sk-proj-AbCdEf0123456789xyz was revoked', `key ${MASK} was revoked`],
    // Assembled here so the file itself holds nothing a secret scanner would take for a real key.
    ['an Anthropic-shaped key', ['sk', 'ant', 'api03', 'AbCdEf0123456789_xyz-0'].join('-'), MASK],
    ['URL credentials', 'POST https://bob:hunter2hunter2@gw.example/v1/messages failed', `POST https://${MASK}@gw.example/v1/messages failed`],
    ['a query parameter', 'GET /v1?api_key=qwertyuiop123&x=1', `GET /v1?api_key=${MASK}&x=1`],
    ['a password field', 'password=correct-horse', `password=${MASK}`],
  ])('masks %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('leaves ordinary error texts as they are', () => {
    for (const text of ['openai: 429 Rate limit reached for gpt-5.6 in organization org-x on tokens per min', 'anthropic: 529 overloaded_error: Overloaded (request-id req_011)', 'set OPENAI_API_KEY or the model\'s apiKeyEnv', 'desk-lamp-0123456789abcdef is a word', 'anthropic: 401 authentication_error: invalid x-api-key', 'HTTP Basic authentication failed', 'a bearer token was expected']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('masks registered values in an error message and its stack', () => {
    const error = new Error(`gateway said: ${KEY}`);
    expect(redactError(error)).toBe(`gateway said: ${MASK}`);
    expect(redactError(error, true)).not.toContain(KEY);
    expect(redactError('plain string sk-proj-0123456789abcdefghij')).toBe(`plain string ${MASK}`);
  });

  it('registers URL credentials given directly', () => {
    addUrlSecrets('http://carol:s3cr3t-passw0rd@127.0.0.1:1/v1');
    expect(redactSecrets('s3cr3t-passw0rd')).toBe(MASK);
  });
});
