import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, User, validateChannelEndpoint } from '@county/domain';
import {
  CHANNEL_ENDPOINT_KEY,
  ChannelEndpointInput,
  ChannelEndpointRecord,
  ChannelEndpointRepository,
  UnitRepository,
} from '@county/persistence';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { ChannelEndpointQuery, ChannelEndpointRequest } from './channels.dto';
import { pageOf, pageRequest } from '../common/pagination';

/** Admins configure where a unit's notifications go besides e-mail: 企业微信/钉钉 robots and signed webhooks. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly endpoints: ChannelEndpointRepository,
    private readonly units: UnitRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async list(query: ChannelEndpointQuery): Promise<{ items: ChannelEndpointRecord[]; nextCursor: string | null }> {
    return pageOf(await this.endpoints.list(query.unitId, pageRequest(query, CHANNEL_ENDPOINT_KEY.length)));
  }

  async create(user: User, body: ChannelEndpointRequest): Promise<ChannelEndpointRecord> {
    const input = await this.checked(body, null);
    return this.endpoints.create(input, this.audit(user, 'channel-endpoint.created'));
  }

  async update(user: User, id: string, body: ChannelEndpointRequest): Promise<ChannelEndpointRecord> {
    const existing = await this.endpoints.find(id);
    if (!existing) throw notFound(id);
    const input = await this.checked(body, existing.secret);
    const updated = await this.endpoints.update(id, input, this.audit(user, 'channel-endpoint.updated'));
    if (!updated) throw notFound(id);
    return updated;
  }

  async remove(user: User, id: string): Promise<void> {
    if (!(await this.endpoints.remove(id, this.audit(user, 'channel-endpoint.removed')))) throw notFound(id);
  }

  /** The request as it will be stored, or a 400 naming the field (unit, url or secret). */
  private async checked(body: ChannelEndpointRequest, keptSecret: string | null): Promise<ChannelEndpointInput> {
    const secret = body.secret === undefined ? keptSecret : body.secret;
    if (body.unitId === null && body.kind !== 'webhook')
      throw invalid('unitId', '企业微信和钉钉机器人须属于一个单位；全县范围只能配置通用 Webhook。');
    if (body.unitId !== null) {
      const unit = await this.units.findById(body.unitId);
      if (!unit || unit.retired) throw invalid('unitId', `没有编号为 ${body.unitId} 的在用单位。`);
    }
    const problem = validateChannelEndpoint({ kind: body.kind, url: body.url, secret }, this.config.notifyAllowedHosts);
    if (problem) throw invalid(problem.field, problem.message);
    return {
      unitId: body.unitId,
      kind: body.kind,
      name: body.name,
      url: body.url,
      secret,
      enabled: body.enabled ?? true,
    };
  }

  private audit(user: User, action: string) {
    return {
      actorUserId: user.id,
      actorUnitId: user.unitId,
      action,
      subjectType: 'channel-endpoint',
      workflowId: null,
    };
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `${field}: ${message}`, {
    errors: [{ field, problems: [message] }],
  });
}

function notFound(id: string): DomainError {
  return new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的通知渠道。`);
}
