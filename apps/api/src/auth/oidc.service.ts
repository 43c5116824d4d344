import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BaseClient, errors, generators, Issuer } from 'openid-client';
import { displayNameFromClaims, DomainError, ErrorCode, Role, SSO_REFUSALS, usernameFromClaims } from '@county/domain';
import { UnitRepository, UserRepository } from '@county/persistence';
import { ApiConfig, OidcConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { LoginResponse, toLoginResponse } from './auth.dto';
import { OIDC_LOGIN_TTL_MS, OidcLoginChecks, openChecks, sealChecks } from './oidc-login-cookie';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

/** What the provider sent back to the redirect URL (the console passes the query on unchanged). */
export type OidcCallbackParams = {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
  session_state?: string;
  scope?: string;
};

/**
 * OpenID Connect login (authorization code + PKCE) against the county's unified identity platform. The provider
 * is discovered at the first login, not at start-up: an identity platform that is down must not stop the API
 * (password login keeps working), and a failed discovery is tried again at the next login.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly config: OidcConfig | undefined;
  private readonly cookieKey: Buffer;
  private client: Promise<BaseClient> | undefined;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly users: UserRepository,
    private readonly units: UnitRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {
    this.config = config.oidc;
    this.cookieKey = tokens.derivedKey('oidc-login-cookie');
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  get buttonLabel(): string | undefined {
    return this.config?.buttonLabel;
  }

  /** The provider's authorization URL for a new login, and the sealed checks the browser keeps meanwhile. */
  async start(): Promise<{ url: string; cookie: string }> {
    const config = this.configured();
    const client = await this.providerClient();
    const checks: OidcLoginChecks = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      expiresAt: Date.now() + OIDC_LOGIN_TTL_MS,
    };
    const url = client.authorizationUrl({
      scope: config.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: generators.codeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, cookie: sealChecks(checks, this.cookieKey) };
  }

  /** Finishes a login: the code is exchanged at the provider and the person matched to a registered user. */
  async finish(params: OidcCallbackParams, sealedChecks: string | undefined): Promise<LoginResponse> {
    const config = this.configured();
    const checks = openChecks(sealedChecks, this.cookieKey);
    // No cookie (another browser, an expired login) or a state that is not the one this browser started with.
    if (!checks || typeof params.state !== 'string' || params.state !== checks.state) {
      throw new DomainError(ErrorCode.ValidationFailed, SSO_REFUSALS.badState);
    }
    if (params.error !== undefined) {
      throw new DomainError(ErrorCode.InvalidCredentials, SSO_REFUSALS.providerRefused, {
        providerError: params.error,
      });
    }
    if (typeof params.code !== 'string' || params.code === '') {
      throw new DomainError(ErrorCode.ValidationFailed, SSO_REFUSALS.badState);
    }
    const client = await this.providerClient();
    let claims: Record<string, unknown>;
    try {
      const tokenSet = await client.callback(config.redirectUrl, params, {
        state: checks.state,
        nonce: checks.nonce,
        code_verifier: checks.codeVerifier,
        response_type: 'code',
      });
      claims = { ...tokenSet.claims() };
      // Providers often keep profile claims out of the ID token; the userinfo endpoint has them.
      if (claims[config.usernameClaim] === undefined && tokenSet.access_token) {
        claims = { ...(await client.userinfo(tokenSet.access_token)), ...claims };
      }
    } catch (error) {
      throw this.providerError(error);
    }

    const match = usernameFromClaims(claims, config.usernameClaim);
    if (!match.matched) throw new DomainError(ErrorCode.Forbidden, match.reason);
    let user = await this.users.findByUsername(match.username);
    if (!user && config.autoCreateUnitId !== undefined) user = await this.autoCreate(match.username, claims);
    if (!user) throw new DomainError(ErrorCode.Forbidden, SSO_REFUSALS.unknown(match.username));
    if (user.disabled) throw new DomainError(ErrorCode.Forbidden, SSO_REFUSALS.disabled(user.username));
    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toLoginResponse(this.tokens.issue(user), user, unit);
  }

  private configured(): OidcConfig {
    if (!this.config) throw new DomainError(ErrorCode.NotFound, '本系统未启用统一身份认证登录。');
    return this.config;
  }

  private providerClient(): Promise<BaseClient> {
    const config = this.configured();
    this.client ??= Issuer.discover(config.issuerUrl).then(
      (issuer) =>
        new issuer.Client({
          client_id: config.clientId,
          client_secret: config.clientSecret,
          redirect_uris: [config.redirectUrl],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        }),
    );
    return this.client.catch((error: unknown) => {
      this.client = undefined;
      this.logger.warn(`OpenID provider ${config.issuerUrl} could not be discovered: ${String(error)}`);
      throw new DomainError(ErrorCode.DependencyUnavailable, SSO_REFUSALS.providerUnavailable);
    });
  }

  /** The provider refused (a forged, reused or expired code; a bad ID token) → 401; unreachable → 503. */
  private providerError(error: unknown): DomainError {
    if (error instanceof errors.OPError || error instanceof errors.RPError) {
      this.logger.warn(`OpenID login refused: ${error.message}`);
      return new DomainError(ErrorCode.InvalidCredentials, SSO_REFUSALS.providerRefused);
    }
    this.logger.warn(`OpenID provider unreachable: ${String(error)}`);
    return new DomainError(ErrorCode.DependencyUnavailable, SSO_REFUSALS.providerUnavailable);
  }

  /** OIDC_AUTO_CREATE: staff of the configured unit, with a password nobody knows (they sign in by SSO). */
  private async autoCreate(username: string, claims: Record<string, unknown>) {
    const unitId = this.config!.autoCreateUnitId!;
    if (!(await this.units.findById(unitId))) {
      throw new DomainError(ErrorCode.Forbidden, SSO_REFUSALS.unknown(username));
    }
    const user = await this.users.createBySingleSignOn(
      {
        username,
        displayName: displayNameFromClaims(claims, username),
        unitId,
        roles: [Role.Staff],
        passwordHash: await this.passwords.hash(randomBytes(32).toString('hex')),
      },
      { claim: this.config!.usernameClaim, issuer: this.config!.issuerUrl },
    );
    this.logger.log(`created user ${username} in unit ${unitId} at their first single sign-on`);
    return user;
  }
}
