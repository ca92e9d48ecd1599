/** The hardened container security context every workload of the package runs with (Pod Security "restricted"). */

/** No privilege escalation, no capabilities, non-root, read-only root filesystem. */
export const HARDENED_CONTAINER = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
} as const;

/** The pod-level part: the container runtime's default seccomp profile. */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' } as const;
