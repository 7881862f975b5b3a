/**
 * The configuration files of one local ClickHouse server (one shard of a test cluster). Every
 * path, port and log lives under the cluster folder, so two clusters never share anything; the
 * `remote_servers` entry names every shard by TCP port, which the Distributed table reads.
 */
import { join } from 'node:path';

export interface ShardPorts {
  http: number;
  tcp: number;
  interserver: number;
}

/** The cluster name used in remote_servers and by the Distributed table. */
export const CLUSTER_NAME = 'detectory';

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function shardDir(dir: string, i: number): string {
  return join(dir, `shard${i + 1}`);
}

export function serverConfig(dir: string, i: number, shards: ShardPorts[]): string {
  const d = shardDir(dir, i);
  const p = shards[i];
  const remote = shards.map((s) => `      <shard><replica><host>127.0.0.1</host><port>${s.tcp}</port></replica></shard>`).join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${xml(join(d, 'log', 'server.log'))}</log>
    <errorlog>${xml(join(d, 'log', 'server.err.log'))}</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${p.http}</http_port>
  <tcp_port>${p.tcp}</tcp_port>
  <interserver_http_port>${p.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${xml(join(d, 'data'))}/</path>
  <tmp_path>${xml(join(d, 'tmp'))}/</tmp_path>
  <user_files_path>${xml(join(d, 'user_files'))}/</user_files_path>
  <format_schema_path>${xml(join(d, 'format_schemas'))}/</format_schema_path>
  <users_config>${xml(join(d, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <${CLUSTER_NAME}>
${remote}
    </${CLUSTER_NAME}>
  </remote_servers>
</yandex>
`;
}

/** One user, no password, loopback only; poll_interval 1 makes SIGTERM stop in about a second. */
export const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <poll_interval>1</poll_interval>
      <load_balancing>in_order</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
