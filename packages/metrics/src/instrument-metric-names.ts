/**
 * Names of the metrics {@link instrument} records, before the instance's `prefix`. Every one
 * carries a `name` label (the instance's `name` from its events) unless `nameLabel: false`;
 * the other labels are listed in the guide. Use them in dashboards and alerts instead of
 * spelling the strings out.
 *
 * @example
 * ```ts
 * import { instrumentMetricNames } from '@rampart/metrics';
 *
 * const openBreakers = `${instrumentMetricNames.circuitBreakerState} == 1`;
 * ```
 */
export const instrumentMetricNames: {
  /** Counter `{name, error_type}`: failed attempts followed by another attempt. */
  readonly retryRetries: 'rampart_retry_retries_total';
  /** Counter `{name, reason}`: calls that stopped retrying, by why. */
  readonly retryGiveUps: 'rampart_retry_give_ups_total';
  /** Counter `{name}`: retries refused because the retry budget was spent. */
  readonly retryBudgetExhausted: 'rampart_retry_budget_exhausted_total';
  /** Gauge `{name}`: the circuit's state: closed 0, open 1, half-open 2, isolated 3. */
  readonly circuitBreakerState: 'rampart_circuit_breaker_state';
  /** Counter `{name, from, to}`: state changes. */
  readonly circuitBreakerTransitions: 'rampart_circuit_breaker_transitions_total';
  /** Counter `{name, reason}`: calls rejected without running. */
  readonly circuitBreakerRejections: 'rampart_circuit_breaker_rejections_total';
  /** Histogram `{name, outcome}`: duration of admitted calls, in seconds. */
  readonly circuitBreakerCallDuration: 'rampart_circuit_breaker_call_duration_seconds';
  /** Counter `{name, policy, outcome, source}`: `consume` decisions. */
  readonly rateLimiterDecisions: 'rampart_rate_limiter_decisions_total';
  /** Counter `{name, operation, error_type}`: store calls that failed or missed their deadline. */
  readonly rateLimiterStoreErrors: 'rampart_rate_limiter_store_errors_total';
  /** Gauge `{name}`: 1 while the limiter skips its store and its fallback answers. */
  readonly rateLimiterFallbackActive: 'rampart_rate_limiter_fallback_active';
  /** Counter `{name, transition}`: the fallback `engaged` or `recovered`. */
  readonly rateLimiterFallbackTransitions: 'rampart_rate_limiter_fallback_transitions_total';
  /**
   * Gauge `{name, state}`: the store guard's state (`healthy`, `cooling-down`, `probing`): 1
   * for the current one, 0 for the others; the same as {@link instrumentMetricNames.cacheL2State}.
   */
  readonly rateLimiterStoreState: 'rampart_rate_limiter_store_state';
  /** Counter `{name, from, to}`: the store guard's changes of state. */
  readonly rateLimiterStoreStateTransitions: 'rampart_rate_limiter_store_state_transitions_total';
  /** Counter `{name, tier}`: lookups that found a fresh value in a tier. */
  readonly cacheHits: 'rampart_cache_hits_total';
  /** Counter `{name, tier}`: lookups that found no fresh value in a tier. */
  readonly cacheMisses: 'rampart_cache_misses_total';
  /** Counter `{name, reason}`: callers served a stale value within grace. */
  readonly cacheStaleServed: 'rampart_cache_stale_served_total';
  /** Histogram `{name, outcome}`: duration of factory calls, in seconds. */
  readonly cacheFactoryDuration: 'rampart_cache_factory_duration_seconds';
  /** Counter `{name, operation, error_type}`: L2 calls that failed or missed their deadline. */
  readonly cacheL2Errors: 'rampart_cache_l2_errors_total';
  /** Gauge `{name}`: 1 while L2 cools down or is probed (calls skip it), 0 once healthy. */
  readonly cacheL2CoolingDown: 'rampart_cache_l2_cooling_down';
  /** Counter `{name, reason}`: entries L1 dropped or refused to stay within its bounds. */
  readonly cacheEvictions: 'rampart_cache_evictions_total';
  /** Gauge `{name}`: 1 while the invalidation bus is connected, 0 while it is down. */
  readonly cacheBusConnected: 'rampart_cache_bus_connected';
  /** Counter `{name, state}`: bus events: `connected`, `disconnected`, `publish-failed`. */
  readonly cacheBusEvents: 'rampart_cache_bus_events_total';
  /** Counter `{name, outcome}`: how loads dealt with the distributed lock. */
  readonly cacheLockOutcomes: 'rampart_cache_lock_outcomes_total';
  /** Histogram `{name}`: how long loads waited for another instance's lock, in seconds. */
  readonly cacheLockWait: 'rampart_cache_lock_wait_seconds';
  /** Counter `{name, tier, reason}`: load results not written because of an invalidation meanwhile. */
  readonly cacheFencedWrites: 'rampart_cache_fenced_writes_total';
  /**
   * Gauge `{name, state}`: the L2 guard's state (`healthy`, `cooling-down`, `probing`): 1 for
   * the current one, 0 for the others; the same as the rate limiter's store state.
   */
  readonly cacheL2State: 'rampart_cache_l2_state';
  /** Counter `{name, from, to}`: the L2 guard's changes of state. */
  readonly cacheL2StateTransitions: 'rampart_cache_l2_state_transitions_total';
  /**
   * Counter `{name, outcome}`: replays of the writes L2 missed: `replayed` (keys and tags
   * invalidated) or `cleared` (a missed clear, or more than the journal holds).
   */
  readonly cacheL2Replays: 'rampart_cache_l2_replays_total';
  /** Counter `{name, operation, failed}`: operations slower than their `slowMs`. */
  readonly loggerSlowOperations: 'rampart_logger_slow_operations_total';
  /** Counter `{name, reason}`: log file rotations. */
  readonly loggerRotations: 'rampart_logger_rotations_total';
  /** Counter `{name, destination, operation, error_type}`: destination failures. */
  readonly loggerDestinationErrors: 'rampart_logger_destination_errors_total';
  /** Counter `{name, destination}`: log lines lost to destination failures. */
  readonly loggerDroppedLines: 'rampart_logger_dropped_lines_total';
  /** Counter `{name, complete}`: `closeLogger` runs, and whether every line was written. */
  readonly loggerCloses: 'rampart_logger_closes_total';
  /** Counter `{name, provider, outcome}`: failover provider calls, by how they ended. */
  readonly failoverAttempts: 'rampart_failover_attempts_total';
  /** Histogram `{name, provider, outcome}`: duration of failover provider calls, in seconds. */
  readonly failoverAttemptDuration: 'rampart_failover_attempt_duration_seconds';
  /** Counter `{name, provider, reason}`: providers passed over without a call. */
  readonly failoverSkipped: 'rampart_failover_skipped_total';
  /** Counter `{name, provider}`: hedges, by the provider started. */
  readonly failoverHedges: 'rampart_failover_hedges_total';
  /** Counter `{name, reason, succeeded}`: calls answered by the last resort. */
  readonly failoverLastResortUses: 'rampart_failover_last_resort_uses_total';
  /** Counter `{name, reason}`: calls no provider answered. */
  readonly failoverExhausted: 'rampart_failover_exhausted_total';
  /** Counter `{name, metric}`: metrics that reached their series budget and began folding. */
  readonly metricsBudgetReached: 'rampart_metrics_budget_reached_total';
  /** Counter `{name, metric, error_type}`: failed `collect` callbacks. */
  readonly metricsCollectFailures: 'rampart_metrics_collect_failures_total';
  /** Histogram `{name, format}`: the longest the event loop was held by one scrape, in seconds. */
  readonly metricsScrapeLongestSlice: 'rampart_metrics_scrape_longest_slice_seconds';
  /** Gauge `{name, format}`: samples in the latest scrape. */
  readonly metricsScrapeSamples: 'rampart_metrics_scrape_samples';
  /** Gauge `{name, check}`: the latest run of a health check: pass 0, warn 1, fail 2. */
  readonly healthCheckStatus: 'rampart_health_check_status';
  /** Histogram `{name, check}`: duration of health check runs, in seconds. */
  readonly healthCheckDuration: 'rampart_health_check_duration_seconds';
  /** Gauge `{name, group}`: the status of a probe group: pass 0, warn 1, fail 2. */
  readonly healthStatus: 'rampart_health_status';
  /** Counter `{name, phase}`: phases graceful shutdowns entered. */
  readonly healthShutdownPhases: 'rampart_health_shutdown_phases_total';
  /** Counter `{channel}` (no `name` label): events that could not be recorded and were dropped. */
  readonly instrumentErrors: 'rampart_instrument_errors_total';
} = Object.freeze({
  retryRetries: 'rampart_retry_retries_total',
  retryGiveUps: 'rampart_retry_give_ups_total',
  retryBudgetExhausted: 'rampart_retry_budget_exhausted_total',
  circuitBreakerState: 'rampart_circuit_breaker_state',
  circuitBreakerTransitions: 'rampart_circuit_breaker_transitions_total',
  circuitBreakerRejections: 'rampart_circuit_breaker_rejections_total',
  circuitBreakerCallDuration: 'rampart_circuit_breaker_call_duration_seconds',
  rateLimiterDecisions: 'rampart_rate_limiter_decisions_total',
  rateLimiterStoreErrors: 'rampart_rate_limiter_store_errors_total',
  rateLimiterFallbackActive: 'rampart_rate_limiter_fallback_active',
  rateLimiterFallbackTransitions: 'rampart_rate_limiter_fallback_transitions_total',
  rateLimiterStoreState: 'rampart_rate_limiter_store_state',
  rateLimiterStoreStateTransitions: 'rampart_rate_limiter_store_state_transitions_total',
  cacheHits: 'rampart_cache_hits_total',
  cacheMisses: 'rampart_cache_misses_total',
  cacheStaleServed: 'rampart_cache_stale_served_total',
  cacheFactoryDuration: 'rampart_cache_factory_duration_seconds',
  cacheL2Errors: 'rampart_cache_l2_errors_total',
  cacheL2CoolingDown: 'rampart_cache_l2_cooling_down',
  cacheEvictions: 'rampart_cache_evictions_total',
  cacheBusConnected: 'rampart_cache_bus_connected',
  cacheBusEvents: 'rampart_cache_bus_events_total',
  cacheLockOutcomes: 'rampart_cache_lock_outcomes_total',
  cacheLockWait: 'rampart_cache_lock_wait_seconds',
  cacheFencedWrites: 'rampart_cache_fenced_writes_total',
  cacheL2State: 'rampart_cache_l2_state',
  cacheL2StateTransitions: 'rampart_cache_l2_state_transitions_total',
  cacheL2Replays: 'rampart_cache_l2_replays_total',
  loggerSlowOperations: 'rampart_logger_slow_operations_total',
  loggerRotations: 'rampart_logger_rotations_total',
  loggerDestinationErrors: 'rampart_logger_destination_errors_total',
  loggerDroppedLines: 'rampart_logger_dropped_lines_total',
  loggerCloses: 'rampart_logger_closes_total',
  failoverAttempts: 'rampart_failover_attempts_total',
  failoverAttemptDuration: 'rampart_failover_attempt_duration_seconds',
  failoverSkipped: 'rampart_failover_skipped_total',
  failoverHedges: 'rampart_failover_hedges_total',
  failoverLastResortUses: 'rampart_failover_last_resort_uses_total',
  failoverExhausted: 'rampart_failover_exhausted_total',
  metricsBudgetReached: 'rampart_metrics_budget_reached_total',
  metricsCollectFailures: 'rampart_metrics_collect_failures_total',
  metricsScrapeLongestSlice: 'rampart_metrics_scrape_longest_slice_seconds',
  metricsScrapeSamples: 'rampart_metrics_scrape_samples',
  healthCheckStatus: 'rampart_health_check_status',
  healthCheckDuration: 'rampart_health_check_duration_seconds',
  healthStatus: 'rampart_health_status',
  healthShutdownPhases: 'rampart_health_shutdown_phases_total',
  instrumentErrors: 'rampart_instrument_errors_total',
} as const);

/**
 * Default buckets of the duration histograms {@link instrument} records (breaker calls,
 * cache factories, scrape slices), in seconds: 1 ms to 10 s, since a guarded call may be an
 * in-memory lookup or a slow upstream.
 */
export const INSTRUMENT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
