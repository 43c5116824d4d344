import { Injectable } from '@nestjs/common';
import {
  AuditEventInput,
  DomainError,
  ErrorCode,
  planUnitAdd,
  planUnitMerge,
  planUnitRename,
  planUnitRetire,
  RegistryUnit,
  UnitChange,
  unitActions,
  User,
} from '@county/domain';
import { UNIT_KEY, UnitRepository } from '@county/persistence';
import { pageOf, PageQuery, pageRequest } from '../common/pagination';
import {
  CreateUnitRequest,
  MergeUnitResponse,
  RenameUnitRequest,
  toUnitResponse,
  UnitListResponse,
  UnitResponse,
} from './units.dto';

function accepted<T>(change: UnitChange<T>): T {
  if (!change.ok)
    throw new DomainError(change.code === 'conflict' ? ErrorCode.Conflict : ErrorCode.ValidationFailed, change.reason);
  return change.value;
}

/** 单位管理: the admin's changes to the unit registry, each one an audit event in the same transaction. */
@Injectable()
export class UnitsService {
  constructor(private readonly units: UnitRepository) {}

  async list(user: User, query: PageQuery): Promise<UnitListResponse> {
    const page = await this.units.page(pageRequest(query, UNIT_KEY.length));
    return { ...pageOf(page, (unit) => this.respond(user, unit)), total: page.total };
  }

  async add(admin: User, body: CreateUnitRequest): Promise<UnitResponse> {
    const unit = accepted(planUnitAdd(await this.units.list(), { ...body, aliases: body.aliases ?? [] }));
    await this.units.add(unit, this.audit(admin, 'unit.added', unit.id, { unit }));
    return this.respond(admin, await this.require(unit.id));
  }

  async rename(admin: User, unitId: string, body: RenameUnitRequest): Promise<UnitResponse> {
    const registry = await this.units.list();
    const before = registry.find((unit) => unit.id === unitId);
    if (!before) throw new DomainError(ErrorCode.NotFound, `单位名录中没有单位 ${unitId}。`);
    const after = accepted(planUnitRename(registry, unitId, body));
    await this.units.rename(
      after,
      this.audit(admin, 'unit.renamed', unitId, {
        before: { name: before.name, fullName: before.fullName, aliases: before.aliases },
        after: { name: after.name, fullName: after.fullName, aliases: after.aliases },
      }),
    );
    return this.respond(admin, await this.require(unitId));
  }

  async merge(admin: User, unitId: string, intoUnitId: string): Promise<MergeUnitResponse> {
    const registry = await this.units.list();
    if (!registry.some((unit) => unit.id === unitId))
      throw new DomainError(ErrorCode.NotFound, `单位名录中没有单位 ${unitId}。`);
    const { retired, survivor } = accepted(planUnitMerge(registry, unitId, intoUnitId));
    const moved = await this.units.merge(retired, survivor, (work) =>
      this.audit(admin, 'unit.merged', retired, { retired, survivor, ...work }),
    );
    return {
      retired: this.respond(admin, await this.require(retired)),
      survivor: this.respond(admin, await this.require(survivor)),
      ...moved,
    };
  }

  async retire(admin: User, unitId: string): Promise<UnitResponse> {
    const registry = await this.units.list();
    if (!registry.some((unit) => unit.id === unitId))
      throw new DomainError(ErrorCode.NotFound, `单位名录中没有单位 ${unitId}。`);
    const work = await this.units.work(unitId);
    accepted(
      planUnitRetire(registry, unitId, {
        openWork: work.openAssignments + work.openCalls,
        activeUsers: work.activeUsers,
      }),
    );
    await this.units.retire(unitId, this.audit(admin, 'unit.retired', unitId, {}));
    return this.respond(admin, await this.require(unitId));
  }

  private respond(user: User, unit: RegistryUnit): UnitResponse {
    return toUnitResponse(unit, unitActions(user, unit));
  }

  private async require(unitId: string): Promise<RegistryUnit> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw new DomainError(ErrorCode.NotFound, `单位名录中没有单位 ${unitId}。`);
    return unit;
  }

  private audit(admin: User, action: string, unitId: string, payload: Record<string, unknown>): AuditEventInput {
    return {
      actorUserId: admin.id,
      actorUnitId: admin.unitId,
      action,
      subjectType: 'unit',
      subjectId: unitId,
      workflowId: null,
      payload,
    };
  }
}
