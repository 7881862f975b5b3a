/**
 * Signed parent, unsigned child (ATT&CK analytic AN1288): a process whose own image is not signed
 * (or not trusted) started by a process whose image is. The signatures come from Sysmon 7 loads of
 * each process's executable (Signed, SignatureStatus), recorded by the ProcessTable.
 */
import type { ProcessNode, ProcessTable } from './process-table.js';

/** true / false when both signatures are known; undefined when either is not. */
export function isSignedImage(n: ProcessNode | undefined): boolean | undefined {
  const s = n?.signature;
  if (!s) return undefined;
  if (s.trusted !== undefined) return s.trusted;
  return s.exists;
}

export function signedParentUnsignedChild(table: ProcessTable, entityId: string): boolean | undefined {
  const child = isSignedImage(table.get(entityId));
  const parentId = table.parentOf(entityId);
  const parent = parentId ? isSignedImage(table.get(parentId)) : undefined;
  if (child === undefined || parent === undefined) return undefined;
  return parent && !child;
}
