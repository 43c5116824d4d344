import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { User } from '@county/domain';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { ChangePasswordRequest, LoginRequest, LoginResponse } from './auth.dto';
import { AllowedWithOneTimePassword, Public } from './public.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiOperation({
    summary:
      'Exchange username and password for an access token. Failed logins are limited per account and, higher, per address (429 with Retry-After).',
  })
  login(@Body() body: LoginRequest, @Req() request: FastifyRequest): Promise<LoginResponse> {
    return this.auth.login(body, request.ip);
  }

  @Post('password')
  @HttpCode(200)
  @AllowedWithOneTimePassword()
  @ApiBearerAuth()
  @ApiOkResponse({ type: LoginResponse })
  @ApiOperation({
    summary:
      'Change your own password (the only call a one-time password allows, with /me and logout). Every earlier token stops working; the answer carries a new one.',
  })
  changePassword(
    @CurrentUser() user: User,
    @Body() body: ChangePasswordRequest,
    @Req() request: FastifyRequest,
  ): Promise<LoginResponse> {
    return this.auth.changePassword(user, body, request.ip);
  }

  @Post('logout')
  @HttpCode(204)
  @AllowedWithOneTimePassword()
  @ApiBearerAuth()
  @ApiOperation({ summary: "Sign out: every access token of the user stops working, on every device they're on." })
  logout(@CurrentUser() user: User): Promise<void> {
    return this.auth.logout(user);
  }
}
