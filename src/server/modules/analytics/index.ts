// Public face of the analytics module: rollups kept by bus events, reports, alerts.
export { observePostMetrics, type PostMetrics } from './detect-viral-risk.ts';
export { getSummary } from './get-summary.ts';
export { raiseAlert } from './raise-alert.ts';
export { runAlertChecks, startAlertMonitor } from './start-alert-monitor.ts';
export { startAnalytics } from './start-analytics.ts';
