// A process that starts one long-running child through startProcess, prints its pid and then ends as told:
//   node --import tsx daemon-parent.ts <log file> wait|throw|exit [detached]
// processes.test.ts kills or watches it and checks whether the child outlived it.
import { startProcess } from "../processes.ts";

const [logPath, ending, detached] = process.argv.slice(2);
if (!logPath || !ending) throw new Error("usage: daemon-parent.ts <log file> wait|throw|exit [detached]");
const child = startProcess({
  name: "sleeper",
  command: "sleep",
  args: ["600"],
  logPath,
  detached: detached === "detached",
});
process.stdout.write(`${child.pid}\n`);
if (ending === "throw")
  setTimeout(() => {
    throw new Error("a test failed outside any hook");
  }, 100);
else if (ending === "exit") setTimeout(() => process.exit(3), 100);
else setInterval(() => undefined, 1_000);
