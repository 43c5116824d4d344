import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, Role } from '@county/domain';
import { DELIVERY_KEY, DeliveryRepository } from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { Roles } from '../auth/roles.decorator';
import { DeliveryListResponse, DeliveryQuery, DeliveryResponse } from './deliveries.dto';

/** The outbox as admins see it: what went where, and the dead letters they can send again. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('deliveries')
@Roles(Role.Admin)
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveryRepository) {}

  @Get()
  @ApiOkResponse({ type: DeliveryListResponse })
  @ApiOperation({ summary: 'Deliveries of notifications by e-mail, robot and webhook, latest change first (admin).' })
  async list(@Query() query: DeliveryQuery): Promise<DeliveryListResponse> {
    const { status, notificationId } = query;
    return pageOf(await this.deliveries.list({ status, notificationId }, pageRequest(query, DELIVERY_KEY.length)));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryResponse })
  @ApiOperation({
    summary: 'Send a dead letter again (admin): a fresh set of attempts, at once, by a new delivery workflow.',
  })
  async retry(@Param('id') id: string): Promise<DeliveryResponse> {
    const retried = await this.deliveries.retry(id);
    if (retried) return retried;
    if (!(await this.deliveries.find(id))) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的投递记录。`);
    throw new DomainError(ErrorCode.Conflict, '只有投递失败（死信）的记录可以重新发送。');
  }
}
