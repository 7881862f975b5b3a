/**
 * The domain a rule's platform belongs to, for rules whose vendor does not say it (Sigma). Elastic
 * rules carry "Domain: X" tags and Splunk rules a security_domain; those win over this table.
 */
export const PRODUCT_DOMAINS: Readonly<Record<string, string>> = {
  windows: 'endpoint',
  linux: 'endpoint',
  macos: 'endpoint',
  aws: 'cloud',
  azure: 'cloud',
  gcp: 'cloud',
  m365: 'cloud',
  okta: 'identity',
  onelogin: 'identity',
  github: 'saas',
  bitbucket: 'saas',
  jvm: 'application',
  django: 'application',
  python: 'application',
  ruby_on_rails: 'application',
  spring: 'application',
  nodejs: 'application',
  sql: 'application',
  kubernetes: 'container',
  zeek: 'network',
  cisco: 'network',
  fortigate: 'network',
  paloalto: 'network',
  huawei: 'network',
  juniper: 'network',
  rpc_firewall: 'network',
  opencanary: 'network',
};

/** Sigma logsource categories that name a network or web source when the product does not. */
export const CATEGORY_DOMAINS: Readonly<Record<string, string>> = {
  firewall: 'network',
  dns: 'network',
  proxy: 'web',
  webserver: 'web',
  antivirus: 'endpoint',
};
