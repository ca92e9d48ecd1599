/**
 * Names the stack derives instead of asking for: deterministic, so a second `pulumi up` (or one
 * after a lost state) computes the same names, and unique where Azure needs them unique.
 */
import { createHash } from 'node:crypto';

function sha1(...parts: string[]): Buffer {
  return createHash('sha1').update(parts.join('\n')).digest();
}

/**
 * A name-based GUID (RFC 4122 version 5 layout) from the given parts: the name of a role
 * assignment, so that the same principal, role and scope always give the same assignment (a rerun
 * updates it instead of failing with RoleAssignmentExists or creating a duplicate).
 */
export function deterministicGuid(...parts: string[]): string {
  const b = sha1(...parts).subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A Key Vault name, globally unique in practice and the same on every run: "kv-", the
 * environment's name (letters and digits, cut to fit) and 8 hexadecimal characters of a hash of
 * the subscription, resource group and environment. At most 24 characters, as Key Vault requires.
 */
export function keyVaultName(environment: string, subscriptionId: string, resourceGroup: string): string {
  const hash = sha1(subscriptionId.toLowerCase(), resourceGroup.toLowerCase(), environment).toString('hex').slice(0, 8);
  const slug = environment.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24 - 'kv-'.length - 1 - hash.length) || 'edge';
  return `kv-${slug}-${hash}`;
}

/**
 * The AKS name of a user pool: the configured name and 4 hexadecimal characters of its VM size, so
 * a VM size change creates a new pool beside the old one, which Pulumi then deletes
 * (create-before-delete: AKS drains the old nodes while the new ones serve).
 */
export function userPoolAksName(name: string, vmSize: string): string {
  return `${name}${sha1(vmSize.toLowerCase()).toString('hex').slice(0, 4)}`;
}

/** Key Vault names: 3-24 letters, digits and "-", starting with a letter, no "--", not ending in "-". */
export const KEY_VAULT_NAME = /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
