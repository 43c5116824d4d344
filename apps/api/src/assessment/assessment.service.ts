import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  AssessmentPolicy,
  DomainError,
  ErrorCode,
  PERIOD_FORMAT,
  parsePeriod,
  PolicyError,
  rankAssessment,
  resolvePolicy,
  seesEveryUnitsAssessment,
  User,
} from '@county/domain';
import { AssessmentRepository } from '@county/persistence';
import { ApiConfig } from '../config';
import { loadDefaultPolicy } from '../database/seeds';
import { API_CONFIG } from '../infrastructure/tokens';
import { AssessmentQuery, AssessmentResponse } from './assessment.dto';

@Injectable()
export class AssessmentService implements OnModuleInit {
  private policy!: AssessmentPolicy;

  constructor(
    private readonly assessment: AssessmentRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * A score spans plans, so it uses the county's default policy (ASSESSMENT_POLICY laid over it), never a plan's.
   * A bad ASSESSMENT_POLICY stops the API at start-up, naming the field.
   */
  async onModuleInit(): Promise<void> {
    try {
      const overrides = this.config.assessmentPolicy ? { assessment: this.config.assessmentPolicy } : undefined;
      this.policy = resolvePolicy(await loadDefaultPolicy(), overrides).assessment;
    } catch (error) {
      if (error instanceof PolicyError) throw new Error(`ASSESSMENT_POLICY: ${error.problems.join('; ')}`);
      throw error;
    }
  }

  async scores(user: User, query: AssessmentQuery): Promise<AssessmentResponse> {
    const period = parsePeriod(query.period);
    if (!period) {
      throw new DomainError(ErrorCode.ValidationFailed, `period must be ${PERIOD_FORMAT} (years 2000–2100)`, {
        errors: [{ field: 'period', problems: [`must be ${PERIOD_FORMAT}`] }],
      });
    }
    const ranked = rankAssessment(await this.assessment.figures(period, query.planId), this.policy);
    // A unit sees its own row (score, rank, why) but not the other units' details.
    const units = seesEveryUnitsAssessment(user) ? ranked : ranked.filter((row) => row.unitId === user.unitId);
    return {
      period: period.label,
      from: period.start.toISOString(),
      to: period.end.toISOString(),
      policy: this.policy,
      rankedUnits: ranked.length,
      units,
    };
  }
}
