/**
 * ECS event.category (the EQL event category) -> Sigma logsource category. `process` maps to
 * process_creation only when the query also requires event.type start / process_started (other
 * process events, e.g. termination, have no Sigma category).
 */
export const CATEGORY_BY_EVENT_CATEGORY: Readonly<Record<string, string>> = {
  file: 'file_event',
  registry: 'registry_event',
  network: 'network_connection',
  library: 'image_load',
  driver: 'driver_load',
  dns: 'dns_query',
};

export const PROCESS_START_TYPES: readonly string[] = ['start', 'process_started'];

/** `OS: Windows` tags -> Sigma logsource product. */
export const PRODUCT_BY_OS_TAG: Readonly<Record<string, string>> = {
  'os: windows': 'windows',
  'os: linux': 'linux',
  'os: macos': 'macos',
};
