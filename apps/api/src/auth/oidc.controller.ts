import { Controller, Get, Query, Redirect, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiConfig } from '../config';
import { Inject } from '@nestjs/common';
import { API_CONFIG } from '../infrastructure/tokens';
import { LoginResponse } from './auth.dto';
import { cookieValue, OIDC_COOKIE, OIDC_LOGIN_TTL_MS, setCookieHeader } from './oidc-login-cookie';
import { LoginOptionsResponse, OidcCallbackQuery } from './oidc.dto';
import { OidcService } from './oidc.service';
import { Public } from './public.decorator';

const COOKIE_PATH = '/api/v1/auth/oidc';

@ApiTags('auth')
@Controller('auth')
export class OidcController {
  private readonly secureCookie: boolean;

  constructor(
    private readonly oidc: OidcService,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.secureCookie = config.production || (config.oidc?.redirectUrl.startsWith('https:') ?? false);
  }

  @Public()
  @Get('options')
  @ApiOkResponse({ type: LoginOptionsResponse })
  @ApiOperation({ summary: 'How one can log in: password, and single sign-on (统一身份认证) when configured.' })
  options(): LoginOptionsResponse {
    return {
      password: true,
      oidc: this.oidc.enabled ? { loginPath: `${COOKIE_PATH}/login`, label: this.oidc.buttonLabel! } : null,
    };
  }

  @Public()
  @Get('oidc/login')
  @Redirect()
  @ApiResponse({ status: 302, description: "to the identity provider's authorization endpoint" })
  @ApiOperation({
    summary:
      'Starts a single sign-on: redirects to the identity provider (authorization code + PKCE); state, nonce and ' +
      'the PKCE verifier stay in an encrypted HttpOnly cookie of this browser.',
  })
  async login(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ url: string; statusCode: number }> {
    const { url, cookie } = await this.oidc.start();
    void reply.header(
      'set-cookie',
      setCookieHeader(cookie, {
        path: COOKIE_PATH,
        secure: this.secureCookie,
        maxAgeSeconds: OIDC_LOGIN_TTL_MS / 1000,
      }),
    );
    return { url, statusCode: 302 };
  }

  @Public()
  @Get('oidc/callback')
  @ApiOkResponse({ type: LoginResponse })
  @ApiOperation({
    summary:
      "Finishes a single sign-on: the provider's code is exchanged (with this browser's state and PKCE verifier) " +
      'and the person matched to a registered user by the configured claim. Answers the same token as /auth/login. ' +
      'A person not in the registry, or a disabled user, gets 403; a forged or stale state 400; a refused code 401.',
  })
  async callback(
    @Query() query: OidcCallbackQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const sealed = cookieValue(request.headers.cookie, OIDC_COOKIE);
    // One login per cookie, whatever the outcome: the state cannot be tried twice.
    if (sealed !== undefined) {
      void reply.header(
        'set-cookie',
        setCookieHeader('', { path: COOKIE_PATH, secure: this.secureCookie, maxAgeSeconds: 0 }),
      );
    }
    return this.oidc.finish({ ...query }, sealed);
  }
}
