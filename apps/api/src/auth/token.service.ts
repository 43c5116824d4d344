import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { DomainError, ErrorCode, User } from '@county/domain';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';

/** Pinned: a token signed any other way (including `alg: none`) is rejected. */
const ALGORITHM = 'HS256';
const ISSUER = 'county-task-engine';
const AUDIENCE = 'county-task-engine-api';

export interface AccessToken {
  accessToken: string;
  expiresIn: number;
}

@Injectable()
export class TokenService {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  issue(user: User): AccessToken {
    // Only the subject is trusted later; unit and roles are re-read from the database on every request
    // so that a changed role or a disabled user takes effect at once. They are in the token for clients.
    const accessToken = jwt.sign({ unitId: user.unitId, roles: user.roles }, this.config.jwtSecret, {
      algorithm: ALGORITHM,
      subject: user.id,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: this.config.jwtExpiresInSeconds,
    });
    return { accessToken, expiresIn: this.config.jwtExpiresInSeconds };
  }

  /** Returns the user id the token was issued to, or throws UNAUTHENTICATED. */
  verify(token: string): string {
    try {
      const payload = jwt.verify(token, this.config.jwtSecret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      if (typeof payload === 'string' || typeof payload.sub !== 'string') throw new Error('no subject');
      return payload.sub;
    } catch (error) {
      const reason =
        error instanceof jwt.TokenExpiredError ? 'The access token has expired.' : 'The access token is not valid.';
      throw new DomainError(ErrorCode.Unauthenticated, reason);
    }
  }
}
