/**
 * Sigma logsources of product "windows" to the event log channels and EventIDs they read.
 * A category can read several sources (process_creation: Sysmon 1 and Security 4688); a source
 * may need a field mapping (see field-mapping-windows.ts). Channel names compare case-insensitively.
 */

export interface WindowsSource {
  channel: string;
  /** EventIDs of the channel that carry the category; absent: every event of the channel. */
  eventIds?: number[];
  /** Name of a field mapping in WINDOWS_FIELD_MAPPINGS to apply to the rule's fields. */
  fieldMapping?: string;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const PS_OPERATIONAL = 'Microsoft-Windows-PowerShell/Operational';
const PS_CORE = 'PowerShellCore/Operational';
const PS_CLASSIC = 'Windows PowerShell';

const sysmon = (...eventIds: number[]): WindowsSource => ({ channel: SYSMON, eventIds });

export const WINDOWS_CATEGORIES: Record<string, WindowsSource[]> = {
  process_creation: [sysmon(1), { channel: 'Security', eventIds: [4688], fieldMapping: 'security_4688' }],
  file_change: [sysmon(2)],
  network_connection: [sysmon(3)],
  sysmon_status: [sysmon(4, 16)],
  process_termination: [sysmon(5)],
  driver_load: [sysmon(6)],
  image_load: [sysmon(7)],
  create_remote_thread: [sysmon(8)],
  raw_access_thread: [sysmon(9)],
  process_access: [sysmon(10)],
  file_event: [sysmon(11)],
  registry_add: [sysmon(12)],
  registry_delete: [sysmon(12)],
  registry_set: [sysmon(13)],
  registry_rename: [sysmon(14)],
  registry_event: [sysmon(12, 13, 14)],
  create_stream_hash: [sysmon(15)],
  pipe_created: [sysmon(17, 18)],
  wmi_event: [sysmon(19, 20, 21)],
  dns_query: [sysmon(22)],
  file_delete: [sysmon(23, 26)],
  clipboard_capture: [sysmon(24)],
  process_tampering: [sysmon(25)],
  file_block_executable: [sysmon(27)],
  file_block_shredding: [sysmon(28)],
  file_executable_detected: [sysmon(29)],
  sysmon_error: [sysmon(255)],
  file_access: [{ channel: 'Microsoft-Windows-Kernel-File/Analytic' }],
  file_rename: [{ channel: 'Microsoft-Windows-Kernel-File/Analytic', eventIds: [19, 27] }],
  ps_module: [{ channel: PS_OPERATIONAL, eventIds: [4103] }, { channel: PS_CORE, eventIds: [4103] }],
  ps_script: [{ channel: PS_OPERATIONAL, eventIds: [4104] }, { channel: PS_CORE, eventIds: [4104] }],
  ps_classic_start: [{ channel: PS_CLASSIC, eventIds: [400] }],
  ps_classic_provider_start: [{ channel: PS_CLASSIC, eventIds: [600] }],
  ps_classic_script: [{ channel: PS_CLASSIC, eventIds: [800] }],
};

/** Sigma `service` to channel(s). */
export const WINDOWS_SERVICES: Record<string, string[]> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: [SYSMON],
  powershell: [PS_OPERATIONAL, PS_CORE],
  'powershell-classic': [PS_CLASSIC],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'msexchange-management': ['MSExchange Management'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'smbserver-connectivity': ['Microsoft-Windows-SmbServer/Connectivity'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  openssh: ['OpenSSH/Operational'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  'ldap_debug': ['Microsoft-Windows-LDAP-Client/Debug'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  'ntfs': ['Microsoft-Windows-Ntfs/Operational'],
  'sense': ['Microsoft-Windows-SENSE/Operational'],
  'wmi-activity': ['Microsoft-Windows-WMI-Activity/Operational'],
};

export type LogsourceResolution =
  | { kind: 'sources'; sources: WindowsSource[] }
  | { kind: 'any-windows' }
  | { kind: 'not-windows'; product: string }
  | { kind: 'unmapped'; what: string };

/** Where a Sigma rule's events come from in Windows event logs. */
export function resolveWindowsLogsource(ls: { product?: string; category?: string; service?: string }): LogsourceResolution {
  if (ls.product && ls.product !== 'windows') return { kind: 'not-windows', product: ls.product };
  if (!ls.product && !ls.service && !ls.category) return { kind: 'unmapped', what: 'no logsource' };
  if (!ls.product) return { kind: 'not-windows', product: '(none)' };
  let sources: WindowsSource[] | undefined;
  if (ls.category) {
    sources = WINDOWS_CATEGORIES[ls.category];
    if (!sources) return { kind: 'unmapped', what: `category ${ls.category}` };
  }
  if (ls.service) {
    const channels = WINDOWS_SERVICES[ls.service];
    if (!channels) return { kind: 'unmapped', what: `service ${ls.service}` };
    const byService = channels.map((channel) => ({ channel }));
    // Both given: keep the category's sources on the service's channels.
    sources = sources ? sources.filter((s) => channels.some((c) => c.toLowerCase() === s.channel.toLowerCase())) : byService;
    if (sources.length === 0) return { kind: 'unmapped', what: `category ${ls.category} with service ${ls.service}` };
  }
  return sources ? { kind: 'sources', sources } : { kind: 'any-windows' };
}
