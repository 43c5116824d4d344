import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DomainError, ErrorCode, User } from '@county/domain';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { localSigningKey } from './signing-key';

/** Pinned: a token signed any other way (including `alg: none`) is rejected. */
const ALGORITHM = 'HS256';
const ISSUER = 'county-task-engine';
const AUDIENCE = 'county-task-engine-api';

export interface AccessToken {
  accessToken: string;
  expiresIn: number;
}

/** What a verified token says: whose it is, and the token version it was issued under. */
export interface TokenClaims {
  userId: string;
  tokenVersion: number;
}

@Injectable()
export class TokenService {
  private readonly key: string;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    // Resolved once, at start-up: a bad key file stops the API with a message instead of failing logins.
    this.key = config.jwtSecret ?? localSigningKey(config.dataDir);
  }

  /** A key of its own for another purpose (the SSO login cookie), derived from the signing key: one secret to keep. */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`county-task-engine/${purpose}`).digest();
  }

  issue(user: User & { tokenVersion: number }): AccessToken {
    // Only the subject and the version are trusted later; unit and roles are re-read from the database on
    // every request so that a changed role or a disabled user takes effect at once. They are in the token
    // for clients. `ver` lets logout (and the users trigger) revoke every token issued before.
    const accessToken = jwt.sign({ unitId: user.unitId, roles: user.roles, ver: user.tokenVersion }, this.key, {
      algorithm: ALGORITHM,
      subject: user.id,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: this.config.jwtExpiresInSeconds,
    });
    return { accessToken, expiresIn: this.config.jwtExpiresInSeconds };
  }

  /** The claims of a token this API issued and that has not expired, or throws UNAUTHENTICATED. */
  verify(token: string): TokenClaims {
    try {
      const payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      if (typeof payload === 'string' || typeof payload.sub !== 'string') throw new Error('no subject');
      // jsonwebtoken checks exp only when it is present; a token without one would never expire.
      if (typeof payload.exp !== 'number') throw new Error('no expiry');
      const version: unknown = payload.ver;
      if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) throw new Error('no version');
      return { userId: payload.sub, tokenVersion: version };
    } catch (error) {
      const reason = error instanceof jwt.TokenExpiredError ? '登录已过期，请重新登录。' : '登录凭证无效，请重新登录。';
      throw new DomainError(ErrorCode.Unauthenticated, reason);
    }
  }
}
