/** The base rules every correlation test refers to by name: failed, success and logoff logons (Security 4625, 4624, 4634). */
export const BASE = `title: failed logon
id: 00000000-0000-4000-8000-000000000001
name: failed
logsource: {product: windows, service: security}
detection:
  s: {EventID: 4625}
  condition: s
level: low
---
title: success logon
id: 00000000-0000-4000-8000-000000000002
name: success
logsource: {product: windows, service: security}
detection:
  s: {EventID: 4624}
  condition: s
level: low
---
title: logoff
id: 00000000-0000-4000-8000-000000000003
name: logoff
logsource: {product: windows, service: security}
detection:
  s: {EventID: 4634}
  condition: s
level: low
`;

/** A chained correlation: `brute` (2 failed logons of a user within 1 m), then `brute then success` (brute, then a success, within 5 m). */
export const CHAINED = `title: brute
id: 00000000-0000-4000-8000-0000000000aa
name: brute
correlation:
  type: event_count
  rules: [failed]
  group-by: [TargetUserName]
  timespan: 1m
  condition: {gte: 2}
---
title: brute then success
id: 00000000-0000-4000-8000-0000000000ab
level: critical
correlation:
  type: temporal_ordered
  rules: [brute, success]
  group-by: [TargetUserName]
  timespan: 5m
`;
