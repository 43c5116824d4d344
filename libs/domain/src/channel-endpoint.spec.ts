import { CHANNEL_KINDS, validateChannelEndpoint } from './channel-endpoint';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const DINGTALK = 'https://oapi.dingtalk.com/robot/send?access_token=abc123';
const WEBHOOK_SECRET = 'a-long-enough-secret-123';

describe('channel endpoints', () => {
  it('lists the kinds', () => {
    expect(CHANNEL_KINDS).toEqual(['wecom', 'dingtalk', 'webhook']);
  });

  it.each([
    ['wecom robot', { kind: 'wecom' as const, url: WECOM }],
    ['dingtalk robot without a secret', { kind: 'dingtalk' as const, url: DINGTALK, secret: null }],
    ['dingtalk robot with a secret', { kind: 'dingtalk' as const, url: DINGTALK, secret: 'SECabc123def456' }],
    ['webhook', { kind: 'webhook' as const, url: 'https://oa.example.gov.cn/hooks/task', secret: WEBHOOK_SECRET }],
    ['webhook on a public address', { kind: 'webhook' as const, url: 'https://8.8.8.8/x', secret: WEBHOOK_SECRET }],
  ])('accepts a %s', (_name, endpoint) => {
    expect(validateChannelEndpoint(endpoint, [])).toBeNull();
  });

  it.each([
    ['an empty url', 'webhook', '', '请填写地址'],
    ['a url that does not parse', 'webhook', 'not a url', '地址不是有效的网址'],
    ['a url that is too long', 'webhook', `https://oa.example.com/${'a'.repeat(2000)}`, '地址不能超过 2000 个字符'],
    ['another scheme', 'webhook', 'ftp://oa.example.com/', '地址必须以 https:// 开头'],
    [
      'plain http',
      'webhook',
      'http://oa.example.com/hook',
      '地址必须使用 https://（内网地址须由管理员加入允许的主机）',
    ],
    ['userinfo', 'webhook', 'https://user:pass@oa.example.com/', '地址不能包含用户名或密码'],
    ['loopback', 'webhook', 'https://127.0.0.1:8443/', '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）'],
    ['a private address', 'webhook', 'https://10.0.0.1/', '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）'],
    [
      'metadata service',
      'webhook',
      'https://169.254.169.254/',
      '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）',
    ],
    ['a hex IPv4', 'webhook', 'https://0x7f.0.0.1/', '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）'],
    ['IPv6 loopback', 'webhook', 'https://[::1]/', '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）'],
    [
      'IPv4-mapped',
      'webhook',
      'https://[::ffff:192.168.0.1]/',
      '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）',
    ],
    ['localhost', 'webhook', 'https://localhost/', '地址不能指向本机（内网地址须由管理员加入允许的主机）'],
    [
      'a look-alike wecom host',
      'wecom',
      'https://qyapi.weixin.qq.com.evil.cn/x',
      '企业微信机器人的地址必须是 https://qyapi.weixin.qq.com/ 开头',
    ],
    [
      'a look-alike dingtalk host',
      'dingtalk',
      'https://dingtalk.example.com/robot',
      '钉钉机器人的地址必须是 https://oapi.dingtalk.com/ 开头',
    ],
  ] as const)('refuses %s', (_name, kind, url, message) => {
    expect(validateChannelEndpoint({ kind, url, secret: kind === 'webhook' ? WEBHOOK_SECRET : null }, [])).toEqual({
      field: 'url',
      message,
    });
  });

  it('lets the allow list reach the intranet, over http, on any host (host or host:port)', () => {
    const intranet = { kind: 'webhook' as const, url: 'http://10.1.2.3:8080/oa', secret: WEBHOOK_SECRET };
    expect(validateChannelEndpoint(intranet, ['10.1.2.3:8080'])).toBeNull();
    expect(validateChannelEndpoint(intranet, ['10.1.2.3'])).toBeNull();
    expect(validateChannelEndpoint(intranet, ['10.1.2.3:9090'])?.field).toBe('url');
    expect(
      validateChannelEndpoint({ kind: 'wecom', url: 'http://127.0.0.1:4000/robot' }, ['127.0.0.1:4000']),
    ).toBeNull();
    expect(
      validateChannelEndpoint({ kind: 'webhook', url: 'http://OA.local/x', secret: WEBHOOK_SECRET }, ['oa.LOCAL']),
    ).toBeNull();
    // The allow list never admits credentials in the URL.
    expect(validateChannelEndpoint({ ...intranet, url: 'http://a:b@10.1.2.3:8080/' }, ['10.1.2.3:8080'])?.message).toBe(
      '地址不能包含用户名或密码',
    );
  });

  it.each([
    ['a wecom secret', 'wecom', WECOM, 'SECabc', '企业微信机器人不使用密钥，请留空'],
    ['a dingtalk secret without SEC', 'dingtalk', DINGTALK, 'abc', '钉钉机器人的加签密钥以 SEC 开头'],
    ['a dingtalk secret too long', 'dingtalk', DINGTALK, `SEC${'a'.repeat(198)}`, '密钥不能超过 200 个字符'],
    ['a dingtalk secret with a space', 'dingtalk', DINGTALK, 'SEC abc', '密钥只能包含英文字母、数字和符号（不含空格）'],
    ['no webhook secret', 'webhook', 'https://oa.example.com/', null, '请填写签名密钥（接收方用它核对 X-Signature）'],
    [
      'an empty webhook secret',
      'webhook',
      'https://oa.example.com/',
      '',
      '请填写签名密钥（接收方用它核对 X-Signature）',
    ],
    ['a short webhook secret', 'webhook', 'https://oa.example.com/', 'a'.repeat(15), '密钥至少 16 个字符'],
    ['a long webhook secret', 'webhook', 'https://oa.example.com/', 'a'.repeat(201), '密钥不能超过 200 个字符'],
    [
      'a Chinese webhook secret',
      'webhook',
      'https://oa.example.com/',
      '密钥密钥密钥密钥密钥密钥密钥密钥',
      '密钥只能包含英文字母、数字和符号（不含空格）',
    ],
  ] as const)('refuses %s', (_name, kind, url, secret, message) => {
    expect(validateChannelEndpoint({ kind, url, secret }, [])).toEqual({ field: 'secret', message });
  });

  it('accepts webhook secrets of 16 and 200 visible characters', () => {
    for (const secret of ['!'.repeat(16), 'Z~'.repeat(100)])
      expect(validateChannelEndpoint({ kind: 'webhook', url: 'https://oa.example.com/', secret }, [])).toBeNull();
  });

  it('refuses an unknown kind', () => {
    expect(validateChannelEndpoint({ kind: 'sms' as never, url: 'https://x.example.com/' }, [])).toEqual({
      field: 'url',
      message: '未知的渠道类型：sms',
    });
  });
});
