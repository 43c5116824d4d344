import { assertSafeDestination } from './destination';
import { classifySmtpError } from './email';
import { isRetryableStatus, parseRobotAnswer } from './http';
import { DeliveryError } from './message';

describe('error classification', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, message: 'mailbox unavailable' }, false, 'smtp-rejected'],
    [{ code: 'EAUTH', responseCode: 535, message: 'authentication failed' }, false, 'smtp-rejected'],
    [{ code: 'EMESSAGE', responseCode: 552, message: 'too large' }, false, 'smtp-rejected'],
    [{ code: 'EENVELOPE', message: 'No recipients defined' }, false, 'smtp-rejected'],
    [{ code: 'EENVELOPE', responseCode: 451, message: 'greylisted' }, true, 'smtp-unavailable'],
    [{ code: 'EPROTOCOL', responseCode: 421, message: 'too many connections' }, true, 'smtp-unavailable'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' }, true, 'smtp-unavailable'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, true, 'smtp-unavailable'],
    [{ code: 'ECONNECTION', message: 'Connection closed' }, true, 'smtp-unavailable'],
    [{ code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.example' }, true, 'smtp-unavailable'],
    [new Error('anything else'), true, 'smtp-unavailable'],
  ])('SMTP %o', (error, retryable, code) => {
    const classified = classifySmtpError(error);
    expect(classified).toBeInstanceOf(DeliveryError);
    expect([classified.retryable, classified.code]).toEqual([retryable, code]);
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [410, false],
    [413, false],
  ])('HTTP %i retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it('reads robot answers', () => {
    expect(parseRobotAnswer('{"errcode":0,"errmsg":"ok"}')).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(parseRobotAnswer('{"errcode":93000}')).toEqual({ errcode: 93000, errmsg: '' });
    expect(parseRobotAnswer('<html>502</html>')).toBeNull();
    expect(parseRobotAnswer('{"ok":true}')).toBeNull();
    expect(parseRobotAnswer('null')).toBeNull();
  });
});

describe('destination guard', () => {
  const refused = { retryable: false, code: 'destination-refused' };

  it.each([
    'http://127.0.0.1:8080/hook',
    'https://127.0.0.1/hook',
    'https://10.0.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://2130706433/',
    'https://localhost/',
    'http://oa.example.com/',
    'https://user:pw@8.8.8.8/',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', async (url) => {
    await expect(assertSafeDestination(url, [])).rejects.toMatchObject(refused);
  });

  it('lets allowed hosts through, by host or host:port', async () => {
    await expect(assertSafeDestination('http://127.0.0.1:8080/hook', ['127.0.0.1:8080'])).resolves.toBeInstanceOf(URL);
    await expect(assertSafeDestination('http://10.1.2.3/oa', ['10.1.2.3'])).resolves.toBeInstanceOf(URL);
    await expect(assertSafeDestination('http://127.0.0.1:8081/hook', ['127.0.0.1:8080'])).rejects.toMatchObject(
      refused,
    );
  });

  it('lets a public address literal through without DNS', async () => {
    await expect(assertSafeDestination('https://8.8.8.8/hook', [])).resolves.toBeInstanceOf(URL);
  });
});
