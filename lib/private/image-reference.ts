/**
 * Container image references as the kubelet parses them (github.com/distribution/reference, the
 * grammar the container runtime applies; the API server only checks that the image is not blank,
 * so a reference the grammar refuses fails at pull time with InvalidImageName).
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** The longest repository name the grammar allows (NameTotalLengthMax). */
const NAME_TOTAL_LENGTH_MAX = 255;

/** Why the kubelet cannot parse `image`, or undefined when it can. */
export function imageReferenceProblem(image: string): string | undefined {
  const m = REFERENCE.exec(image);
  if (!m) {
    if (REFERENCE.test(image.toLowerCase())) return 'the repository path must be lower case (only the registry host and the tag may have capitals)';
    return 'it is not "[registry/]repository[:tag][@algorithm:digest]" (lower-case path components separated by "/", a tag of at most 128 letters, digits, "_", "." or "-")';
  }
  if (m[1].length > NAME_TOTAL_LENGTH_MAX) return `the repository name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`;
  return undefined;
}
