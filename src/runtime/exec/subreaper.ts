// As PID 1 (docker-worker starts run-task as the container's first process),
// every process that outlives its parent becomes run-task's child, and stays a
// zombie until someone waits for it. Node.js 20 waits only for the processes it
// started itself, and cannot make itself a "child subreaper" either (that is
// prctl(2), which needs native code). Images have no compiler, but Debian and
// Ubuntu images (and the node images built on them) all have perl: perl-base is
// an essential package. So run-task starts the command under a few lines of
// perl that make themselves a subreaper, so that the orphans come to it, start
// the command, wait for anything that ends (any orphan), and exit as the
// command did, once it has. Images without perl (Alpine) need an init: run-task
// says so.
import { accessSync, constants } from 'node:fs';

/** Where images keep perl; never looked up in PATH, which comes from the task definition. */
export const SYSTEM_PERL = ['/usr/bin/perl', '/bin/perl'] as const;

/** prctl's system call number, by Node.js's name for the architecture. */
const PRCTL: Partial<Record<string, number>> = {
  x64: 157,
  arm64: 167,
  riscv64: 167,
  loong64: 167,
  ia32: 172,
  arm: 172,
  s390x: 172,
  ppc64: 171,
};

const PR_SET_CHILD_SUBREAPER = 36;

// Forwarded signals reach the whole process group, this helper too: it ignores
// them (a handler, not 'IGNORE', so the command does not inherit the
// disposition) and ends when the command ends. Exits 128+N when signal N
// killed the command, as a shell would, without dumping a core of its own.
const SCRIPT = `
use strict;
use POSIX ();
my $nr = 0 + shift @ARGV;
if (syscall($nr, ${PR_SET_CHILD_SUBREAPER}, 1, 0, 0, 0) != 0) {
  print STDERR "run-task: cannot collect orphaned processes (prctl PR_SET_CHILD_SUBREAPER: $!); they stay zombies until the task ends\\n";
  exec { $ARGV[0] } @ARGV;
  print STDERR "run-task: cannot run command \\"$ARGV[0]\\": $!\\n";
  POSIX::_exit(127);
}
$SIG{$_} = sub {} for qw(TERM INT HUP);
my $child = fork;
if (!defined $child) {
  print STDERR "run-task: cannot start the command (fork: $!)\\n";
  POSIX::_exit(1);
}
if ($child == 0) {
  $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP);
  exec { $ARGV[0] } @ARGV;
  print STDERR "run-task: cannot run command \\"$ARGV[0]\\": $!\\n";
  POSIX::_exit(127);
}
my $status;
while (1) {
  my $pid = waitpid(-1, 0);
  if ($pid == $child) { $status = $?; last }
  last if $pid == -1 && $! != POSIX::EINTR();
}
1 while waitpid(-1, POSIX::WNOHANG()) > 0;
POSIX::_exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
`;

export type Reaper = { file: string; args: string[] } | { missing: string };

/** How to start `command` so that orphans are collected, or why that is not possible here. */
export function reaperFor(command: readonly string[]): Reaper {
  const nr = PRCTL[process.arch];
  if (nr === undefined) return { missing: `run-task does not know prctl's system call number on ${process.arch}` };
  const perl = SYSTEM_PERL.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (perl === undefined) return { missing: `the image has no perl (${SYSTEM_PERL.join(' or ')}), which run-task uses to collect them` };
  return { file: perl, args: ['-e', SCRIPT, '--', String(nr), ...command] };
}
