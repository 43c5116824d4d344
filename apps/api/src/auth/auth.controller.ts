import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { User } from '@county/domain';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { LoginRequest, LoginResponse } from './auth.dto';
import { Public } from './public.decorator';

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

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Sign out: every access token of the user stops working, on every device they're on." })
  logout(@CurrentUser() user: User): Promise<void> {
    return this.auth.logout(user);
  }
}
