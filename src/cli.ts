#!/usr/bin/env node
import { buildProgram } from './cli/program.js';

/**
 * The credwatch command. Each command only loads configuration, builds dependencies and calls one
 * function; its output goes to stdout, logs go to stderr. The commands are defined in src/cli/.
 */
await buildProgram().parseAsync(process.argv);
