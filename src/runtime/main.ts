// Placeholder entry point until run-task lands (issue 3).
process.stderr.write('run-task: not implemented yet\n');
process.exit(1);
