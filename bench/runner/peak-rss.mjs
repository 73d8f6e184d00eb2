// Preloaded (node --import) into a benchmarked child process. On exit it writes the process's
// peak resident set size in bytes (worker threads included: they share the process) to
// PROMPTGATE_BENCH_RSS_FILE, as JSON. (A child the bench has to kill cannot report; the bench
// then reads the kernel's high-water mark, VmHWM, just before killing it.) When
// PROMPTGATE_BENCH_RSS_MARK is set, it also notes the peak so far at the first stderr line
// matching that pattern (e.g. the line announcing the reports, to split the runner's memory
// from theirs). Measured from inside, so it is exact, not sampled. It also writes the CPU time
// the process used (cpuMs: user + system, all of its threads), to tell CPU-bound from waiting.
import { writeFileSync } from 'node:fs';

const file = process.env.PROMPTGATE_BENCH_RSS_FILE;
const mark = process.env.PROMPTGATE_BENCH_RSS_MARK ? new RegExp(process.env.PROMPTGATE_BENCH_RSS_MARK) : null;
const peak = () => process.resourceUsage().maxRSS * 1024;
let atMark = null;

if (file) {
  if (mark) {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk, ...rest) => {
      if (atMark === null && mark.test(String(chunk))) {
        atMark = peak();
        writeFileSync(file, JSON.stringify({ peak: null, atMark })); // in case the bench has to kill us later
      }
      return write(chunk, ...rest);
    };
  }
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ peak: peak(), atMark, cpuMs: (cpu.user + cpu.system) / 1000 }));
  });
}
