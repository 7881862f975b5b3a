/** Whether a process with this id exists (EPERM: it does, another user's). A pid can be reused: callers that must know it is theirs check more. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
