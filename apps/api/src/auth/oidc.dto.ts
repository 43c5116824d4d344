import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * What the provider appended to the redirect URL; the console passes it on unchanged. Only code and state are
 * used; any parameter not listed here is refused (400), so nothing in the query can name a user.
 */
export class OidcCallbackQuery {
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) code?: string;
  @ApiPropertyOptional({ maxLength: 512 }) @IsOptional() @IsString() @MaxLength(512) state?: string;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) iss?: string;
  @ApiPropertyOptional({ maxLength: 512 }) @IsOptional() @IsString() @MaxLength(512) session_state?: string;
  /** Some providers repeat the granted scopes on the redirect; ignored. */
  @ApiPropertyOptional({ maxLength: 1024 }) @IsOptional() @IsString() @MaxLength(1024) scope?: string;
  @ApiPropertyOptional({ maxLength: 512 }) @IsOptional() @IsString() @MaxLength(512) error?: string;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) error_description?: string;
}

export class SingleSignOnOption {
  @ApiProperty({ description: 'where the console sends the browser to log in', example: '/api/v1/auth/oidc/login' })
  loginPath!: string;
  @ApiProperty({ example: '统一身份认证登录' }) label!: string;
}

/** How one can log in here; public, read by the login page. */
export class LoginOptionsResponse {
  @ApiProperty({ example: true }) password!: boolean;
  @ApiProperty({
    type: SingleSignOnOption,
    nullable: true,
    description: 'single sign-on (统一身份认证), or null when it is not configured',
  })
  oidc!: SingleSignOnOption | null;
}
