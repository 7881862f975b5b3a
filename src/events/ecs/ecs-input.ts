/**
 * ECS documents given as input (NDJSON from Winlogbeat, Elastic Agent, Elastic Defend) are already
 * what the engines read: they pass through unchanged. This tells them from Windows event shapes.
 */
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An ECS document: an object with @timestamp and at least one ECS field set (ecs, event, agent,
 * data_stream, winlog, host or process, nested or as dotted keys), and no Windows XML System element.
 */
export function isEcsDocument(v: unknown): v is Record<string, unknown> {
  if (!isObject(v) || 'System' in v || 'Event' in v) return false;
  if (!('@timestamp' in v)) return false;
  for (const k of ['ecs', 'event', 'agent', 'data_stream', 'winlog', 'host', 'process']) {
    if (isObject(v[k])) return true;
  }
  return Object.keys(v).some((k) => /^(ecs|event|agent|data_stream|winlog|host|process)\./.test(k));
}
