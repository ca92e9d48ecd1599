/** The DNS-1123 name patterns of Kubernetes (no dependencies: the readers load it too). */

/** A DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: DNS labels joined by ".". */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
