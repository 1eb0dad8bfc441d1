import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { PROMETHEUS_REGISTRY } from '../../prometheus.constants.js';
import { answerClusterMetricsRequests } from './answer-cluster-metrics-requests.js';

/** In a `cluster` worker, answers the primary's metrics requests from bootstrap to shutdown. @internal */
@Injectable()
export class ClusterWorkerMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(@Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry) {}

  onApplicationBootstrap(): void {
    this.stop = answerClusterMetricsRequests(this.registry);
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
