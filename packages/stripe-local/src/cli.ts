#!/usr/bin/env node
// payonce-stripe: the command line (main.ts; payonce-stripe --help).
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
