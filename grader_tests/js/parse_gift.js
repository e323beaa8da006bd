// Parse a GIFT file with gift-pegjs (npm) and print the questions as JSON on stdout.
// Usage: node grader_tests/js/parse_gift.js FILE.gift
// Exit status 0 on success; 2 with a JSON {"error": ...} on stdout when the file does not parse.
// (Exit codes are set with process.exitCode so that large output to a pipe is never cut short.)
"use strict";

const fs = require("fs");
const gift = require("gift-pegjs");

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node parse_gift.js FILE.gift\n");
  process.exitCode = 64;
  return;
}
const text = fs.readFileSync(file, "utf8");
try {
  process.stdout.write(JSON.stringify(gift.parse(text)));
} catch (error) {
  const where = error.location ? error.location.start : null;
  process.stdout.write(JSON.stringify({error: String(error.message), line: where && where.line,
                                       column: where && where.column}));
  process.exitCode = 2;
}
