import { Check } from '../../check';
import { list } from '../../../model/objects';

/** A privileged container, one that runs as root or may escalate privileges; a warning when nothing forbids root. */
export const privilegedOrRootContainer: Check = {
  name: 'PrivilegedOrRootContainer',
  code: 'EDGE6003',
  severity: 'error',
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'],
  description: 'A privileged container, one that runs as root or may escalate privileges; a warning when nothing forbids root.',
  details: 'A privileged or root container that is compromised owns the node. Set runAsNonRoot: true, a non-zero runAsUser, allowPrivilegeEscalation: false, and no privileged.',
  run(index, report) {
    for (const pod of index.podTemplates) {
      const podCtx = pod.spec.securityContext ?? {};
      const field = (i: number, f: string) => `${pod.specPath}.containers[${i}].securityContext.${f}`;
      list(pod.spec.containers).forEach((c, i) => {
        const ctx = c?.securityContext ?? {};
        if (ctx.privileged === true) report(pod.workload, field(i, 'privileged'), `Container "${c?.name}" is privileged: it has the node's powers. Remove privileged.`);
        const user = ctx.runAsUser ?? podCtx.runAsUser;
        const nonRoot = ctx.runAsNonRoot ?? podCtx.runAsNonRoot;
        if (user === 0 || nonRoot === false) report(pod.workload, field(i, user === 0 ? 'runAsUser' : 'runAsNonRoot'), `Container "${c?.name}" runs as root: set runAsNonRoot: true and a non-zero runAsUser.`);
        else if (nonRoot !== true && !(typeof user === 'number' && user > 0)) {
          report(pod.workload, field(i, 'runAsNonRoot'), `Nothing stops container "${c?.name}" from running as root: set runAsNonRoot: true.`, 'warning');
        }
        if (ctx.allowPrivilegeEscalation === true) report(pod.workload, field(i, 'allowPrivilegeEscalation'), `Container "${c?.name}" may escalate privileges: set allowPrivilegeEscalation: false.`);
      });
    }
  },
};
