import { Inject, Injectable } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { DataSource } from '@county/persistence';
import { ApiConfig } from '../config';
import { API_CONFIG, DATA_SOURCE, TEMPORAL_PROBE_CONNECTION } from '../infrastructure/tokens';

export type DependencyState = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  db: DependencyState;
  temporal: DependencyState;
}

/** A health probe must answer quickly even when a dependency hangs rather than refuses. */
const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly temporal: Connection,
  ) {}

  async check(): Promise<HealthReport> {
    const [db, temporal] = await Promise.all([this.probeDatabase(), this.probeTemporal()]);
    return { status: db === 'up' && temporal === 'up' ? 'ok' : 'unavailable', db, temporal };
  }

  private probeDatabase(): Promise<DependencyState> {
    return probe(() => this.dataSource.query('SELECT 1'));
  }

  /** Describing the namespace proves the server is reachable and the namespace we run in exists. */
  private probeTemporal(): Promise<DependencyState> {
    return probe((signal) =>
      this.temporal.withAbortSignal(signal, () =>
        this.temporal.workflowService.describeNamespace({ namespace: this.config.temporalNamespace }),
      ),
    );
  }
}

async function probe(operation: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyState> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error('timeout'));
    }, PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([operation(controller.signal), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
